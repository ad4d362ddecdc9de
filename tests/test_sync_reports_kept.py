"""An organiser corrects one action's title: the sync writes the reports that show it
from the tables it kept, without adding everything up again, and the tree it leaves is
the tree a first sync of the same workbook makes, byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_sheets.core.config import load_config
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import SyncResult, cache_dir, run_sync
from sync_support import (
    Site,
    contents,
    copy_site,
    make_site,
    set_cell,
    subprocess_env,
    tab_rows,
)

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PREF = "2026-1110-pref"
RETITLED = "県社保協 秋の総行動（題名を直した）"


def run(site: Site, jobs: int | None = None) -> SyncResult:
    config = load_config(site.config)
    return run_sync(config, XlsxSource(config.source), today=TODAY, now=NOW, jobs=jobs)


def calendars_aside(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The tree but its calendar files: an edited event's SEQUENCE counts its edits, so a
    first sync's calendar rightly differs there (tests/test_feed_state.py tells it)."""
    return {path: data for path, data in tree.items() if not path.endswith(".ics")}


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("kept") / "site", pdf=False)
    run(site)
    run(site)
    return site


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_retitled_action_gives_the_tree_of_a_first_sync(
    settled: Site, tmp_path: Path, jobs: int
) -> None:
    site = copy_site(settled, tmp_path / "site")
    run(site, jobs)
    set_cell(site.workbook, PREF, "行動名", RETITLED)
    result = run(site, jobs)
    assert set(result.publish.changed) >= {"reports/by-action.csv", "reports/report.md"}
    assert "reports/by-org.csv" not in result.publish.changed
    first = make_site(tmp_path / "first", site.workbook, pdf=False)
    run(first, jobs)
    edited, cold = contents(site.out), contents(first.out)
    assert RETITLED in edited["reports/by-action.csv"].decode("utf-8-sig")
    assert calendars_aside(edited) == calendars_aside(cold)
    assert sorted(edited) == sorted(cold)
    assert tab_rows(site.workbook, "集計") == tab_rows(first.workbook, "集計")


def test_kept_tables_are_only_those_of_the_last_sync(settled: Site, tmp_path: Path) -> None:
    site = copy_site(settled, tmp_path / "site")
    cache = cache_dir(load_config(site.config))
    before = sorted(p.name for p in cache.glob("tables-*"))
    assert before  # the public's tables and the members': a JSON file and a chart each
    set_cell(site.workbook, PREF, "状態", "中止")  # no longer counted: new tables
    run(site)
    after = sorted(p.name for p in cache.glob("tables-*"))
    assert len(after) == len(before) and set(after) != set(before)


_PROBE = """
import json, sys
from datetime import date
from pathlib import Path
from campaign_sheets.core.config import load_config
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import run_sync
config = load_config(Path(sys.argv[1]))
run_sync(config, XlsxSource(config.source), today=date(2026, 11, 24))
print(json.dumps(sorted(m for m in ("pandas", "matplotlib") if m in sys.modules)))
"""


def test_a_retitled_action_loads_neither_pandas_nor_matplotlib(
    settled: Site, tmp_path: Path
) -> None:
    site = copy_site(settled, tmp_path / "site")
    run(site)
    set_cell(site.workbook, PREF, "行動名", RETITLED)
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(site.config)], cwd=site.root,
                           env=subprocess_env(), capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == []
    assert RETITLED in (site.out / "reports" / "by-action.csv").read_text(encoding="utf-8-sig")


def _report_tasks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The arguments of each report task given to a worker from now on."""
    from campaign_sheets import sync
    from campaign_sheets.workers import Workers

    sent: list[tuple[object, ...]] = []
    submit = Workers.submit

    def noted(self: Workers, call: object, *args: object) -> object:
        if call is sync.packed_report_outputs:
            sent.append(args)
        return submit(self, call, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Workers, "submit", noted)
    return sent


def test_a_retitled_action_sends_the_report_worker_no_records(
    settled: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of a retitled action's sync are kept: the worker is told their digests
    instead of being sent every record to find them by, and writes the same files."""
    site = copy_site(settled, tmp_path / "site")
    sent = _report_tasks(monkeypatch)
    set_cell(site.workbook, PREF, "行動名", RETITLED)
    run(site, 2)
    (records, digests), = [(args[1], args[-1]) for args in sent]
    assert records is None and digests
    kept = {p.name for p in cache_dir(load_config(site.config)).glob("tables-*.json")}
    assert {f"tables-{d}.json" for d in digests} == kept
    first = make_site(tmp_path / "first", site.workbook, pdf=False)
    run(first, 2)
    assert calendars_aside(contents(site.out)) == calendars_aside(contents(first.out))


def test_kept_tables_gone_before_the_worker_reads_them_are_made_again(
    settled: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables found kept but removed before the worker reads them (a cache folder
    cleaned meanwhile) are added up again from the records: the same files."""
    from campaign_sheets import sync

    site = copy_site(settled, tmp_path / "site")
    cache = cache_dir(load_config(site.config))
    looked = sync.kept_digests

    def then_gone(*args: object) -> object:
        digests = looked(*args)  # type: ignore[arg-type]
        for path in cache.glob("tables-*"):
            path.unlink()
        return digests

    monkeypatch.setattr(sync, "kept_digests", then_gone)
    set_cell(site.workbook, PREF, "行動名", RETITLED)
    result = run(site, 2)
    assert "reports/by-action.csv" in result.publish.changed
    assert sorted(cache.glob("tables-*.json"))  # kept again for the next sync
    monkeypatch.setattr(sync, "kept_digests", looked)
    first = make_site(tmp_path / "first", site.workbook, pdf=False)
    run(first, 2)
    edited, cold = contents(site.out), contents(first.out)
    assert RETITLED in edited["reports/by-action.csv"].decode("utf-8-sig")
    assert calendars_aside(edited) == calendars_aside(cold)
