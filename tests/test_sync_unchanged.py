"""A sync whose inputs are all as they were builds nothing, and anything that could
change an output makes it build again.

The stages a sync reports show whether it built: an unchanged one stops after
``read`` (it still reports every problem: those the last sync found).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets.commands.common import source_from_config
from campaign_sheets.core.config import Config, load_config
from campaign_sheets.core.resources import bundled_templates
from campaign_sheets.sync import SyncResult, run_sync
from sync_support import Site, contents, copy_site, make_site

TODAY = date(2026, 11, 24)


def run(site: Site, today: date = TODAY, **changes: object) -> tuple[list[str], SyncResult]:
    config: Config = load_config(site.config).with_overrides(**changes)
    stages: list[str] = []
    result = run_sync(config, source_from_config(config), today=today, progress=stages.append)
    return stages, result


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A folder after two syncs: the first wrote IDs and 集計 back, the second settled."""
    site = make_site(tmp_path_factory.mktemp("unchanged") / "site", pdf=False)
    run(site)
    run(site)
    return site


@pytest.fixture
def site(settled: Site, tmp_path: Path) -> Site:
    return copy_site(settled, tmp_path / "site")


def test_an_unchanged_sync_validates_but_builds_nothing(site: Site) -> None:
    run(site)  # the copy lives in another folder: its first run may settle the link
    before = contents(site.out)
    stages, result = run(site)
    assert stages == ["read"]
    assert not result.publish.any_change and len(result.publish.unchanged) == len(before)
    assert result.events > 0 and contents(site.out) == before


def test_an_edited_cell_builds_again(site: Site) -> None:
    book = openpyxl.load_workbook(site.workbook)
    book["行動"]["C2"] = "題名を変えた行動"
    book.save(site.workbook)
    stages, result = run(site)
    assert "build" in stages and result.publish.changed
    assert run(site)[0] == ["read"]


def test_a_new_day_builds_again(site: Site) -> None:
    assert "build" in run(site, today=TODAY + timedelta(days=1))[0]


def test_a_deleted_output_tree_is_built_again(site: Site) -> None:
    shutil.rmtree(site.out.resolve())
    site.out.unlink()
    stages, result = run(site)
    assert "build" in stages and result.publish.added
    assert (site.out / "calendar.ics").exists()


def test_a_template_override_builds_again(site: Site, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (bundled_templates() / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(base + "<!-- 地域版 -->\n", encoding="utf-8")
    stages, result = run(site, templates=templates)
    assert "build" in stages
    assert "index.html" in result.publish.changed


def test_a_hand_edited_rollup_tab_is_rewritten(site: Site) -> None:
    book = openpyxl.load_workbook(site.workbook)
    book["集計"]["A1"] = "誰かが書き換えた"
    book.save(site.workbook)
    stages, result = run(site)
    assert "write back" in stages
    assert result.write is not None and result.write.rollup_written
    assert run(site)[0] == ["read"]


def test_force_always_builds(site: Site) -> None:
    config = load_config(site.config)
    stages: list[str] = []
    run_sync(config, source_from_config(config), today=TODAY, force=True,
             progress=stages.append)
    assert "build" in stages


def test_event_pages_removed_by_hand_everywhere_are_rendered_again(site: Site) -> None:
    run(site)
    before = contents(site.out)
    sheet = openpyxl.load_workbook(site.workbook)["行動"]
    edited = sheet.cell(2, [c.value for c in sheet[1]].index("ID") + 1).value
    page = next(p for p in sorted(before) if p.startswith("events/")
                and p.endswith("/index.html") and f"/{edited}/" not in p)
    generations = site.out.parent / f".{site.out.name}.generations"
    for generation in generations.iterdir():
        if generation.is_dir():
            (generation / page).unlink(missing_ok=True)
    book = openpyxl.load_workbook(site.workbook)
    book["行動"]["C2"] = "題名を変えた行動"
    book.save(site.workbook)
    stages, result = run(site)
    assert "build" in stages and result.publish.changed
    after = contents(site.out)
    assert after[page] == before[page]  # not the edited action: the same page, back
    assert set(after) == set(before)
