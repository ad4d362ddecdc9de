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
from zoneinfo import ZoneInfo

from ..core.audience import Audience, actions_for
from ..core.config import Config
from ..core.errors import ConfigError, ParseError
from ..core.outputs import BuildContext
from ..core.problems import Problem, has_errors, render_message
from .common import add_config_options, config_from_args, print_problems, read_source_tables


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``report``."""
    parser = sub.add_parser("report", help="add up participation and results")
    add_config_options(parser)
    parser.add_argument("--event", metavar="ID", help="only this action")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day (any date form)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day (any date form)")
    parser.add_argument("--by", choices=("action", "org", "kind", "month", "item", "municipality"),
                        help="the roll-up to show (default: org; action with --event)")
    parser.add_argument("--format", choices=("text", "md", "csv", "xlsx", "json"),
                        default="text")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the roll-up; exit 1 when the data has errors, 2 on bad usage."""
    config = config_from_args(args)
    if args.format == "xlsx" and args.output is None:
        raise ConfigError(render_message("rollup.xlsx_needs_file", {}, config.lang))
    start, end = _date(args.start, config), _date(args.end, config)
    tables = read_source_tables(config)
    if tables is None:
        return 1
    from ..load import load_workbook

    loaded = load_workbook(tables, config)
    today = datetime.now(ZoneInfo(config.timezone)).date()
    ctx = BuildContext(config=config, workbook=loaded.workbook, today=today)
    problems: list[Problem] = list(loaded.problems)
    data = _report(ctx, args, start, end, problems)
    print_problems(problems, "text", config.lang, sys.stderr)
    if data is None:
        return 1
    if args.output is not None:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 1 if has_errors(problems) else 0


def _date(text: str | None, config: Config) -> date | None:
    if text is None:
        return None
    from ..parsing.dates import parse_date

    try:
        return parse_date(text, year=config.year, fiscal_year=config.fiscal_year).date
    except ParseError as exc:
        message = render_message("rollup.bad_period", {"value": text}, config.lang)
        raise ConfigError(message) from exc


def _report(
    ctx: BuildContext,
    args: argparse.Namespace,
    start: date | None,
    end: date | None,
    problems: list[Problem],
) -> bytes | None:
    """The report's bytes, or ``None`` (with a message) when there is nothing to show."""
    from ..rollup.export import to_csv, to_json, to_markdown, to_text, to_xlsx
    from ..rollup.frame import BY_TABLE, Rollup
    from ..rollup.period import Period, choose_period
    from ..rollup.records import collect_records
    from ..rollup.report_files import summary_lines
    from ..rollup.sentence_of import sentence_of

    lang = ctx.config.lang
    records = collect_records(ctx.workbook)
    problems += records.problems
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
            return (sentence_of(args.event, records, ctx.workbook.orgs) + "\n").encode("utf-8")
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
