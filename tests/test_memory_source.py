"""The in-memory source other tests use: it counts what it was asked to do.

Its read and write-back behaviour is the shared contract (tests/contract/); these
are the test aids only it has.
"""

from __future__ import annotations

from campaign_sheets.core.values import CellWrite, WriteBack
from campaign_sheets.sources import Source
from campaign_sheets.sources.memory import MemorySource

EVENTS = [["ID", "行動名"], [None, "駅頭宣伝"], ["fixed", "講座"]]


def test_a_test_can_see_how_often_the_source_was_read_and_written() -> None:
    source = MemorySource({"行動": EVENTS})
    assert isinstance(source, Source)
    source.read_tables()
    source.read_tables()
    source.write_back(WriteBack())
    assert (source.reads, source.writes) == (2, 0)
    source.write_back(WriteBack(cells=(CellWrite("行動", 3, 0, "x"),)))
    assert source.writes == 0, "a write that was skipped changed nothing"
    source.write_back(WriteBack(cells=(CellWrite("行動", 2, 0, "new"),)))
    assert source.writes == 1
    assert source.tables["行動"][1][0] == "new"


def test_changing_what_was_read_does_not_change_the_source() -> None:
    source = MemorySource({"行動": EVENTS})
    rows = source.read_tables()["行動"].rows
    rows[1][1] = "changed"  # type: ignore[index]
    assert source.tables["行動"][1][1] == "駅頭宣伝"
    assert EVENTS[1][0] is None, "the caller's lists are copied too"
    source.write_back(WriteBack(cells=(CellWrite("行動", 2, 0, "id"),)))
    assert EVENTS[1][0] is None
