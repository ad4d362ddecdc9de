"""A sync that changes no figure of the reports reuses report.xlsx and the chart, byte for byte."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.audience import Audience
from campaign_sheets.core.config import Config
from campaign_sheets.core.model import Visibility, Workbook
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.rollup.export import to_xlsx
from campaign_sheets.rollup.records import collect_records
from campaign_sheets.rollup.report_files import (
    build_reports,
    default_period,
    report_files,
    rollup_for,
)
from campaign_sheets.rollup.report_xlsx import _cell_width, display_width
from campaign_sheets.rollup.tables import Column, Table
from test_rollup_records import autumn

TODAY = date(2026, 1, 10)
TOKEN = "s3cret"
RENDERED = ("report.xlsx", "participation.png")


def _ctx(workbook: Workbook, token: str | None = TOKEN) -> BuildContext:
    return BuildContext(Config(fiscal_year=2025), workbook, TODAY, members_token=token)


def _kept(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.suffix in (".xlsx", ".png"))


def test_cached_reports_are_the_bytes_of_uncached_ones_cold_and_warm(tmp_path: Path) -> None:
    ctx = _ctx(autumn())
    uncached = build_reports(ctx)
    cold = build_reports(ctx, cache_dir=tmp_path)
    warm = build_reports(_ctx(autumn()), cache_dir=tmp_path)
    assert cold == uncached
    assert warm == uncached
    # the public and the members' view differ, so each has its workbook and chart
    assert len(_kept(tmp_path)) == 4


def test_an_edit_that_changes_no_figure_reads_the_renderings_back(tmp_path: Path) -> None:
    workbook = autumn()
    first = build_reports(_ctx(workbook), cache_dir=tmp_path)
    # Mark every kept rendering, so that a build which used them shows it.
    for path in _kept(tmp_path):
        path.write_bytes(b"kept:" + path.read_bytes())
    edited = replace(workbook, actions=tuple(
        replace(a, description=a.description + "（持ち物: 名札）") for a in workbook.actions))
    again = build_reports(_ctx(edited), cache_dir=tmp_path)
    for path, data in first.items():
        if path.endswith(RENDERED):
            assert again[path] == b"kept:" + data, path
        else:
            assert again[path] == data, path


def test_a_changed_figure_renders_afresh(tmp_path: Path) -> None:
    workbook = autumn()
    build_reports(_ctx(workbook), cache_dir=tmp_path)
    renamed = replace(workbook, actions=tuple(
        replace(a, title=a.title + "・改") for a in workbook.actions))
    cached = build_reports(_ctx(renamed), cache_dir=tmp_path)
    assert cached == build_reports(_ctx(renamed))
    assert cached["reports/report.xlsx"] != build_reports(_ctx(workbook))["reports/report.xlsx"]
    assert len(_kept(tmp_path)) == 6  # two new workbooks; the charts show no title


def test_members_who_see_what_the_public_sees_get_the_same_files(tmp_path: Path) -> None:
    workbook = autumn()
    public_only = replace(workbook, actions=tuple(
        replace(a, contact="") for a in workbook.actions
        if a.visibility is Visibility.PUBLIC))
    ctx = _ctx(public_only)
    files = build_reports(ctx, cache_dir=tmp_path)
    period = default_period(ctx)
    members = report_files(rollup_for(ctx, Audience.MEMBERS, period, collect_records(public_only)),
                           f"members/{TOKEN}/reports/")
    assert {k: v for k, v in files.items() if k.startswith("members/")} == members
    public = {k: v for k, v in files.items() if k.startswith("reports/")}
    assert {k.removeprefix(f"members/{TOKEN}/"): v for k, v in members.items()} == public
    assert len(_kept(tmp_path)) == 2


def test_records_collected_by_the_sync_give_the_same_reports() -> None:
    workbook = autumn()
    ctx = _ctx(workbook)
    assert build_reports(ctx, records=collect_records(workbook)) == build_reports(ctx)


_cells = st.one_of(
    st.none(), st.integers(-10**6, 10**6),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["1", "=SUM(A1)", "不明", "年金者組合", ""]),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_cells, _cells), max_size=6), other=_cells)
def test_a_workbook_from_the_cache_is_the_workbook_of_its_own_tables(
    tmp_path: Path, rows: list[tuple[object, object]], other: object
) -> None:
    columns = (Column("a", "団体"), Column("b", "人数"))
    table = Table("by_org", "団体別", columns, tuple(rows))  # type: ignore[arg-type]
    changed = Table("by_org", "団体別", columns, (*rows, (other, 1)))  # type: ignore[arg-type]
    for candidate in (table, changed, table):
        assert to_xlsx([candidate], tmp_path) == to_xlsx([candidate])


def test_a_number_and_its_text_are_different_workbooks(tmp_path: Path) -> None:
    columns = (Column("n", "人数"),)
    number = to_xlsx([Table("t", "表", columns, ((1,),))], tmp_path)
    text = to_xlsx([Table("t", "表", columns, (("1",),))], tmp_path)
    assert number != text
    assert text == to_xlsx([Table("t", "表", columns, (("1",),))])


@given(st.text())
def test_column_widths_count_wide_characters_twice(text: str) -> None:
    assert _cell_width(text) == display_width(text)
