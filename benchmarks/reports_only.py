"""Time ``build_reports`` alone on a generated workbook (cold and warm report cache).

``PYTHONPATH=src python benchmarks/reports_only.py --events 5000 --folder /tmp/rb``
writes the workbook once into ``--folder`` (kept for later runs), loads it as a sync
does, then times ``build_reports`` with no cache, with an empty cache (cold), with
the cache the cold run filled (warm), and warm with the records handed over as the
sync does, checking that every run gives the same bytes.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    """Command line: ``--events N --folder DIR``."""
    from campaign_sheets.core.config import Config
    from campaign_sheets.core.outputs import BuildContext
    from campaign_sheets.load import load_workbook
    from campaign_sheets.rollup.records import collect_records
    from campaign_sheets.rollup.report_files import build_reports
    from campaign_sheets.sources.xlsx import XlsxSource

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    book = args.folder / f"workbook-{args.events}.xlsx"
    if not book.exists():
        # imported after the package, whose copy on PYTHONPATH it must not replace
        from generate import write_workbook

        write_workbook(book, args.events)
    config = Config(fiscal_year=2026)
    loaded = load_workbook(XlsxSource(book).read_tables(), config)
    ctx = BuildContext(config, loaded.workbook, date(2026, 11, 24), members_token="t0ken")
    cache = args.folder / "report-cache"
    shutil.rmtree(cache, ignore_errors=True)
    takes_cache = "cache_dir" in inspect.signature(build_reports).parameters
    runs: list[tuple[str, Path | None, bool]] = [("no cache", None, False)]
    if takes_cache:
        # the sync hands over the records it has collected already
        runs += [("cold cache", cache, False), ("warm cache", cache, False),
                 ("warm cache, records given", cache, True)]
    records = collect_records(ctx.workbook)
    first = None
    for name, folder, given in runs:
        start, cpu = time.perf_counter(), time.process_time()
        if not takes_cache:
            files = build_reports(ctx)
        elif given:
            files = build_reports(ctx, cache_dir=folder, records=records)
        else:
            files = build_reports(ctx, cache_dir=folder)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        first = first if first is not None else files
        print(f"{name}: {took:.2f} s ({cpu:.2f} s CPU), {len(files)} files, "
              f"same bytes: {files == first}")


if __name__ == "__main__":
    main()
