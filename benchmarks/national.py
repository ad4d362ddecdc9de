"""A national tree at scale: ``python benchmarks/national.py --sources 47 --events 1000 [--json]``.

Writes ``--sources`` prefectural workbooks of ``--events`` actions each (``generate.py``,
one seed per prefecture), a configuration with one ``[[sources]]`` table per prefecture
(codes 01, 02, …), and measures:

- ``read_only_s``: reading every workbook once, one after another (the floor);
- ``cold_sync_s``: a first sync into an empty output folder (with its write-backs);
- ``noop_sync_s``: a second sync with nothing changed;
- ``one_change_sync_s``: a sync after one action's title was edited in one workbook;
- ``reads_per_source``: how many times each sync read each sheet (every count must be
  1: the figures say so, they do not assume it);
- ``noop_to_read``, ``one_change_to_read``: those syncs over the read floor;
- ``peak_rss_mb``: this process's peak resident memory (the cold sync's);
- ``events``, ``files``, ``jobs``, ``load_average``.

The syncs run in this process, one after another, with ``--jobs`` worker processes
(default: every core, as ``campaign-sheets sync`` does), with the members' tree and
without PDF flyers, as ``run.py`` measures. With ``--json`` the last line printed is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from generate import write_workbook  # noqa: E402
from run import edit_one_action  # noqa: E402

from campaign_sheets.core.config import load_config  # noqa: E402
from campaign_sheets.core.values import RawTable, WriteBack, WriteResult  # noqa: E402
from campaign_sheets.national import councils_of  # noqa: E402
from campaign_sheets.sources.xlsx import XlsxSource  # noqa: E402
from campaign_sheets.sync import run_sync  # noqa: E402
from campaign_sheets.workers import default_jobs  # noqa: E402

CONFIG_HEAD = """\
out = "out"
state = "state.sqlite"
fiscal_year = 2026
flyer_pdf = false

[calendar]
name = "全国 行動予定"
uid_domain = "example.org"
base_url = "https://example.org/calendar/"

[registration]
url_template = "https://docs.google.com/forms/d/e/FORM_ID/viewform?usp=pp_url&entry.111={id}"

[members]
token_env = "CAMPAIGN_SHEETS_BENCH_MEMBERS_TOKEN"
"""


class CountedSource:
    """A workbook source that counts its reads."""

    def __init__(self, path: Path, reads: Counter[str]) -> None:
        self._source = XlsxSource(path)
        self._reads = reads
        self._name = path.name

    def describe(self) -> str:
        """The workbook's path."""
        return self._source.describe()

    def read_tables(self) -> dict[str, RawTable]:
        """Every tab, counted."""
        self._reads[self._name] += 1
        return self._source.read_tables()

    def write_back(self, writes: WriteBack) -> WriteResult:
        """The workbook's own write-back."""
        return self._source.write_back(writes)


def prepare(folder: Path, sources: int, events: int) -> Path:
    """The workbooks and the configuration in ``folder``; the configuration's path."""
    tables = [CONFIG_HEAD]
    for number in range(1, sources + 1):
        name = f"pref-{number:02d}.xlsx"
        write_workbook(folder / name, events, seed=number)
        tables.append(f'\n[[sources]]\nsource = "{name}"\nprefecture = "{number:02d}"\n'
                      f'name = "council {number:02d}"\n')
    path = folder / "config.toml"
    path.write_text("".join(tables), encoding="utf-8")
    return path


def timed_sync(config_path: Path, jobs: int) -> tuple[dict[str, Any], Counter[str]]:
    """One sync over every sheet: its seconds, CPU, events and reads per sheet."""
    config = load_config(config_path)
    reads: Counter[str] = Counter()
    pairs = [(c, CountedSource(Path(c.source.source), reads)) for c in councils_of(config)]
    start, cpu = time.perf_counter(), time.process_time()
    result = run_sync(config, pairs, jobs=jobs)  # type: ignore[arg-type]
    figures = {"s": round(time.perf_counter() - start, 2),
               "cpu_s": round(time.process_time() - cpu, 2), "events": result.events,
               "files": len(result.publish.paths),
               "errors": sum(1 for p in result.problems if p.severity.value == "error")}
    return figures, reads


def read_floor(config_path: Path) -> float:
    """Seconds to read every sheet once."""
    config = load_config(config_path)
    start = time.perf_counter()
    for council in councils_of(config):
        XlsxSource(Path(council.source.source)).read_tables()
    return round(time.perf_counter() - start, 2)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=47)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    # the members' tree is built too, as run.py builds it
    os.environ["CAMPAIGN_SHEETS_BENCH_MEMBERS_TOKEN"] = "bench-members-token-0123456789"
    say: Callable[[str], None] = lambda text: print(text, flush=True)  # noqa: E731
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="campaign-national-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        config = prepare(folder, args.sources, args.events)
        say(f"prepared {args.sources} workbooks in {time.perf_counter() - start:.1f} s")
        floor = read_floor(config)
        say(f"read floor {floor} s")
        cold, cold_reads = timed_sync(config, args.jobs)
        say(f"cold {cold}")
        rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        noop, noop_reads = timed_sync(config, args.jobs)
        say(f"no-op {noop}")
        edit_one_action(folder / f"pref-{(args.sources + 1) // 2:02d}.xlsx", args.events)
        one, one_reads = timed_sync(config, args.jobs)
        say(f"one change {one}")
    reads = {phase: sorted(set(counter.values())) for phase, counter in
             (("cold", cold_reads), ("noop", noop_reads), ("one_change", one_reads))}
    figures = {
        "sources": args.sources, "events_per_source": args.events, "events": cold["events"],
        "read_only_s": floor, "cold_sync_s": cold["s"], "cold_cpu_s": cold["cpu_s"],
        "noop_sync_s": noop["s"], "one_change_sync_s": one["s"],
        "noop_to_read": round(noop["s"] / floor, 2),
        "one_change_to_read": round(one["s"] / floor, 2),
        "reads_per_source": reads, "sources_read": len(cold_reads),
        "peak_rss_mb": rss, "files": cold["files"], "errors": cold["errors"],
        "jobs": args.jobs, "load_average": round(load, 2),
    }
    for key, value in figures.items():
        say(f"{key}: {value}")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
