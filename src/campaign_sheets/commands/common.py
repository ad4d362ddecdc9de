"""What several commands share: options, finding the config, opening the source,
printing problems. The config file is located here and nowhere else."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..core.config import Config, load_config
from ..core.errors import SourceError, error_text
from ..core.problems import Problem, Severity, render_message, sort_problems
from ..core.resources import bundled_config
from ..core.values import RawTable
from ..geo import home_code
from ..sources import Source, open_source

LOCAL_CONFIG = "campaign-sheets.toml"


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """``--config``, ``--source`` and ``--lang``."""
    parser.add_argument("--config", type=Path, help="configuration file (TOML)")
    parser.add_argument("--source", help="an .xlsx path, gsheet:<key> or a Google Sheets URL")
    parser.add_argument("--lang", choices=("ja", "en"), help="language of messages")


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
    if source:
        config = config.with_overrides(write_back=True)
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


def read_source_tables(config: Config) -> dict[str, RawTable] | None:
    """Every tab of the configured source, or ``None`` once the reason it could not be
    read is on standard error (the command then exits 1)."""
    try:
        return source_from_config(config).read_tables()
    except SourceError as exc:
        print(f"campaign-sheets: {error_text(exc, config.lang)}", file=sys.stderr)
        return None


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
