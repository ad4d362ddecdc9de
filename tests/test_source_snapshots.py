"""A sheet that cannot be read is built from its last good read: the tables kept in the
state store come back exactly as the source gave them, every cell's type included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.values import RawTable, UncomputedFormula
from campaign_sheets.publish.snapshots import decode_tables, encode_tables
from campaign_sheets.publish.state import StateStore

cells = st.one_of(
    st.none(), st.text(), st.integers(), st.booleans(),
    st.floats(allow_nan=False), st.dates(), st.datetimes(), st.times(),
    st.text().map(UncomputedFormula),
)
tables = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.lists(st.lists(cells, max_size=5), max_size=5),
    max_size=3,
)


@given(tables)
def test_tables_come_back_as_they_were(raw: dict[str, list[list[object]]]) -> None:
    original = {name: RawTable(name=name, rows=rows) for name, rows in raw.items()}
    back = decode_tables(encode_tables(original))  # type: ignore[arg-type]
    assert back == original
    for name, table in original.items():
        for row, row_back in zip(table.rows, back[name].rows, strict=True):
            assert [type(v) for v in row] == [type(v) for v in row_back]


def test_the_store_keeps_the_last_good_read(tmp_path: object) -> None:
    from pathlib import Path

    store = StateStore(Path(str(tmp_path)) / "state.sqlite")
    assert store.last_read("東京社保協") is None
    tables = {"行動": RawTable("行動", [["ID", "日付"], ["a", date(2026, 12, 1)],
                                       ["b", datetime(2026, 12, 2, 9, 30), time(13, 0), 1.5]])}
    at = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    store.keep_read("東京社保協", at, encode_tables(tables))
    kept = store.last_read("東京社保協")
    assert kept is not None
    assert kept[0] == at and decode_tables(kept[1]) == tables
