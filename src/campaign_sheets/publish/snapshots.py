"""The last good read of each sheet of a many-sheet tree, kept in the state store.

A council's sheet that cannot be read (access withdrawn, the file broken, Google down)
must not take its events out of the national calendar: the sync builds from the
tables it last read instead, exactly as they were, and says so. The tables are kept as
compressed JSON with every cell's type (a date stays a date, an uncomputed formula
stays one), so that reading them back gives the same values the source gave.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from ..core.values import CellValue, RawTable, UncomputedFormula


def encode_tables(tables: Mapping[str, RawTable]) -> bytes:
    """``tables`` as compressed bytes that :func:`decode_tables` reads back equal."""
    data = {name: {"name": table.name, "rows": [[_cell(v) for v in row] for row in table.rows]}
            for name, table in tables.items()}
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)


def decode_tables(blob: bytes) -> dict[str, RawTable]:
    """The tables :func:`encode_tables` made ``blob`` of."""
    data = json.loads(zlib.decompress(blob).decode("utf-8"))
    return {key: RawTable(name=table["name"], rows=[[_value(v) for v in row]
                                                     for row in table["rows"]])
            for key, table in data.items()}


def _cell(value: CellValue) -> Any:
    """A cell as JSON: plain text, numbers, booleans and blanks as themselves, the rest
    tagged (``{"d": "2026-12-03"}``)."""
    if isinstance(value, UncomputedFormula):
        return {"f": str(value)}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, float):
        # a whole float would come back an int from JSON
        return {"x": repr(value)} if value.is_integer() or value != value else value
    return value


def _value(data: Any) -> CellValue:
    if not isinstance(data, dict):
        return data  # type: ignore[no-any-return]
    (tag, text), = data.items()
    if tag == "f":
        return UncomputedFormula(text)
    if tag == "dt":
        return datetime.fromisoformat(text)
    if tag == "d":
        return date.fromisoformat(text)
    if tag == "t":
        return time.fromisoformat(text)
    return float(text)
