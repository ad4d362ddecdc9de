"""The report files of the output tree (SPEC §5): CSV, XLSX, Markdown and the chart.

``reports/`` holds the public view (no members-only or 非公開 action); the
members' tree ``members/<token>/reports/`` holds the members' view.
"""

from __future__ import annotations

from pathlib import Path

from ..core.audience import Audience, actions_for
from ..core.outputs import BuildContext, OutputFiles
from .chart import Bar, participation_png
from .frame import Rollup
from .period import Period, choose_period
from .records import Records, collect_records, home_of
from .report_writer import files_of, summary_lines_of
from .tables import Cell, Table, label

_PUBLIC = "reports/"


def default_period(ctx: BuildContext) -> Period:
    """The configured fiscal year, else the fiscal year of ``ctx.today``."""
    return choose_period(None, None, ctx.config.fiscal_year, ctx.today)


def rollup_for(
    ctx: BuildContext, audience: Audience, period: Period, records: Records | None = None
) -> Rollup:
    """The roll-up of what ``audience`` may see over ``period``."""
    records = records if records is not None else collect_records(ctx.workbook, home_of(ctx.config))
    visible = actions_for(ctx.workbook.actions, audience)
    return Rollup.build(visible, records, period, ctx.org_index)


def summary_lines(rollup: Rollup) -> list[tuple[str, Cell]]:
    """(label, value) lines of the totals, for the top of a report."""
    totals: dict[str, Cell] = dict(rollup.summary())
    return summary_lines_of([rollup.by_month()], totals)


def chart_bars(by_org: Table) -> list[Bar]:
    """The bars of the participation chart, from the 団体別 table."""
    org, people, unknown = (by_org.column_index(k) for k in ("org", "people", "unknown"))
    return [
        Bar(str(row[org]), count if isinstance(count := row[people], int) else None,
            int(row[unknown] or 0))
        for row in by_org.rows
    ]


def rollup_parts(
    rollup: Rollup, cache_dir: Path | None = None
) -> tuple[list[Table], dict[str, Cell], bytes]:
    """Every table of ``rollup``, its totals and its chart's PNG (drawn, or read back
    from ``cache_dir``): what the report files are written from."""
    tables = rollup.tables()
    by_org = next(t for t in tables if t.key == "by_org")
    chart = participation_png(
        chart_bars(by_org), label("chart_title").format(period=rollup.period.title), cache_dir)
    return tables, dict(rollup.summary()), chart


def report_files(rollup: Rollup, prefix: str, cache_dir: Path | None = None) -> OutputFiles:
    """The report files of one roll-up, their paths under ``prefix``.

    With ``cache_dir``, ``report.xlsx`` and the chart of tables already rendered
    once are read back from there (the same bytes, without XlsxWriter or matplotlib).
    """
    tables, totals, chart = rollup_parts(rollup, cache_dir)
    return files_of(tables, totals, chart, rollup.period, prefix, cache_dir)


def build_reports(
    ctx: BuildContext, cache_dir: Path | None = None, records: Records | None = None
) -> OutputFiles:
    """``reports/…`` for the public, and ``members/<token>/reports/…`` when a token is set.

    ``cache_dir`` keeps ``report.xlsx`` and the chart by content between builds;
    ``records`` are the workbook's records when the caller has collected them already.
    When members see exactly the actions the public sees, their files are the
    public's, built once.
    """
    records = records if records is not None else collect_records(ctx.workbook, home_of(ctx.config))
    period = default_period(ctx)
    public = actions_for(ctx.workbook.actions, Audience.PUBLIC)
    public_files = report_files(Rollup.build(public, records, period, ctx.org_index),
                                _PUBLIC, cache_dir)
    files = dict(public_files)
    if ctx.members_token:
        prefix = f"members/{ctx.members_token}/reports/"
        members = actions_for(ctx.workbook.actions, Audience.MEMBERS)
        if members == public:
            files.update({prefix + path.removeprefix(_PUBLIC): data
                          for path, data in public_files.items()})
        else:
            rollup = Rollup.build(members, records, period, ctx.org_index)
            files.update(report_files(rollup, prefix, cache_dir))
    return files
