"""A cold sync on 1, 2 and every core: ``python benchmarks/cores.py --events 5000``.

For each count of worker processes (``--jobs``, by default 1, 2 and every core this
process may run on, each once) a fresh workbook folder gets a cold sync and a no-op
sync, each in its own process (``run.py``'s phases). Prints one line per count, and
with ``--json`` ends with one JSON object: ``events``, ``load_average`` and ``runs``,
a list of ``{"jobs", "cold_sync_s", "cold_cpu_s", "noop_sync_s", "peak_rss_mb",
"workers_peak_rss_mb", "total_peak_rss_mb", "load_average"}``. The workbook is the
same for every count (the same seed), so the trees are too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run


def counts(asked: list[int] | None) -> list[int]:
    """The counts of workers to measure: the asked ones, else 1, 2 and every core."""
    if asked:
        return asked
    from campaign_sheets.workers import default_jobs

    return sorted({1, 2, default_jobs()})


def one(folder: Path, events: int, seed: int, jobs: int) -> dict[str, Any]:
    """A cold and a no-op sync with ``jobs`` workers in a fresh folder."""
    load = os.getloadavg()[0]
    run.prepare(folder, events, seed)
    cold = run.run_phase("sync", folder, jobs=jobs)
    noop = run.run_phase("sync", folder, jobs=jobs)
    return {
        "jobs": jobs, "cold_sync_s": round(cold["seconds"], 3),
        "cold_cpu_s": round(cold["cpu_s"], 3), "noop_sync_s": round(noop["seconds"], 3),
        "peak_rss_mb": max(cold["rss_mb"], noop["rss_mb"]),
        "workers_peak_rss_mb": max(cold["workers_rss_mb"], noop["workers_rss_mb"]),
        "total_peak_rss_mb": max(cold["total_rss_mb"], noop["total_rss_mb"]),
        "load_average": round(load, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--events N [--jobs J ...] [--seed S] [--json]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--jobs", type=int, nargs="*", help="worker counts (default 1, 2, all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    runs = []
    for jobs in counts(args.jobs):
        with tempfile.TemporaryDirectory(prefix="campaign-cores-") as tmp:
            runs.append(one(Path(tmp), args.events, args.seed, jobs))
        print(", ".join(f"{k}={v}" for k, v in runs[-1].items()), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps({"events": args.events, "load_average": round(load, 2), "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
