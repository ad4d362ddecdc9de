"""Build ``<case>.xlsx`` from each ``<case>.toml`` in this folder.

Run it after editing a case: ``python tests/data/mistakes/make_workbooks.py``.
TOML dates and times become real date/time cells, as Excel stores them.
"""

from __future__ import annotations

import datetime
import sys
import tomllib
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def case_tabs(path: Path) -> dict[str, list[list[object]]]:
    """The tabs of a case, with the shared 団体 tab unless the case has its own."""
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    tabs = dict(case["tabs"])
    if "団体" not in tabs:
        tabs.update(tomllib.loads((HERE / "_orgs.toml").read_text(encoding="utf-8")))
    return tabs


def write_case(path: Path) -> Path:
    """Write the workbook of one case beside it; returns its path."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in case_tabs(path).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                value = cell.value
                if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy/mm/dd"
                elif isinstance(value, datetime.time):
                    cell.number_format = "hh:mm"
    target = path.with_suffix(".xlsx")
    book.save(target)
    return target


if __name__ == "__main__":
    for case in sorted(HERE.glob("[!_]*.toml")):
        print(write_case(case), file=sys.stderr)
