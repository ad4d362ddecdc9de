"""What several commands share: options, finding the config, opening the source,
printing problems. The config file is located here and nowhere else."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..core.config import Config, load_config
from ..core.config_checks import points_at_example
from ..core.errors import ConfigError, ParseError, SourceError, error_text
from ..core.problems import Nested, Problem, Severity, render_message, sort_problems
from ..core.resources import bundled_config
from ..core.values import RawTable
from ..geo import home_code
from ..national import Council, Share, councils_of
from ..national.gather import national_share, sheet_share
from ..sources import Source, open_source

LOCAL_CONFIG = "campaign-sheets.toml"


def add_config_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--config``, ``--source`` and ``--lang``, taken before the command or after it.

    The top-level parser (``top=True``) sets them to ``None``; a command's parser sets
    them only when given after the command, so ``campaign-sheets --lang en check`` and
    ``campaign-sheets check --lang en`` mean the same.
    """
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--config", type=Path, default=default,
                        help="configuration file (TOML; default: campaign-sheets.toml here, "
                        "else the bundled example's)")
    parser.add_argument("--source", default=default,
                        help="an .xlsx path, gsheet:<key> or a Google Sheets URL")
    add_lang_option(parser, top=top)


def add_lang_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--lang ja|en``, before the command or after it (see :func:`add_config_options`)."""
    parser.add_argument("--lang", choices=("ja", "en"),
                        default=None if top else argparse.SUPPRESS,
                        help="language of messages (default: the configuration's, else ja)")


def configured_lang(args: argparse.Namespace) -> str:
    """The language to speak in: ``--lang``, else the configuration's ``lang`` (read as
    plain TOML, so that it works even when the configuration has errors), else ja."""
    if getattr(args, "lang", None):
        return str(args.lang)
    try:
        path, _ = locate_config(getattr(args, "config", None))
        lang = tomllib.loads(path.read_text(encoding="utf-8")).get("lang")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "ja"
    return lang if lang in ("ja", "en") else "ja"


def add_prefecture_option(parser: argparse.ArgumentParser) -> None:
    """``--prefecture``: the home prefecture, over the configuration's."""
    parser.add_argument(
        "--prefecture", help="the home prefecture (a name or 2-digit code); default: the config's"
    )


def home_from_args(args: argparse.Namespace, config: Config) -> str | None:
    """The two-digit code of the home prefecture: ``--prefecture``, else the config's
    (``None`` when neither names one; an unknown name is a usage error)."""
    prefecture = getattr(args, "prefecture", None)
    if prefecture is not None:
        return home_code(prefecture, config.lang)
    return home_code(config.prefecture, config.lang)


def locate_config(explicit: Path | None) -> tuple[Path, bool]:
    """``--config``, else ``campaign-sheets.toml`` here, else the bundled one.

    Returns the path and whether it is the bundled config.
    """
    if explicit is not None:
        return explicit, False
    local = Path.cwd() / LOCAL_CONFIG
    if local.exists():
        return local, False
    return bundled_config(), True


def config_from_args(args: argparse.Namespace) -> Config:
    """The configuration with the command-line options applied."""
    path, bundled = locate_config(getattr(args, "config", None))
    config = load_config(path, bundled=bundled)
    source = getattr(args, "source", None)
    if source and not source.startswith("gsheet:") and "://" not in source:
        source = str(Path(source).resolve())
    out = getattr(args, "out", None)
    if source and config.sources:
        raise ConfigError(Nested("config.source_option_with_sources", {}), lang=config.lang)
    if source:
        config = config.with_overrides(write_back=True, bundled_example=False)
    config = config.with_overrides(
        source=source,
        lang=getattr(args, "lang", None),
        out=Path(out).absolute() if out else None,
    )
    home_code(config.prefecture, config.lang)  # an unknown prefecture is a usage error
    return config


