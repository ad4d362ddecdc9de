"""Source factories for the shared source contract suite.

Every source (workbook file, in-memory, Google Sheet) must pass
``tests/contract/test_source_contract.py``. The suite asks the ``make_source``
fixture for a source holding some tabs; the fixture is parametrised over the
factories registered in :data:`FACTORIES`, so each contract test runs once per
source.

To register another source, add a function with the signature of
:class:`Factory` to :data:`FACTORIES` in this file (the fixture's parameters
are fixed when this file is imported, so register here, not later). The
function receives the tabs as a person would have typed them
(``{tab name: rows}``; a value is ``str``, ``int``, ``float``, ``bool``,
``date``, ``datetime``, ``time`` or ``None`` for an empty cell) and returns a
fresh :class:`Source` holding exactly those tabs, in that order, with nothing
else in it (no default "Sheet1"). A factory that needs something missing on
this machine (credentials, a network) calls
``pytest.skip`` with a reason, e.g. a Google Sheets factory::

    def make_gsheet(tables: TablesIn) -> Source:
        if not os.environ.get("CAMPAIGN_SHEETS_TEST_SHEET"):
            pytest.skip("needs CAMPAIGN_SHEETS_TEST_SHEET and a service account")
        ...  # clear the test spreadsheet, write ``tables`` with USER_ENTERED values
        return GoogleSheetSource.from_spec(...)

    FACTORIES["gsheet"] = make_gsheet

Factories are called many times per test run (the property tests call them per
example), so they must not rely on function-scoped fixtures: take a fresh
folder from :func:`fresh_folder`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path

import pytest

from campaign_sheets.core.values import CellValue
from campaign_sheets.sources.base import Source
from campaign_sheets.sources.memory import MemorySource
from campaign_sheets.sources.xlsx import XlsxSource

TablesIn = Mapping[str, Sequence[Sequence[CellValue]]]
Factory = Callable[[TablesIn], Source]

_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []


def fresh_folder() -> Path:
    """A new empty folder, removed at the end of the test session."""
    folder = tempfile.TemporaryDirectory(prefix="campaign-sheets-contract-")
    _FOLDERS.append(folder)
    return Path(folder.name)


def write_xlsx(path: Path, tables: TablesIn) -> None:
    """Write ``tables`` as a person typing into Excel would leave them.

    Dates, datetimes and times become date-typed cells with the usual formats.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        ws = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text typed as '=…, not a formula
                elif isinstance(value, datetime):
                    cell.number_format = "yyyy/m/d h:mm"
                elif isinstance(value, date):
                    cell.number_format = "yyyy/m/d"
                elif isinstance(value, time):
                    cell.number_format = "h:mm"
    workbook.save(path)


def make_memory(tables: TablesIn) -> Source:
    """The in-memory source."""
    return MemorySource(tables)


def make_xlsx(tables: TablesIn) -> Source:
    """A workbook file in a fresh folder."""
    path = fresh_folder() / "book.xlsx"
    write_xlsx(path, tables)
    return XlsxSource(path)


#: Source name → factory. Each contract test runs once per entry.
FACTORIES: dict[str, Factory] = {"memory": make_memory, "xlsx": make_xlsx}

from .gsheet_factory import make_gsheet  # noqa: E402  (the emulator-backed Google Sheet)

FACTORIES["gsheet"] = make_gsheet


@pytest.fixture(params=sorted(FACTORIES))
def make_source(request: pytest.FixtureRequest) -> Factory:
    """``make_source(tables) -> Source`` for each registered source."""
    factory: Factory = FACTORIES[request.param]
    return factory


@pytest.fixture(scope="session", autouse=True)
def _remove_folders() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        folder.cleanup()

