"""``campaign-sheets report``: the participation roll-up, or one action's sentence.

Reports are for the secretariat at the terminal, so they show the members' view
(members-only actions included, 非公開 ones never). Problems go to standard
error; the report itself to standard output or ``-o FILE``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..core.audience import Audience, actions_for
from ..core.errors import ConfigError
from ..core.outputs import BuildContext
from ..core.problems import has_errors, render_message
from ..national import Share
from .common import (
    add_config_options,
    config_from_args,
    period_date,
    print_problems,
    read_share,
)

if TYPE_CHECKING:  # the roll-up imports pandas: only when a report is made
    from ..rollup.frame import Rollup


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``report``."""
    parser = sub.add_parser(
        "report",
        help="add up participation and results",
        description="Add up participation and results over a period (the fiscal year by "
        "default) by action, organisation, kind, month or item; with --event ID and "
        "--format text, print that action's report sentence.",
    )
    add_config_options(parser)
    parser.add_argument("--event", metavar="ID", help="only this action")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day (any date form)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day (any date form)")
    parser.add_argument("--by", choices=("action", "org", "kind", "month", "item", "municipality"),
                        help="the roll-up to show (default: org; action with --event)")
    parser.add_argument("--format", choices=("text", "md", "csv", "xlsx", "json"),
                        default="text",
                        help="text: a table for the terminal (default); md: Markdown; csv: "
                        "for Excel (UTF-8 with BOM); xlsx: a workbook (needs -o); json: for "
                        "scripts")
    parser.add_argument("--compare", choices=("previous-year",),
                        help="set the period beside the same days a year earlier "
                             "(the fiscal year before, for a fiscal year)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the roll-up; exit 1 when the data has errors, 2 on bad usage."""
    config = config_from_args(args)
    if args.format == "xlsx" and args.output is None:
        raise ConfigError(render_message("rollup.xlsx_needs_file", {}, config.lang))
    start, end = period_date(args.start, config), period_date(args.end, config)
    read = read_share(config)
    if read is None:
        return 1
    share, problems = read
    today = datetime.now(ZoneInfo(config.timezone)).date()
    ctx = BuildContext(config=config, workbook=share.workbook, today=today)
    data = _report(ctx, args, start, end, share)
    print_problems(problems, "text", config.lang, sys.stderr)
    if data is None:
        return 1
    if args.output is not None:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 1 if has_errors(problems) else 0



def _compared(this: Rollup, last: Rollup, by: str, output: str) -> bytes:
    """The roll-up ``by`` of this period beside the last (``--compare previous-year``)."""
    from ..rollup.compare import compare_table, compare_tables, compare_title
    from ..rollup.export import to_csv, to_json, to_markdown, to_text, to_xlsx

    table = compare_table(by, this, last)
    if output == "csv":
        return to_csv(table)
    if output == "md":
        return to_markdown([table], compare_title(this.period, last.period)).encode("utf-8")
    if output == "json":
        return to_json([table], this.period, {"compared_with": {
            "from": last.period.start.isoformat(), "to": last.period.end.isoformat(),
            "fiscal_year": last.period.fiscal_year}}).encode("utf-8")
    if output == "xlsx":
        return to_xlsx(compare_tables(this, last))
    return to_text(table).encode("utf-8")


def _report(
    ctx: BuildContext,
    args: argparse.Namespace,
    start: date | None,
    end: date | None,
    share: Share,
) -> bytes | None:
    """The report's bytes, or ``None`` (with a message) when there is nothing to show."""
    from ..rollup.compare import previous_period
    from ..rollup.export import to_csv, to_json, to_markdown, to_text, to_xlsx
    from ..rollup.frame import BY_TABLE, Rollup
    from ..rollup.period import Period, choose_period
    from ..rollup.report_files import summary_lines
    from ..rollup.sentence_of import SentenceContext, sentence_of

    lang = ctx.config.lang
    records, ledger = share.records, share.ledger
    visible = actions_for(ctx.workbook.actions, Audience.MEMBERS)
    if args.event is not None:
        chosen = [a for a in visible if a.id == args.event]
        if not chosen:
            print(render_message("rollup.event_not_found", {"value": args.event}, lang),
                  file=sys.stderr)
            return None
        if args.format == "text" and args.by is None:
            recorded = {p.event_id for p in records.participation}
            recorded |= {t.event_id for t in records.tallies}
            if args.event not in recorded:
                print(render_message("rollup.no_sentence", {"value": args.event}, lang),
                      file=sys.stderr)
                return b""
            context = SentenceContext(actions=visible, drives=ledger)
            text = sentence_of(args.event, records, ctx.workbook.orgs, context)
            return (text + "\n").encode("utf-8")
        visible = tuple(chosen)
        period = Period(chosen[0].date, chosen[0].date)
    else:
        period = choose_period(start, end, ctx.config.fiscal_year, ctx.today)
    if period.end < period.start:
        raise ConfigError(render_message(
            "rollup.period_reversed",
            {"start": period.start.isoformat(), "end": period.end.isoformat()}, lang))
    rollup = Rollup.build(visible, records, period, ctx.org_index)
    by = args.by or ("action" if args.event is not None else "org")
    if args.compare == "previous-year":
        from ..rollup.compare import COMPARE_ORDER

        if by not in COMPARE_ORDER:
            raise ConfigError(render_message(
                "rollup.compare_by", {"value": by, "choices": ", ".join(COMPARE_ORDER)}, lang))
        return _compared(rollup, Rollup.build(visible, records, previous_period(period),
                                              ctx.org_index), by, args.format)
    table = rollup.table(BY_TABLE[by])
    if args.format == "csv":
        return to_csv(table)
    if args.format == "md":
        from ..rollup.tables import label

        title = label("report_title").format(period=period.title)
        return to_markdown([table], title, summary_lines(rollup)).encode("utf-8")
    if args.format == "json":
        return to_json([table], period).encode("utf-8")
    if args.format == "xlsx":
        return to_xlsx(rollup.tables())
    return to_text(table).encode("utf-8")
