"""``campaign-sheets init``: a new workbook file or Google Sheet with every tab.

One function per target: :func:`init_xlsx` makes a local ``.xlsx`` file,
:func:`init_sheet` fills a Google Sheet (``sources/gsheet.py`` does the work, and
gspread is imported only when a sheet is asked for).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import SourceError, error_text
from ..core.problems import render_message
from ..core.schema import tab_specs
from ..geo import home_code, register
from .common import add_config_options, config_from_args

#: Exit statuses of SPEC §4.
OK, DATA_ERROR, USAGE_ERROR = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``init (--xlsx PATH | --sheet URL_OR_KEY) [--force] [--no-examples]``."""
    parser = sub.add_parser(
        "init",
        help="make a new workbook (or fill a Google Sheet) with every tab and header",
        description="Make a new .xlsx workbook or fill a Google Sheet with every tab, "
        "header and dropdown, and a few example rows.",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--xlsx", type=Path, metavar="PATH", help="the new .xlsx file")
    target.add_argument("--sheet", metavar="URL_OR_KEY", help="a Google Sheets URL or key")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument(
        "--no-examples", dest="example_rows", action="store_false",
        help="leave the tabs empty (headers only)",
    )
    parser.add_argument(
        "--prefecture",
        help="the home prefecture whose municipalities the 自治体 dropdowns list "
        "(a name or 2-digit code); default: the config's",
    )
    add_config_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """0 when the workbook was made; 2 for a refused or impossible file; 1 for a sheet error."""
    lang: str = args.lang or "ja"
    if args.xlsx is not None:
        return init_xlsx(args.xlsx, force=args.force, example_rows=args.example_rows, lang=lang,
                         towns=_towns(args))
    return init_sheet(args, lang)


def _towns(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(name, code) of the home prefecture's municipalities and wards, in code order:
    ``--prefecture``, else the configuration's; none when neither names one."""
    config = config_from_args(args)
    home = home_code(args.prefecture if args.prefecture is not None else config.prefecture,
                     config.lang)
    if home is None:
        return []
    return [(m.name, m.code) for m in register().municipalities_of(home)]


def init_xlsx(
    path: Path,
    *,
    force: bool,
    example_rows: bool,
    lang: str = "ja",
    towns: Sequence[tuple[str, str]] = (),
) -> int:
    """Write a new workbook to ``path``; never replace a file unless ``force``.
    ``towns`` ((name, code)) fill the 自治体 dropdowns."""
    from ..sources.xlsx_init import new_workbook_bytes, write_new_workbook

    if path.suffix.lower() != ".xlsx":
        return _fail("init.not_xlsx", lang, USAGE_ERROR, path=path)
    if path.exists() and not force:
        return _fail("init.exists", lang, USAGE_ERROR, path=path)
    data = new_workbook_bytes(example_rows, lang=lang, stamp=None, towns=towns)
    try:
        write_new_workbook(path, data, overwrite=force)
    except FileExistsError:
        return _fail("init.exists", lang, USAGE_ERROR, path=path)
    except OSError as exc:
        return _fail("init.failed", lang, USAGE_ERROR, path=path, detail=exc.strerror or exc)
    tabs = ("、" if lang == "ja" else ", ").join(spec.name for spec in tab_specs())
    print(render_message("init.created", {"path": path, "tabs": tabs}, lang))
    return OK


def init_sheet(args: argparse.Namespace, lang: str) -> int:
    """Fill the Google Sheet ``args.sheet``; a sheet that cannot be used is exit 1."""
    from ..sources.gsheet import init_google_sheet

    config = config_from_args(args)
    lang = args.lang or config.lang
    try:
        result = init_google_sheet(
            args.sheet, credentials=config.credentials, example_rows=args.example_rows,
            towns=_towns(args),
        )
    except SourceError as exc:
        print(f"campaign-sheets: {error_text(exc, lang)}", file=sys.stderr)
        return DATA_ERROR
    print(result.summary(lang))
    return OK


def _fail(code: str, lang: str, status: int, **params: object) -> int:
    print(f"campaign-sheets: {render_message(code, params, lang)}", file=sys.stderr)
    return status
