"""``campaign-sheets drives [--format text|md|csv|json] [--by drive|org|month] [-o FILE]``:
each signature drive's total toward its goal, by organisation and by month, and
the pace needed by the next deadline (SPEC §9).

Like ``report``, it is for the secretariat at the terminal: it shows the members'
view (会員 drives included, 非公開 ones never). Problems go to standard error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core.audience import Audience, visible_to
from ..core.outputs import BuildContext
from ..core.problems import has_errors, render_message
from ..drives.progress import DriveProgress
from .common import add_config_options, config_from_args, print_problems, read_share


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``drives``."""
    parser = sub.add_parser(
        "drives", help="signature drives: totals, goals, deadlines and the pace needed",
        description=(
            "Add up each drive of the 署名 tab from the 署名集約 batches and the signatures "
            "actions collected (成果 rows and report sentences naming the drive), without "
            "counting a batch's 行動分 twice. Text shows one line per drive, then the table."
        ),
    )
    add_config_options(parser)
    parser.add_argument("--by", choices=("drive", "org", "month"), default="drive",
                        help="the table to show (default: drive)")
    parser.add_argument("--format", choices=("text", "md", "csv", "json"), default="text",
                        help="output format (default text)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the drives; exit 1 when the data has errors."""
    config = config_from_args(args)
    read = read_share(config)
    if read is None:
        return 1
    from ..pages.drives import drive_progresses

    share, problems = read
    today = datetime.now(ZoneInfo(config.timezone)).date()
    ctx = BuildContext(config=config, workbook=share.workbook, today=today)
    progresses = tuple(p for p in drive_progresses(share.ledger, ctx)
                       if visible_to(p.drive.visibility, Audience.MEMBERS))
    print_problems(problems, "text", config.lang, sys.stderr)
    if not share.ledger.book.present:
        print(render_message("drives.no_tab", {}, config.lang), file=sys.stderr)
    data = _output(progresses, args, today, config.lang)
    if args.output is not None:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 1 if has_errors(problems) else 0


def _output(
    progresses: tuple[DriveProgress, ...], args: argparse.Namespace, today: date, lang: str
) -> bytes:
    """The drives in the format asked for (text: one line per drive, then the table)."""
    from ..drives.export import drives_json
    from ..rollup.drives import DRIVE_TABLES, drive_tables
    from ..rollup.export import to_csv, to_markdown, to_text

    if args.format == "json":
        return drives_json(progresses, today)
    tables = {t.key: t for t in drive_tables(progresses)}
    table = tables[DRIVE_TABLES[args.by]]
    if args.format == "csv":
        return to_csv(table)
    lines = [summary_line(p) for p in progresses]
    if args.format == "md":
        title = render_message("drives.title", {"date": today.isoformat()}, lang)
        head, rest = to_markdown(list(tables.values()), title).split("\n", 1)
        listed = "".join(f"- {line}\n" for line in lines)
        return f"{head}\n\n{listed}{rest}".encode()
    text = "".join(line + "\n" for line in lines)
    return (text + ("\n" if text else "") + to_text(table)).encode("utf-8")


def summary_line(progress: DriveProgress) -> str:
    """``国保署名は累計2,318筆（目標3万筆の7.7%）。一次集約（2027-01-31）まで59日、1日あたり…``"""
    from ..drives.goals import format_count
    from ..drives.model import drive_words
    from ..drives.sentence import drive_line

    words = drive_words()["command"]
    line = drive_line(progress) + str(drive_words()["sentence"]["end"])
    ahead = progress.ahead
    if ahead is None:
        return line
    line += str(words["next"]).format(label=ahead.deadline.shown_label,
                                      date=ahead.deadline.date.isoformat(), days=ahead.days)
    if ahead.remaining == 0:
        return line + str(words["reached"])
    if ahead.remaining is not None and ahead.pace_per_day is not None:
        line += str(words["pace"]).format(remaining=format_count(ahead.remaining),
                                          pace=f"{ahead.pace_per_day:,}")
    return line
