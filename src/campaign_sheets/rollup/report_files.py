"""The report files of the output tree (SPEC §5): CSV, XLSX, Markdown and the chart.

``reports/`` holds the public view (no members-only or 非公開 action); the
members' tree ``members/<token>/reports/`` holds the members' view.
"""

from __future__ import annotations

from ..audience import Audience, actions_for
from ..outputs import BuildContext, OutputFiles
from .chart import Bar, participation_png
from .export import to_csv, to_markdown, to_xlsx
from .frame import Rollup
from .period import Period, choose_period
from .records import Records, collect_records
from .tables import Cell, Table, label


def default_period(ctx: BuildContext) -> Period:
    """The configured fiscal year, else the fiscal year of ``ctx.today``."""
    return choose_period(None, None, ctx.config.fiscal_year, ctx.today)


def rollup_for(
    ctx: BuildContext, audience: Audience, period: Period, records: Records | None = None
) -> Rollup:
    """The roll-up of what ``audience`` may see over ``period``."""
    records = records if records is not None else collect_records(ctx.workbook)
    visible = actions_for(ctx.workbook.actions, audience)
    return Rollup.build(visible, records, period, ctx.org_index)


def summary_lines(rollup: Rollup) -> list[tuple[str, Cell]]:
    """(label, value) lines of the totals, for the top of a report."""
    totals = rollup.summary()
    columns = {c.key: c.label for c in rollup.by_month().columns}
    return [(columns[key], totals[key]) for key in ("actions", "participations", "people",
                                                    "unknown")]


def chart_bars(by_org: Table) -> list[Bar]:
    """The bars of the participation chart, from the 団体別 table."""
    org, people, unknown = (by_org.column_index(k) for k in ("org", "people", "unknown"))
    return [
        Bar(str(row[org]), count if isinstance(count := row[people], int) else None,
            int(row[unknown] or 0))
        for row in by_org.rows
    ]


def report_files(rollup: Rollup, prefix: str) -> OutputFiles:
    """The report files of one roll-up, their paths under ``prefix``."""
    tables = rollup.tables()
    by_key = {t.key: t for t in tables}
    title = label("report_title").format(period=rollup.period.title)
    return {
        f"{prefix}by-action.csv": to_csv(by_key["by_action"]),
        f"{prefix}by-org.csv": to_csv(by_key["by_org"]),
        f"{prefix}tallies.csv": to_csv(by_key["by_item"]),
        f"{prefix}report.xlsx": to_xlsx(tables),
        f"{prefix}report.md": to_markdown(tables, title, summary_lines(rollup)).encode("utf-8"),
        f"{prefix}participation.png": participation_png(
            chart_bars(by_key["by_org"]),
            label("chart_title").format(period=rollup.period.title),
        ),
    }


def build_reports(ctx: BuildContext) -> OutputFiles:
    """``reports/…`` for the public, and ``members/<token>/reports/…`` when a token is set."""
    records = collect_records(ctx.workbook)
    period = default_period(ctx)
    files = report_files(rollup_for(ctx, Audience.PUBLIC, period, records), "reports/")
    if ctx.members_token:
        members = rollup_for(ctx, Audience.MEMBERS, period, records)
        files.update(report_files(members, f"members/{ctx.members_token}/reports/"))
    return files
