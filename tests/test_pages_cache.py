"""The per-event render index: an event whose inputs are as they were comes out as
the shown tree's files, unrendered and unread, and exactly those files; anything an
event's files depend on makes it render again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.config import CalendarConfig, RegistrationConfig
from campaign_sheets.core.model import Action, Status, Visibility
from campaign_sheets.core.outputs import BuildContext, Hashed, OutputFiles, Published
from campaign_sheets.core.resources import bundled_templates
from campaign_sheets.pages.build import build_pages, iter_pages
from campaign_sheets.pages.cache import clear_cache
from pages_support import ORGS, TOKEN, page_context, winter_actions

ORG_NAMES = [org.name for org in ORGS] + [ORGS[0].short, "未登録の団体"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def uncached(ctx: BuildContext) -> OutputFiles:
    """A build that renders every event: nothing kept in memory, no folder."""
    clear_cache()
    files = build_pages(ctx, pdf=False)
    clear_cache()
    return files


class Shown:
    """A stand-in for the published tree: the last build's files and their hashes."""

    def __init__(self) -> None:
        self.files: OutputFiles = {}

    @property
    def hashes(self) -> dict[str, str]:
        return {path: hashlib.sha256(data).hexdigest() for path, data in self.files.items()}

    def build(self, ctx: BuildContext, folder: Path | None, *, fresh_process: bool = False
              ) -> tuple[OutputFiles, set[str]]:
        """Build against the shown files as a sync does; the files it gives (a kept
        file's bytes taken from the shown tree, after checking its hash) and the paths
        it rendered. The result becomes the shown tree."""
        if fresh_process:
            clear_cache()
        shown = self.hashes
        files: OutputFiles = {}
        rendered: set[str] = set()
        for path, item in iter_pages(ctx, pdf=False, cache_dir=folder, published=shown):
            assert path not in files
            if isinstance(item, Published):
                assert shown[path] == item.sha256
                files[path] = self.files[path]
            else:
                files[path] = item.data if isinstance(item, Hashed) else item
                if isinstance(item, Hashed):
                    assert hashlib.sha256(item.data).hexdigest() == item.sha256
                rendered.add(path)
        self.files = files
        return files, rendered


def event_paths(files: OutputFiles, event: str) -> set[str]:
    """Every path of one event's folders (public and members')."""
    return {p for p in files if f"events/{event}/" in p}


def trees_only(paths: set[str]) -> set[str]:
    """Paths that are not an event's (the index pages and their codes)."""
    return {p for p in paths if "/events/" not in f"/{p}"}


@st.composite
def edited_actions(draw: st.DrawFn) -> tuple[Action, ...]:
    """The winter actions, each with its words, organisers, day and status redrawn."""
    actions = []
    for action in winter_actions():
        orgs = draw(st.lists(st.sampled_from(ORG_NAMES), max_size=3, unique=True))
        actions.append(replace(
            action,
            title=draw(TEXT) or action.title,
            venue=draw(TEXT),
            description=draw(TEXT),
            series=draw(st.sampled_from(["", "学習会", action.series])),
            organizer=orgs[0] if orgs else "",
            orgs=tuple(orgs[1:]),
            date=action.date + timedelta(days=draw(st.integers(-40, 40))),
            status=draw(st.sampled_from(list(Status))),
            visibility=draw(st.sampled_from(list(Visibility))),
            contact=draw(TEXT),
        ))
    return tuple(actions)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=edited_actions(), second=edited_actions(), fresh=st.booleans())
def test_a_kept_build_gives_the_bytes_of_an_uncached_one(
    tmp_path: Path, first: tuple[Action, ...], second: tuple[Action, ...], fresh: bool
) -> None:
    shown = Shown()
    folder = tmp_path / "cache"
    # the second workbook is built over the first one's tree: edited actions must
    # render again, unchanged ones must come back byte for byte
    for actions in (first, second, first, first):
        ctx = page_context(actions)
        files, _rendered = shown.build(ctx, folder, fresh_process=fresh)
        assert files == uncached(ctx)


def test_one_edited_action_renders_only_its_own_files(tmp_path: Path) -> None:
    actions = winter_actions()
    shown = Shown()
    shown.build(page_context(actions), tmp_path)
    edited = tuple(replace(a, title=a.title + "（会場変更）") if a.id == "study-1207" else a
                   for a in actions)
    files, rendered = shown.build(page_context(edited), tmp_path, fresh_process=True)
    # the edited action's folders in both trees, and the two trees' index pages; its
    # link is as it was, so its codes are the shown tree's, not drawn again
    codes = {p for p in event_paths(files, "study-1207") if p.rsplit("/", 1)[1].startswith("qr")}
    assert len(codes) == 4
    assert rendered - trees_only(rendered) == event_paths(files, "study-1207") - codes
    assert trees_only(rendered) == {"index.html", "qr.png", "qr.svg",
                                    f"members/{TOKEN}/index.html", f"members/{TOKEN}/qr.png",
                                    f"members/{TOKEN}/qr.svg"}
    assert "（会場変更）" in files["events/study-1207/index.html"].decode("utf-8")
    assert "（会場変更）" in files[f"members/{TOKEN}/events/study-1207/flyer.html"].decode("utf-8")
    assert files == uncached(page_context(edited))


def test_a_changed_link_draws_its_code_again_and_no_code_is_kept_on_disk(
    tmp_path: Path,
) -> None:
    actions = winter_actions()
    shown = Shown()
    shown.build(page_context(actions), tmp_path)
    moved = tuple(replace(a, registration="https://forms.example.org/r?id=study-1207&v=2")
                  if a.id == "study-1207" else a for a in actions)
    files, rendered = shown.build(page_context(moved), tmp_path, fresh_process=True)
    assert {"events/study-1207/qr.png", "events/study-1207/qr.svg"} <= rendered
    assert files == uncached(page_context(moved))
    # the cache folder holds the page index and nothing of the tree itself
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["index.json"]


