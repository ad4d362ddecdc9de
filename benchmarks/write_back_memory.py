"""The write-back's peak memory against the size of the workbook's other tabs:
``python benchmarks/write_back_memory.py``.

For each ``--rows`` count a workbook is written (openpyxl, write-only) with a 行動 tab
of three actions and a 参加 tab of that many rows; then, in a fresh process each,
``XlsxSource.write_back`` fills one blank ID and writes a 集計 tab. Printed per count:
the 参加 part's size unpacked, the process's peak RSS before the write-back (the
package imported) and after it, and the peak of Python's allocations during it
(``tracemalloc``). With ``--json`` the last line is a JSON list of those rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROWS = (10_000, 100_000, 400_000)


def make_workbook(path: Path, rows: int) -> int:
    """Three actions with blank IDs and ``rows`` participation rows; the 参加 part's size."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    events = book.create_sheet("行動")
    events.append(["ID", "種別", "行動名"])
    for title in ("横浜駅西口宣伝", "社会保障講座", "県民大集会"):
        events.append([None, "宣伝行動", title])
    other = book.create_sheet("参加")
    other.append(["行動ID", "団体", "人数", "うち", "備考"])
    for i in range(rows):
        other.append([f"E{i:06d}", f"団体{i % 30}", i % 9, "役員1", "備考" * 5])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo("xl/worksheets/sheet2.xml").file_size


def measure_in_this_process(path: Path) -> dict[str, Any]:
    """The write-back of one ID and a 集計 tab; peak RSS before and after, traced peak."""
    import tracemalloc

    from campaign_sheets.core.values import CellWrite, WriteBack
    from campaign_sheets.sources.xlsx import XlsxSource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    XlsxSource(path).write_back(WriteBack(
        cells=(CellWrite("行動", 2, 0, "a-1"),), rollup=[["計", 3], ["団体", 5]]))
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
            "traced_peak_mb": round(traced / 2**20, 2)}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``[--rows N ...] [--json]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=list(ROWS))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_in_this_process(args.measure)))
        return 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    table = []
    with tempfile.TemporaryDirectory(prefix="campaign-write-back-") as tmp:
        for rows in args.rows:
            path = Path(tmp) / f"book-{rows}.xlsx"
            size = make_workbook(path, rows)
            done = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)], env=env,
                capture_output=True, text=True, check=True)
            row = {"other_rows": rows, "other_part_mb": round(size / 2**20, 1),
                   **json.loads(done.stdout.strip().splitlines()[-1])}
            table.append(row)
            print(", ".join(f"{k}={v}" for k, v in row.items()), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
