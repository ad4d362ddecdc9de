"""Two parts of a sync timed against an earlier commit's: ``python benchmarks/components.py``.

- **QR codes**: ``qr_png`` and ``qr_svg`` of ``--codes`` distinct registration links
  (as a cold sync draws them: each link new, no cache), and ``qr_matrix`` alone;
- **the report workbook**: ``tables_workbook_bytes`` of the tables a report of
  ``--rows`` rows makes (per action, organisation, month, kind; numbers, text, dates).

Each is run in a fresh process for this tree's code and for the code of ``--before``
(by default the commit before the parallel build, exported with ``git archive``),
the best of ``--repeat`` runs. Prints one line per part and code and with ``--json``
ends with one JSON object: ``{"qr": {...}, "report_xlsx": {...}, "load_average"}``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEFORE = "b5874db"


def links(count: int) -> list[str]:
    """Registration links as a sync makes them: an action's ID and an organisation."""
    orgs = ["県年金者組合", "県医労連", "新婦人県本部", "民医連", "県労連"]
    return [
        "https://docs.google.com/forms/d/e/1FAIpQLSf-bench/viewform?usp=pp_url"
        f"&entry.111=2026-{1 + i % 12:02d}{1 + i % 28:02d}-action-{i}&entry.222={orgs[i % 5]}"
        for i in range(count)
    ]


def report_sheets(rows: int) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Tables shaped like a report's: one row per action, and smaller group-bys."""
    header = ["行動ID", "日付", "種別", "行動名", "団体", "人数", "署名", "ビラ"]
    actions = [[f"2026-{i:05d}", date(2026, 4, 1 + i % 28), "宣伝行動", f"駅頭宣伝 {i}",
                f"団体{i % 30}", i % 40, i * 3 % 500, i * 7 % 1000] for i in range(rows)]
    orgs = [[f"団体{i}", i * 11, i * 5, i * 2] for i in range(30)]
    return [("行動別", header, actions), ("団体別", ["団体", "人数", "署名", "ビラ"], orgs),
            ("月別", ["月", "人数"], [[f"2026-{m:02d}", m * 100] for m in range(1, 13)])]


def measure(part: str, size: int, repeat: int) -> dict[str, float]:
    """In this process: the best wall seconds of the part, over ``repeat`` runs."""
    best: dict[str, float] = {}

    def timed(name: str, call: Any) -> None:
        start = time.perf_counter()
        call()
        best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)

    if part == "qr":
        from campaign_sheets.pages import qr

        urls = links(size)
        qr.qr_matrix(urls[0])  # the layouts of the small versions, as after a few events
        for _ in range(repeat):
            forget(qr)
            timed("matrix_s", lambda: [qr.qr_matrix(u) for u in urls])
            forget(qr)
            timed("png_and_svg_s", lambda: [(qr.qr_png(u), qr.qr_svg(u)) for u in urls])
    else:
        from campaign_sheets.rollup.report_xlsx import tables_workbook_bytes

        sheets = report_sheets(size)
        for _ in range(repeat):
            timed("write_s", lambda: tables_workbook_bytes(sheets))
        best["bytes"] = len(tables_workbook_bytes(sheets))
    return {k: round(v, 4) for k, v in best.items()}


def forget(module: Any) -> None:
    """Empty the module's caches of links (not of version layouts): every link is new."""
    for name in ("qr_matrix", "_cached", "_modules"):
        cached = getattr(module, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def in_process(src: Path, part: str, size: int, repeat: int) -> dict[str, float]:
    """``measure`` in a fresh interpreter with the package from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", part, str(size), str(repeat)], env=env,
        capture_output=True, text=True, check=True)
    answer: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def export(ref: str, into: Path) -> Path:
    """The ``src`` of commit ``ref`` under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``[--codes N] [--rows N] [--repeat R] [--before REF] [--json]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        part, size, repeat = args.measure
        print(json.dumps(measure(part, int(size), int(repeat))))
        return 0
    load = os.getloadavg()[0]
    result: dict[str, Any] = {"load_average": round(load, 2)}
    with tempfile.TemporaryDirectory(prefix="campaign-components-") as tmp:
        codes = {"now": ROOT / "src", "before": export(args.before, Path(tmp))}
        for part, size in (("qr", args.codes), ("report_xlsx", args.rows)):
            result[part] = {"size": size}
            for label, src in codes.items():
                result[part][label] = in_process(src, part, size, args.repeat)
                print(f"{part} ({label}, {size}): {result[part][label]}", file=sys.stderr,
                      flush=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
