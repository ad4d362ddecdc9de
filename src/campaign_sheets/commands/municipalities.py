"""``campaign-sheets municipalities [NAME_OR_CODE …] [--prefecture P] [--format text|json]``:
resolve municipality names and codes (SPEC §7), or list the home prefecture's."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..core.config import Config
from ..core.errors import ConfigError
from ..core.problems import render_message
from ..geo import Municipality, Resolution, home_code, register, resolve
from .common import add_config_options, config_from_args


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``municipalities``."""
    parser = sub.add_parser(
        "municipalities",
        help="resolve municipality names and codes, or list the home prefecture's",
        description=(
            "Resolve each NAME_OR_CODE (杉並区, 杉並, 横浜市中区, 広島県府中市, 県, 13115, "
            "131156) to its 6-digit local-government code; with none, list every "
            "municipality and ward of the home prefecture in code order. Exit 1 when a "
            "query is unknown or ambiguous."
        ),
    )
    parser.add_argument("queries", nargs="*", metavar="NAME_OR_CODE", help="names or codes")
    parser.add_argument(
        "--prefecture", help="the home prefecture (a name or 2-digit code); default: the config's"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    add_config_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the resolutions (or the list); exit 1 when a query did not resolve."""
    config = config_from_args(args)
    home = _home(args, config)
    found: list[tuple[str | None, Municipality]]
    if args.queries:
        resolutions = [resolve(q, home) for q in args.queries]
        found = [(r.query, r.municipality) for r in resolutions if r.municipality is not None]
        failed = [r for r in resolutions if not r.ok]
    else:
        if home is None:
            raise ConfigError(render_message("municipalities.no_home", {}, config.lang))
        found = [(None, m) for m in register().municipalities_of(home)]
        failed = []
    if args.format == "json":
        payload = {
            "municipalities": [_entry_json(q, m) for q, m in found],
            "problems": [_problem_json(r, config.lang) for r in failed],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for query, m in found:
            print(_entry_line(query, m))
        for r in failed:
            print(f"{r.query}: {_message(r, config.lang)}", file=sys.stderr)
    return 1 if failed else 0


def _home(args: argparse.Namespace, config: Config) -> str | None:
    if args.prefecture is not None:
        return home_code(args.prefecture, config.lang)
    return home_code(config.prefecture, config.lang)


def _entry_json(query: str | None, m: Municipality) -> dict[str, Any]:
    entry: dict[str, Any] = {"query": query} if query is not None else {}
    return {**entry, **m.to_json(), "lat": m.lat, "lng": m.lng}


def _entry_line(query: str | None, m: Municipality) -> str:
    line = f"{m.code}\t{m.full_name}\t{m.kana}"
    return f"{query}\t{line}" if query is not None else line


def _message(r: Resolution, lang: str) -> str:
    assert r.code is not None
    params = r.message_params()
    hint = ""
    if r.suggestion:
        hint = render_message("municipality.suggestion", params, lang)
    return render_message(r.code, {**params, "hint": hint}, lang)


def _problem_json(r: Resolution, lang: str) -> dict[str, Any]:
    return {
        "query": r.query,
        "code": r.code,
        "message": _message(r, lang),
        "candidates": [c.code for c in r.candidates],
    }
