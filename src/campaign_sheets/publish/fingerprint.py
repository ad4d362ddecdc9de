"""A fingerprint of everything a sync's outputs are built from.

Builders are pure functions of the tables read, the configuration, the templates,
the day, the members' token and the code itself. When all of these hash the same as
at the last successful sync, and the published tree is still the one that sync left,
building again would give byte-identical files: :mod:`sync` then skips building and
publishing (it still validates, so problems are still reported).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from pathlib import Path

from .. import __version__
from ..core.config import Config
from ..core.resources import bundled_templates
from ..core.values import RawTable

_PACKAGE = Path(__file__).resolve().parent.parent
#: Settings that say where things are, not what the outputs hold.
_NOT_IN_OUTPUTS = frozenset({"path", "source", "out", "state", "credentials", "write_back"})


def input_fingerprint(
    tables: Mapping[str, RawTable], config: Config, today: date, token: str | None
) -> str:
    """The hex digest of every input of a build."""
    digest = hashlib.sha256()

    def add(text: str) -> None:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")

    add(__version__)
    add(code_stamp())
    settings = {k: v for k, v in asdict(config).items() if k not in _NOT_IN_OUTPUTS}
    add(repr(sorted(settings.items())))
    add(today.isoformat())
    add(token or "")
    add(str(importlib.util.find_spec("weasyprint") is not None))
    for folder in (bundled_templates(), config.templates):
        for name, data in folder_files(folder):
            add(name)
            digest.update(data)
    for name in sorted(tables):
        add(name)
        for row in tables[name].rows:
            add(repr(row))
    return digest.hexdigest()


def folder_files(folder: Path | None) -> list[tuple[str, bytes]]:
    """Every file below ``folder`` (relative name, bytes), in a fixed order."""
    if folder is None or not folder.is_dir():
        return []
    return [(str(p.relative_to(folder)), p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()]


def code_stamp() -> str:
    """Size and mtime of every module and data file of the package: an upgrade or an
    edited data table changes what a build makes, so it must change the fingerprint."""
    parts = []
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            info = path.stat()
            parts.append(f"{path.relative_to(_PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)
