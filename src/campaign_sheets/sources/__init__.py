"""Sources: where the schedule is read from and written back to.

:func:`open_source` picks the source a ``--source`` string names. Each backend
module imports its heavy dependency itself, so only the one in use is loaded.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .base import CellValue, CellWrite, RawTable, Source, WriteBack, WriteResult

__all__ = [
    "CellValue", "CellWrite", "RawTable", "Source", "WriteBack", "WriteResult", "open_source",
    "is_google_sheet",
]


def is_google_sheet(spec: str) -> bool:
    """True for ``gsheet:<key>`` and Google Sheets URLs."""
    return spec.startswith("gsheet:") or "docs.google.com/spreadsheets" in spec


def open_source(spec: str, *, credentials: Path | None = None) -> Source:
    """The source ``spec`` names: an ``.xlsx`` path, ``gsheet:<key>`` or a Sheets URL."""
    if not spec:
        raise ConfigError("no source: give --source or set 'source' in the configuration")
    if is_google_sheet(spec):
        from .gsheet import GoogleSheetSource

        return GoogleSheetSource.from_spec(spec, credentials=credentials)
    if spec.startswith(("http://", "https://")):
        raise ConfigError(f"'{spec}' is not a Google Sheets URL or an .xlsx path")
    path = Path(spec)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ConfigError(f"'{spec}': the source must be an .xlsx workbook or a Google Sheet")
    from .xlsx import XlsxSource

    return XlsxSource(path)
