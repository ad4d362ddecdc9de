"""What the Google Sheets tests share: one Sheets API emulator per test module, a real
gspread client signed in to it, and rows in the one shape they are compared in.

A test module takes the fixtures by binding them to its own names, so that pytest
finds them there::

    import gsheet_support

    emulator = gsheet_support.emulator
    client = gsheet_support.client
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pytest

from campaign_sheets.core.values import CellValue
from campaign_sheets.sources.tables import cell_is_blank
from sheets_emulator import SheetsEmulator, emulated_client


@pytest.fixture(scope="module")
def emulator() -> Iterator[SheetsEmulator]:
    """A Sheets API emulator on 127.0.0.1 for the whole test module."""
    emu = SheetsEmulator().start()
    yield emu
    emu.stop()


@pytest.fixture(scope="module")
def client(emulator: SheetsEmulator) -> Any:
    """A real ``gspread.Client`` whose requests go to the module's emulator."""
    return emulated_client(emulator)


def comparable_rows(
    rows: Iterable[Sequence[CellValue]],
    blank: Callable[[CellValue], bool] = cell_is_blank,
) -> list[list[CellValue]]:
    """Rows with blank cells as ``None`` and trailing blanks dropped, for comparison.

    ``blank`` says which values count as a blank cell (by default the sources' own rule:
    nothing, or text that is only spaces).
    """
    out = []
    for row in rows:
        cells = [None if blank(v) else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out