def test_moving_rows_or_reporting_results_renders_no_event_again(tmp_path: Path) -> None:
    actions = winter_actions()
    shown = Shown()
    shown.build(page_context(actions), tmp_path)
    moved = tuple(replace(a, row=a.row + 5, report="参加 12人") for a in actions)
    files, rendered = shown.build(page_context(moved), tmp_path, fresh_process=True)
    assert rendered == trees_only(rendered)
    assert files == uncached(page_context(moved))


def test_an_edited_template_renders_every_event_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (bundled_templates() / "event.html").read_text(encoding="utf-8")
    (templates / "event.html").write_text(page, encoding="utf-8")
    ctx = page_context(templates=templates)
    shown = Shown()
    first, _ = shown.build(ctx, tmp_path / "cache")
    assert "{{ t.subscribe_all }}" in page
    edited = page.replace("{{ t.subscribe_all }}", "{{ t.subscribe_all }}（改訂）")
    (templates / "event.html").write_text(edited, encoding="utf-8")
    second, rendered = shown.build(ctx, tmp_path / "cache", fresh_process=True)
    # every page again; the QR codes, which no template draws, stay as they were
    codes = {p for p in second if "/events/" in f"/{p}" and p.rsplit("/", 1)[-1].startswith("qr")}
    assert codes and rendered == set(second) - codes
    assert "（改訂）" in second["events/study-1207/index.html"].decode("utf-8")
    assert first["events/study-1207/index.html"] != second["events/study-1207/index.html"]
    assert second == uncached(ctx)


def test_the_settings_pages_print_render_every_event_again(tmp_path: Path) -> None:
    ctx = page_context()
    shown = Shown()
    shown.build(ctx, tmp_path)
    renamed = replace(ctx, config=replace(
        ctx.config, calendar=CalendarConfig(name="年金者組合 行動予定",
                                            base_url=ctx.config.calendar.base_url)))
    files, rendered = shown.build(renamed, tmp_path, fresh_process=True)
    assert "年金者組合 行動予定" in files["events/study-1207/index.html"].decode("utf-8")
    codes = {p for p in files if "/events/" in f"/{p}" and p.rsplit("/", 1)[-1].startswith("qr")}
    assert files == uncached(renamed) and rendered == set(files) - codes
    form = "https://forms.shaho-kanagawa.jp/apply?event={id}&org={org}"
    reformed = replace(ctx, config=replace(
        ctx.config, registration=RegistrationConfig(url_template=form)))
    files, _ = shown.build(reformed, tmp_path, fresh_process=True)
    assert "forms.shaho-kanagawa.jp/apply?event=station-4" in files[
        "events/station-4/flyer.html"].decode("utf-8")
    assert files == uncached(reformed)
    moved = replace(ctx, config=replace(ctx.config, calendar=CalendarConfig(
        name=ctx.config.calendar.name, base_url="https://calendar.example.net/")))
    files, _ = shown.build(moved, tmp_path, fresh_process=True)
    assert files == uncached(moved)


def test_a_new_day_or_token_gives_the_uncached_pages(tmp_path: Path) -> None:
    ctx = page_context()
    for later in (replace(ctx, today=date(2026, 3, 1)),
                  replace(ctx, members_token="another-members-token-7"),
                  replace(ctx, members_token=None)):
        shown = Shown()
        shown.build(ctx, tmp_path)
        files, _ = shown.build(later, tmp_path, fresh_process=True)
        assert files == uncached(later)


def test_a_shown_file_that_differs_makes_its_event_render_again(tmp_path: Path) -> None:
    ctx = page_context()
    shown = Shown()
    shown.build(ctx, tmp_path)
    shown.files["events/study-1207/flyer.html"] = b"edited by hand"
    del shown.files["events/station-4/qr.png"]
    files, rendered = shown.build(ctx, tmp_path, fresh_process=True)
    # the public event renders again; its codes, still as shown, are kept
    assert event_paths(files, "study-1207") & rendered == {
        p for p in event_paths(files, "study-1207")
        if not p.startswith("members/") and "/qr." not in p}
    assert "events/station-4/qr.png" in rendered
    assert files == uncached(ctx)


def test_an_unreadable_index_only_costs_rendering_again(tmp_path: Path) -> None:
    ctx = page_context()
    shown = Shown()
    shown.build(ctx, tmp_path)
    index = tmp_path / "pages" / "index.json"
    body = json.loads(index.read_bytes())
    for damage in (b"", index.read_bytes()[:-3], b"garbage", b'{"format": 2, "events": [1]}',
                   b'{"format": 2, "events": {}, "codes": [1]}'):
        index.write_bytes(damage)
        files, rendered = shown.build(ctx, tmp_path, fresh_process=True)
        assert files == uncached(ctx) and rendered == set(files)
    assert json.loads(index.read_bytes())["events"].keys() == body["events"].keys()


def test_the_index_keeps_only_the_last_builds_events(tmp_path: Path) -> None:
    actions = winter_actions()
    shown = Shown()
    shown.build(page_context(actions), tmp_path)
    index = tmp_path / "pages" / "index.json"
    before = set(json.loads(index.read_bytes())["events"])
    edited = tuple(replace(a, title=a.title + "（改）") if a.id == "study-1207" else a
                   for a in actions)
    shown.build(page_context(edited), tmp_path, fresh_process=True)
    after = set(json.loads(index.read_bytes())["events"])
    # a public action has one entry in each tree; the old ones are dropped
    assert len(after - before) == 2 and len(before - after) == 2 and len(after) == len(before)
