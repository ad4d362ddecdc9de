"""How a sync's cost grows with the actions: ``python benchmarks/growth.py``.

Runs ``run.py``'s phases (read, cold, no-op and one-change sync, each in its own
process) for each ``--events`` count, by default 1,000, 5,000, 20,000 and 50,000,
without the earlier commit's sync, the Sheets emulator or the naive baseline (those
are ``run.py``'s). Prints one line per count and with ``--json`` ends with one JSON
list of ``run.py``'s figures, one object per count, each with the load average
before it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run

SIZES = (1_000, 5_000, 20_000, 50_000)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``[--events N ...] [--jobs J] [--seed S] [--json]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    rows = []
    for events in args.events:
        with tempfile.TemporaryDirectory(prefix="campaign-growth-") as tmp:
            result = run.measure(events, args.seed, Path(tmp), say, jobs=args.jobs,
                                 before=None, sheets=False)
        figures = {k: v for k, v in result["figures"].items() if v is not None}
        rows.append(figures)
        say(json.dumps(figures))
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
