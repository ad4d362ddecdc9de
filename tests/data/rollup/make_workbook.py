"""Writes a case of this folder (``autumn.json``: tab name → rows) as an .xlsx workbook.

Run ``python tests/data/rollup/make_workbook.py autumn.json out.xlsx`` to look at a
case in Excel or LibreOffice; the tests call :func:`write_workbook` on a temporary path.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from openpyxl import Workbook


def write_workbook(case: Path, target: Path) -> Path:
    """Write the tabs of ``case`` (JSON) into a new workbook at ``target``."""
    tabs = json.loads(case.read_text(encoding="utf-8"))
    book = Workbook()
    book.remove(book.active)
    for name, rows in tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(target)
    return target


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    write_workbook(here / sys.argv[1], Path(sys.argv[2]))
