"""``campaign-sheets parse [TEXT | -] [--format json|text] [--prefecture P]``: read a report
sentence (SPEC §6, §7; municipalities in it resolve inside the home prefecture first), or an
assembly roll-up sentence (SPEC §8), whose numbers it prints under ``assembly``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..assembly.sentence import parse_sentence, render_sentence
from ..assembly.sentence import summary_lines as assembly_lines
from ..core.problems import render_message
from ..report import ParsedReport, parse_report, render_report
from ..report.summary import summary_lines
from .common import (
    add_config_options,
    add_prefecture_option,
    config_from_args,
    configured_lang,
    home_from_args,
)

EXIT_USAGE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``parse`` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "parse",
        help="parse a report sentence (参加報告)",
        description=(
            "Parse a report sentence; reads standard input for '-' or no TEXT. "
            "Municipalities named in it (caravan stops) resolve inside the home "
            "prefecture (--prefecture, else the configuration's) first."
        ),
    )
    parser.add_argument("text", nargs="?", default="-", metavar="TEXT", help="the sentence, or -")
    parser.add_argument("--format", choices=("json", "text"), default="json",
                        help="json: the records (SPEC §6); text: a summary and the sentence "
                        "as campaign-sheets writes it (default: json)")
    add_config_options(parser)
    add_prefecture_option(parser)
    parser.set_defaults(run=run)
    return parser


def _read_text(arg: str) -> str:
    return sys.stdin.read() if arg == "-" else arg


def run(args: argparse.Namespace) -> int:
    """Parse the sentence and print it as JSON (SPEC §6) or as a readable summary."""
    lang = configured_lang(args)
    config = config_from_args(args)
    home = home_from_args(args, config)
    text = _read_text(args.text)
    if not text.strip():
        print(
            f"campaign-sheets: {render_message('report.no_text', {}, lang)}", file=sys.stderr
        )
        return EXIT_USAGE
    assembly = parse_sentence(text)
    if assembly is not None:
        # an assembly roll-up sentence (「…市区町村で採択、意見書N本。」) is not a report
        if args.format == "json":
            print(json.dumps({"assembly": assembly.to_json()}, ensure_ascii=False, indent=2))
        else:
            print("\n".join([*assembly_lines(assembly, lang), render_sentence(assembly)]))
        return 0
    report: ParsedReport = parse_report(text, home)
    if args.format == "json":
        print(json.dumps(report.to_json(lang), ensure_ascii=False, indent=2))
    else:
        for line in summary_lines(report, lang):
            print(line)
        print(render_report(report))
    return 0