def source_from_config(config: Config) -> Source:
    """Open the configured source (a Google Sheet remembers its tab names beside the
    state store, so a steady-state sync costs one request)."""
    cache = config.state.with_name(config.state.name + ".sheets.json")
    return open_source(config.source, credentials=config.credentials, cache_path=cache)


def sources_from_config(config: Config) -> Source | list[tuple[Council, Source]]:
    """The configured source, or for ``[[sources]]`` each council with its sheet (each
    Google Sheet remembers its tab names in its own file beside the state store)."""
    if not config.sources:
        return source_from_config(config)
    pairs: list[tuple[Council, Source]] = []
    for council in councils_of(config):
        cache = config.state.with_name(f"{config.state.name}.{council.code}.sheets.json")
        pairs.append((council, open_source(council.source.source,
                                           credentials=config.credentials, cache_path=cache)))
    return pairs


def read_share(config: Config) -> tuple[Share, list[Problem]] | None:
    """The workbook validated (its records counted, its drives matched) and its
    problems; for ``[[sources]]`` every council's sheet merged, one that cannot be read
    an error naming it. ``None`` once the reason one source could not be read is on
    standard error (the command then exits 1)."""
    if config.sources:
        pairs = sources_from_config(config)
        assert isinstance(pairs, list)
        return national_share(pairs, config.lang)
    tables = read_source_tables(config)
    if tables is None:
        return None
    from ..load import load_workbook

    share = sheet_share(load_workbook(tables, config), config, {})
    return share, list(share.problems)


def read_source_tables(config: Config) -> dict[str, RawTable] | None:
    """Every tab of the configured source, or ``None`` once the reason it could not be
    read is on standard error (the command then exits 1)."""
    try:
        return source_from_config(config).read_tables()
    except SourceError as exc:
        print(f"campaign-sheets: {error_text(exc, config.lang)}", file=sys.stderr)
        if getattr(exc, "code", "") == "source.xlsx_missing":
            print(f"campaign-sheets: {missing_workbook_hint(config)}", file=sys.stderr)
        return None


def missing_workbook_hint(config: Config) -> str:
    """What to do about a workbook that is not there, knowing where its name came from:
    a copied example configuration, a folder that does not exist, or a file to make."""
    name = str(config.path) if config.path is not None else LOCAL_CONFIG
    path = Path(config.source)
    shown = _shown_path(path)
    if points_at_example(config):
        return render_message("config.source_is_example",
                              {"config": name, "source": shown}, config.lang)
    if not path.parent.is_dir():
        return render_message("config.source_folder_missing",
                              {"config": name, "folder": _shown_path(path.parent)}, config.lang)
    return render_message("config.source_make_new", {"config": name, "path": shown}, config.lang)


def _shown_path(path: Path) -> str:
    """``path`` as a person would type it here: relative when below this folder."""
    full = Path(os.path.normpath(path.absolute()))
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)


def print_problems(
    problems: list[Problem], fmt: str, lang: str, stream: TextIO | None = None
) -> None:
    """Print problems as text (one a line, with the cell) or as SPEC §4 JSON."""
    stream = stream or sys.stdout
    ordered = sort_problems(problems)
    if fmt == "json":
        payload: dict[str, Any] = {"problems": [p.to_json(lang) for p in ordered]}
        json.dump(payload, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    labels = {s: render_message(f"severity.{s.value}", {}, lang) for s in Severity}
    for p in ordered:
        stream.write(f"{p.location}: {labels[p.severity]}: {p.message(lang)} [{p.code}]\n")


def period_date(text: str | None, config: Config) -> date | None:
    """``--from`` / ``--to`` as typed (any date form the sheet takes), or ``None``; an
    unreadable one is a usage error."""
    if text is None:
        return None
    from ..parsing.dates import parse_date

    try:
        return parse_date(text, year=config.year, fiscal_year=config.fiscal_year).date
    except ParseError as exc:
        message = render_message("rollup.bad_period", {"value": text}, config.lang)
        raise ConfigError(message) from exc
