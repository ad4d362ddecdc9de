"""The report tables are kept under a digest of their records: records that differ in
anything a table could show get another digest, equal ones the same, and the problems
found merging them (which no table shows) change nothing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.model import Participation
from campaign_sheets.core.problems import make_problem
from campaign_sheets.rollup.records import Records
from campaign_sheets.rollup.table_cache import _records_digest

people = st.one_of(st.none(), st.integers(min_value=0, max_value=500))
rows = st.lists(st.tuples(st.sampled_from(["E001", "E002", "E003"]),
                          st.sampled_from(["年金者組合", "民医連", "新婦人"]), people),
                max_size=6)


def records_of(listed: list[tuple[str, str, int | None]], home: str | None = None) -> Records:
    return Records(participation=tuple(Participation(e, o, p) for e, o, p in listed),
                   stated={e: ((), ()) for e, _, _ in listed}, home=home)


@given(rows, rows)
def test_records_get_the_same_digest_exactly_when_they_are_equal(
    one: list[tuple[str, str, int | None]], other: list[tuple[str, str, int | None]]
) -> None:
    a, b = records_of(one), records_of(other)
    assert (_records_digest(a) == _records_digest(b)) == (a == b)


def test_equal_records_made_twice_share_their_digest_and_problems_do_not_count() -> None:
    listed = [("E001", "年金者組合", 12), ("E002", "民医連", None)]
    first, again = records_of(listed), records_of(listed)
    assert first is not again
    assert _records_digest(first) == _records_digest(again)
    flagged = replace(first, problems=(make_problem("participation.zero", "参加", 3),))
    assert _records_digest(flagged) == _records_digest(first)
    assert _records_digest(records_of(listed, home="14")) != _records_digest(first)
    moved = Records(tallies=(), registrations=(), participation=first.participation)
    assert _records_digest(moved) != _records_digest(first)  # the stated part is gone
