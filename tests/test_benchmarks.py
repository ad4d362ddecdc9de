"""The benchmark a maintainer runs before a release: ``benchmarks/run.py --events N --json``
measures every phase at a small N and ends with the figures as one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {
    "events", "read_only_s", "cold_sync_s", "noop_sync_s", "one_change_sync_s",
    "before_cold_sync_s", "cold_speedup", "noop_to_read", "one_change_to_read",
    "peak_rss_mb", "workers_peak_rss_mb", "total_peak_rss_mb", "tree_bytes", "before_tree_bytes",
    "tree_bytes_saved", "tree_files", "kept_bytes", "before_kept_bytes",
    "sheets_requests_per_sync", "baseline_s", "jobs", "load_average",
}
#: Figures that are counts, not seconds or megabytes.
COUNTS = {"events", "sheets_requests_per_sync", "jobs", "tree_bytes", "before_tree_bytes",
          "tree_files", "kept_bytes", "before_kept_bytes"}


def test_a_small_benchmark_ends_with_one_json_line_of_every_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--events", "30", "--json",
         "--keep", str(tmp_path), "--jobs", "2", "--before", "HEAD", "--naive-baseline"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == KEYS
    assert figures["events"] == 30
    for key in KEYS - COUNTS - {"workers_peak_rss_mb", "load_average", "tree_bytes_saved"}:
        assert isinstance(figures[key], float) and figures[key] > 0, key
    for key in COUNTS:
        assert isinstance(figures[key], int) and figures[key] > 0, key
    assert figures["jobs"] == 2
    # the earlier commit's cold sync ran on its own copy of the same workbook
    before = tmp_path / "before"
    assert (before / "out" / "calendar.ics").read_bytes().count(b"BEGIN:VEVENT") > 0
    assert figures["kept_bytes"] >= figures["tree_bytes"]
    # HEAD's code makes the same tree as this one: nothing saved, nothing lost
    assert figures["tree_bytes"] == figures["before_tree_bytes"]
    assert figures["tree_bytes_saved"] == 0.0
    # A steady-state sync reads the whole sheet in one request and writes nothing.
    assert figures["sheets_requests_per_sync"] == 1
    # Every phase worked on the same workbook: the syncs published the 30 actions,
    # and the one-change sync changed exactly the edited one.
    lines = {line.split(":")[0].split(" (")[0]: line for line in done.stderr.splitlines()}
    assert "added=30," in lines["cold_sync"]
    assert "files_written=0," in lines["noop_sync"] and "changed=0," in lines["noop_sync"]
    assert "changed=1," in lines["one_change_sync"]
    assert (tmp_path / "baseline-out" / "calendar.ics").read_bytes().count(b"BEGIN:VEVENT") > 0
