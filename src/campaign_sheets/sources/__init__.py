"""Sources: where the schedule is read from and written back to.

:func:`open_source` picks the source a ``--source`` string names. Each backend
module imports its heavy dependency itself, so only the one in use is loaded.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import ConfigError
from ..core.problems import Nested
from ..core.values import CellValue, CellWrite, RawTable, WriteBack, WriteResult
from .base import Source

__all__ = [
    "CellValue",
    "CellWrite",
    "RawTable",
    "Source",
    "WriteBack",
    "WriteResult",
    "is_google_sheet",
    "open_source",
]


def is_google_sheet(spec: str) -> bool:
    """True for ``gsheet:<key>`` and Google Sheets URLs."""
    return spec.startswith("gsheet:") or "docs.google.com/spreadsheets" in spec


def open_source(
    spec: str, *, credentials: Path | None = None, cache_path: Path | None = None
) -> Source:
    """The source ``spec`` names: an ``.xlsx`` path, ``gsheet:<key>`` or a Sheets URL.

    ``cache_path`` is where a Google Sheet source keeps the tab names it learned
    (a small JSON file, best next to the state store) so that a sync started
    afresh still reads the sheet in one request.
    """
    if not spec:
        raise ConfigError(Nested("config.no_source"))
    if is_google_sheet(spec):
        from .gsheet import GoogleSheetSource

        return GoogleSheetSource.from_spec(spec, credentials=credentials, cache_path=cache_path)
    if spec.startswith(("http://", "https://")):
        raise ConfigError(Nested("config.source_not_sheet", {"value": spec}))
    path = Path(spec)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ConfigError(Nested("config.source_not_xlsx", {"value": spec}))
    from .xlsx import XlsxSource

    return XlsxSource(path)
