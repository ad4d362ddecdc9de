"""The contract every source keeps (run once per factory in conftest.FACTORIES).

What the loader may rely on, stated precisely:

- ``read_tables()`` returns every tab, keyed and named exactly as the workbook
  spells it (Japanese names included), in workbook order.
- ``rows[i]`` is sheet row ``i + 1``. Trailing blank cells of a row are gone, an
  all-blank row inside the data is ``[]``, trailing blank rows are gone, and an
  empty tab has no rows. A blank cell before the last value of a row is ``None``
  or ``""``. A cell holding only spaces counts as blank.
- Text comes back as typed (Japanese, full-width forms, inner line breaks).
  ``bool`` stays ``bool``; an integer stays an ``int``; a float compares equal
  to the number typed (an integral float may come back as an ``int``).
- A date cell comes back as a ``date``, a ``datetime`` at midnight, or a serial
  day number (``int``/``float``, days since 1899-12-30, as Google Sheets gives);
  a date-and-time cell as a ``datetime`` or a serial number; a time cell as a
  ``time`` or a fraction of a day. :func:`as_date`, :func:`as_datetime` and
  :func:`as_time` below read all these forms; the loader accepts the same ones.
- ``write_back`` writes a ``CellWrite`` only into a blank cell unless
  ``only_if_blank`` is false (a person's value wins and the write is reported
  as skipped), replaces the 集計 tab wholesale (creating it, last, when missing),
  and leaves every other cell as it was. An empty ``WriteBack`` writes nothing.
  A read after the write sees what was written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.errors import SourceError
from campaign_sheets.core.values import CellValue, CellWrite, RawTable, WriteBack
from campaign_sheets.sources.base import Source
from gsheet_support import comparable_rows

Factory = Callable[[Mapping[str, Sequence[Sequence[CellValue]]]], Source]

EPOCH = datetime(1899, 12, 30)

EVENTS = [
    ["ID", "種別", "行動名", "日付", "時間", "公開"],
    ["2026-1204-street", "宣伝行動", "４のつく日宣伝（横浜駅西口）", date(2026, 12, 4),
     "12:00～13:00"],
    [None, "講座", "社会保障講座 第1回", "12月7日（月）", time(18, 30), "公開"],
    [],
    ["", "集会", "県民大集会", datetime(2027, 1, 16, 13, 30), None, "会員"],
]
ORGS = [["団体名", "略称", "キー"], ["神奈川県保険医協会", "協会", "hokeni"]]


def as_date(value: CellValue) -> date:
    """A date cell in any form a source may return it."""
    if isinstance(value, datetime):
        assert value.time() == time(0), value
        return value.date()
    if isinstance(value, date):
        return value
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return (EPOCH + timedelta(days=value)).date()


def as_datetime(value: CellValue) -> datetime:
    """A date-and-time cell in any form a source may return it."""
    if isinstance(value, datetime):
        return value
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return EPOCH + timedelta(days=value)


def as_time(value: CellValue) -> time:
    """A time cell in any form a source may return it."""
    if isinstance(value, time):
        return value
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return (EPOCH + timedelta(days=value)).time()


def blank(value: CellValue) -> bool:
    """The forms a blank cell before the last value of a row may take."""
    return value is None or value == ""


def test_organiser_reads_every_tab_by_its_japanese_name(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS, "団体": ORGS, "空のタブ": []})
    tables = source.read_tables()
    assert list(tables) == ["行動", "団体", "空のタブ"]
    assert all(isinstance(t, RawTable) and t.name == name for name, t in tables.items())
    assert tables["空のタブ"].rows == []
    assert [list(r) for r in tables["団体"].rows] == ORGS


def test_typed_values_come_back_as_typed(make_source: Factory) -> None:
    row = ["横浜駅 西口", "１２：３０～", 42, 2.5, True, False, date(2026, 12, 7),
           datetime(2027, 1, 16, 13, 30), time(9, 45), "9条の会\n2行目"]
    got = list(make_source({"t": [row]}).read_tables()["t"].rows[0])
    assert got[:2] == row[:2]
    assert got[2] == 42 and type(got[2]) is int
    assert got[3] == 2.5
    assert got[4] is True and got[5] is False
    assert as_date(got[6]) == date(2026, 12, 7)
    assert as_datetime(got[7]) == datetime(2027, 1, 16, 13, 30)
    assert as_time(got[8]) == time(9, 45)
    assert got[9] == "9条の会\n2行目"


def test_trailing_blanks_are_trimmed_and_an_inner_empty_row_is_empty(
    make_source: Factory,
) -> None:
    rows: list[list[CellValue]] = [
        ["a", None, "c", None, None],
        [None, None],
        [],
        [None, "b", "   "],
        [None, None, None],
        [],
    ]
    got = [list(r) for r in make_source({"t": rows}).read_tables()["t"].rows]
    assert len(got) == 4
    assert got[0][0] == "a" and blank(got[0][1]) and got[0][2] == "c" and len(got[0]) == 3
    assert got[1] == [] and got[2] == []
    assert len(got[3]) == 2 and blank(got[3][0]) and got[3][1] == "b"


def test_blank_ids_are_written_back_and_read_again(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS, "団体": ORGS})
    writes = WriteBack(cells=(
        CellWrite("行動", 3, 0, "2026-1207-course"),
        CellWrite("行動", 5, 0, "2027-0116-rally"),
    ))
    result = source.write_back(writes)
    assert result.written == writes.cells and result.skipped == ()
    rows = source.read_tables()["行動"].rows
    assert rows[2][0] == "2026-1207-course"
    assert rows[4][0] == "2027-0116-rally"


def test_an_id_a_person_typed_since_the_read_wins(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS})
    mine = CellWrite("行動", 2, 0, "tool-id")
    result = source.write_back(WriteBack(cells=(mine,)))
    assert result.skipped == (mine,) and result.written == ()
    assert source.read_tables()["行動"].rows[1][0] == "2026-1204-street"


def test_a_forced_write_replaces_the_value(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS})
    forced = CellWrite("行動", 2, 0, "new-id", only_if_blank=False)
    assert source.write_back(WriteBack(cells=(forced,))).written == (forced,)
    assert source.read_tables()["行動"].rows[1][0] == "new-id"


def test_a_write_past_the_end_of_a_ragged_row_lands_in_its_cell(make_source: Factory) -> None:
    source = make_source({"行動": [["行動名", "備考", "ID"], ["宣伝"]]})
    source.write_back(WriteBack(cells=(CellWrite("行動", 2, 2, "abc"),)))
    row = source.read_tables()["行動"].rows[1]
    assert row[0] == "宣伝" and blank(row[1]) and row[2] == "abc"


def test_write_back_touches_no_other_cell(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS, "団体": ORGS, "集計": [["古い", "集計", "表"]] * 5})
    before = source.read_tables()
    rollup: list[list[CellValue]] = [["団体", "参加回数"], ["協会", 3]]
    source.write_back(WriteBack(cells=(CellWrite("行動", 3, 0, "x1"),), rollup=rollup))
    after = source.read_tables()
    assert list(after) == ["行動", "団体", "集計"]
    assert after["団体"].rows == before["団体"].rows
    changed = [list(r) for r in after["行動"].rows]
    changed[2][0] = None
    assert comparable_rows(changed, blank) == comparable_rows(before["行動"].rows, blank)
    assert [list(r) for r in after["集計"].rows] == rollup


def test_rollup_tab_is_made_last_when_missing(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS, "団体": ORGS})
    result = source.write_back(WriteBack(rollup=[["計", 11]]))
    assert result.rollup_written
    tables = source.read_tables()
    assert list(tables) == ["行動", "団体", "集計"]
    assert [list(r) for r in tables["集計"].rows] == [["計", 11]]


def test_nothing_to_write_writes_nothing(make_source: Factory) -> None:
    source = make_source({"行動": EVENTS})
    before = source.read_tables()
    result = source.write_back(WriteBack())
    assert result.written == () and result.skipped == () and not result.rollup_written
    assert source.read_tables() == before


def test_a_write_to_a_tab_that_is_gone_is_refused_and_writes_nothing(
    make_source: Factory,
) -> None:
    source = make_source({"行動": EVENTS})
    before = source.read_tables()
    writes = WriteBack(cells=(CellWrite("行動", 3, 0, "ok"), CellWrite("消えたタブ", 2, 0, "x")))
    with pytest.raises(SourceError, match="消えたタブ"):
        source.write_back(writes)
    assert source.read_tables() == before


def _normal(value: CellValue) -> CellValue:
    """A read value in the one form the property test compares."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


plain_text = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1, max_size=12,
).filter(lambda s: s.strip() != "")
cell_values = st.one_of(
    st.none(),
    plain_text,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda f: round(f, 6)),
    st.booleans(),
)
tables_in = st.dictionaries(
    keys=st.sampled_from(["行動", "参加", "成果", "団体", "申込", "メモ"]),
    values=st.lists(st.lists(cell_values, max_size=6), max_size=6),
    min_size=1, max_size=3,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tables=tables_in)
def test_any_typed_table_round_trips(
    make_source: Factory, tables: dict[str, list[list[CellValue]]]
) -> None:
    got = make_source(tables).read_tables()
    assert list(got) == list(tables)
    for name, rows in tables.items():
        read = [[_normal(v) for v in row] for row in got[name].rows]
        expected = [[_normal(v) for v in row] for row in rows]
        assert comparable_rows(read, blank) == comparable_rows(expected, blank)
        assert len(read) == len(comparable_rows(rows, blank))
        assert all(not blank(row[-1]) for row in read if row)
        assert all(type(a) is type(b) for r1, r2 in zip(read, rows, strict=False)
                   for a, b in zip(r1, r2, strict=False) if isinstance(b, bool))
