"""``campaign-sheets petitions``: where every petition stands, and the roll-up sentence.

Like ``report`` it shows the members' view (members-only petitions included, 非公開
ones never): it is for the secretariat at the terminal. Problems go to standard
error; the output to standard output or ``-o FILE``.

- ``--format text`` (default): the roll-up sentence, then the table (``--by``);
- ``--format md``: the same as Markdown; ``--format csv``: the table alone;
- ``--format json``: the OCD/Popolo shape of ``assembly/petitions.json``, with the
  chosen period and, for ``--by municipality|prefecture``, a ``by`` list of each one's
  counts and sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..assembly.model import Tracker
from ..core.config import Config
from ..core.errors import ConfigError
from ..core.problems import has_errors, render_message
from .common import (
    add_config_options,
    config_from_args,
    period_date,
    print_problems,
    read_share,
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``petitions``."""
    parser = sub.add_parser(
        "petitions", help="where each petition stands in its assembly",
        description=(
            "Derive each petition's status from its 審議 rows (the latest outcome, whether it "
            "is final, the deciding vote, days to decision, carry-overs) and print the "
            "assembly roll-up sentence, then the table. JSON has the shape of "
            "assembly/petitions.json."
        ),
    )
    add_config_options(parser)
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day (any date form)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day (any date form)")
    parser.add_argument("--by", choices=("petition", "municipality", "prefecture"),
                        default="petition", help="one row per petition (default), "
                        "municipality or prefecture")
    parser.add_argument("--format", choices=("text", "md", "csv", "json"), default="text",
                        help="text: the sentence and a table (default); md: Markdown; csv: "
                        "for Excel (UTF-8 with BOM); json: for scripts")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the petitions; exit 1 when the data has errors, 2 on bad usage."""
    config = config_from_args(args)
    start, end = period_date(args.start, config), period_date(args.end, config)
    if start is not None and end is not None and end < start:
        raise ConfigError(render_message(
            "rollup.period_reversed", {"start": start.isoformat(), "end": end.isoformat()},
            config.lang))
    read = read_share(config)
    if read is None:
        return 1
    share, problems = read
    print_problems(problems, "text", config.lang, sys.stderr)
    data = petitions_output(share.tracker, args.by, args.format, start, end, config)
    if args.output is not None:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 1 if has_errors(problems) else 0


def petitions_output(
    tracker: Tracker, by: str, fmt: str, start: date | None, end: date | None, config: Config
) -> bytes:
    """The bytes ``petitions`` prints for ``tracker`` (the members' view)."""
    from ..assembly.model import tracker_for
    from ..assembly.progress import by_prefecture, place_rows, progress
    from ..assembly.sentence import RollupSentence, render_sentence
    from ..assembly.summary import summarise
    from ..core.audience import Audience
    from ..rollup.assembly import by_table
    from ..rollup.export import to_csv, to_markdown_table, to_text

    view = progress(tracker_for(tracker, Audience.MEMBERS), start=start, end=end,
                    fiscal_year=config.fiscal_year)
    sentence = render_sentence(RollupSentence.of(view.summary))
    table = by_table(view, by)
    if fmt == "csv":
        return to_csv(table)
    if fmt == "md":
        return f"# {table.title}\n\n{sentence}\n\n{to_markdown_table(table)}".encode()
    if fmt == "json":
        from ..assembly.popolo import petitions_payload

        extra: dict[str, Any] = {"period": {"from": _iso(start), "to": _iso(end),
                                            "fiscal_years": list(view.years)}}
        if by == "prefecture":
            extra["by"] = [
                {"code": p.code, "name": p.name, "summary": s.to_json(),
                 "sentence": render_sentence(RollupSentence.of(s, p.name))}
                for p, s in by_prefecture(view)]
        elif by == "municipality":
            extra["by"] = [
                {"code": r.place.code, "name": r.place.name, "status": r.status,
                 "petitions": [t.petition.id for t in r.tracked],
                 "sentence": render_sentence(RollupSentence.of(summarise(r.tracked),
                                                               r.place.name))}
                for r in place_rows(view)]
        payload = petitions_payload(view.tracked, view.summary, extra)
        return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return (sentence + "\n\n" + to_text(table)).encode("utf-8")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

