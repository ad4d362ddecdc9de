"""Writing roll-up tables as text, Markdown, CSV, JSON and XLSX.

CSV is UTF-8 *with* a byte-order mark and CRLF line ends: Excel on Windows (what
most secretariats open a CSV with) reads Japanese right only with the BOM, and
LibreOffice, pandas and Python's ``csv`` (with ``encoding="utf-8-sig"``) read it
as well. An unknown count is written as 不明 in every format but JSON, where it is
``null``; an empty cell means there is nothing to show.

CSV, Markdown and XLSX take their cells from :func:`~.tables.export_rows`: text that
a spreadsheet would run as a formula (``=HYPERLINK(…)``) gets an apostrophe in front.
JSON (read by scripts) and the terminal text keep every text exactly as typed.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import cached_on_disk
from .period import Period
from .render_cache import render_key
from .tables import Cell, Table, export_cell, export_header, export_rows, show

if TYPE_CHECKING:
    from .report_xlsx import PlainSheet

#: Formats ``report --format`` accepts.
FORMATS = ("text", "md", "csv", "xlsx", "json")


def to_csv(table: Table) -> bytes:
    """The table as CSV bytes (UTF-8 with BOM, CRLF), header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export_header(table))
    writer.writerows(export_rows(table))
    return buffer.getvalue().encode("utf-8-sig")


def _md_cell(cell: Cell) -> str:
    # A pipe would end the cell and any line break (also U+2028, NEL …) the row.
    return " ".join(str(export_cell(cell)).replace("|", "\\|").splitlines())


def to_markdown_table(table: Table) -> str:
    """One table as a Markdown pipe table (numbers right-aligned)."""
    numeric = [all(isinstance(r[i], int) or r[i] in ("", None) for r in table.rows)
               for i in range(len(table.columns))]
    lines = [
        "| " + " | ".join(_md_cell(c.label) for c in table.columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def to_markdown(
    tables: Sequence[Table], title: str, summary: Sequence[tuple[str, Cell]] = ()
) -> str:
    """A Markdown document: the title, a summary list, then each table under a heading."""
    parts = [f"# {title}\n"]
    if summary:
        parts.append("\n".join(f"- {name}: {export_cell(value)}" for name, value in summary)
                     + "\n")
    for table in tables:
        parts.append(f"## {table.title}\n\n" + to_markdown_table(table))
    return "\n".join(parts)


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide Japanese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_text(table: Table) -> str:
    """The table as aligned plain text for a terminal, title first."""
    cells = [[c.label for c in table.columns]] + [[show(c) for c in r] for r in table.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(table.columns))]
    lines = [table.title]
    for row in cells:
        padded = [text + " " * (width - _width(text)) for text, width in zip(row, widths,
                                                                            strict=True)]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def to_json(
    tables: Sequence[Table], period: Period, extra: Mapping[str, Any] | None = None
) -> str:
    """``{"period": {...}, "tables": {key: {"title", "columns", "rows"}}}``; rows are
    objects keyed by column key, unknown counts are ``null``."""
    payload: dict[str, Any] = {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(),
                   "fiscal_year": period.fiscal_year},
        **(extra or {}),
        "tables": {
            t.key: {
                "title": t.title,
                "columns": [{"key": c.key, "label": c.label} for c in t.columns],
                "rows": t.records(),
            }
            for t in tables
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def xlsx_sheets(tables: Sequence[Table]) -> list[PlainSheet]:
    """The sheets of a report workbook: (title, header labels, rows), 不明 for unknown."""
    return [(t.title, export_header(t), export_rows(t)) for t in tables]


def to_xlsx(tables: Sequence[Table], cache_dir: Path | None = None) -> bytes:
    """A workbook with one sheet per table; an unknown count is the text 不明.

    The bytes are reproducible (fixed document and zip times), so a sync that
    changes nothing writes the same ``report.xlsx``; with ``cache_dir`` a workbook
    of the same tables is read back from there instead of being written again.
    """
    from .report_xlsx import tables_workbook_bytes

    sheets = xlsx_sheets(tables)
    if cache_dir is None:
        return tables_workbook_bytes(sheets)
    key = render_key("report.xlsx", sheets, [tables_workbook_bytes.__module__],
                     ["openpyxl"])
    return cached_on_disk(cache_dir, key, ".xlsx", lambda: tables_workbook_bytes(sheets))
