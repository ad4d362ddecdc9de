"""``campaign-sheets check``: validate everything and list each problem with its cell."""

from __future__ import annotations

import argparse
import sys

from ..core.config import Config
from ..core.config_checks import config_problems
from ..core.problems import Problem, has_errors, render_message
from ..national import Council
from ..sources.base import Source
from ..validate import check_sheets, check_workbook
from .common import (
    add_config_options,
    config_from_args,
    print_problems,
    read_source_tables,
    sources_from_config,
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``check``."""
    parser = sub.add_parser(
        "check",
        help="validate the workbook and list every problem",
        description="Read the workbook (or Google Sheet) and the configuration and list every "
        "problem with its cell (行動!D14), its severity and how to fix it. Nothing is written. "
        "Exit status 1 when any problem is an error.",
    )
    add_config_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: one problem a line (default); json: "
                        '{"problems": [...]} for scripts')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 1 when any problem is an error, else 0."""
    config = config_from_args(args)
    if config.sources:
        return _report(check_sheets(config, _pairs(config)), args.format, config.lang)
    tables = read_source_tables(config)
    if tables is None:
        # what the configuration itself gets wrong is worth knowing before the sheet
        if own := config_problems(config):
            print_problems(own, args.format, config.lang)
        return 1
    return _report(check_workbook(tables, config), args.format, config.lang)


def _pairs(config: Config) -> list[tuple[Council, Source]]:
    pairs = sources_from_config(config)
    assert isinstance(pairs, list)
    return pairs


def _report(problems: tuple[Problem, ...], fmt: str, lang: str) -> int:
    """Print ``problems`` and the summary line; the exit status."""
    print_problems(list(problems), fmt, lang)
    if fmt == "text":
        errors = sum(1 for p in problems if p.severity.value == "error")
        print(summary_line(errors, len(problems) - errors, lang), file=sys.stderr)
    return 1 if has_errors(problems) else 0


def summary_line(errors: int, warnings: int, lang: str) -> str:
    """``エラー 2件、警告 3件`` (or English)."""
    return render_message("check.summary", {"errors": errors, "warnings": warnings}, lang)
