"""The per-event render cache: a cached build gives the very bytes of an uncached one,
and anything an event's files depend on makes its entry render again."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.config import CalendarConfig, RegistrationConfig
from campaign_sheets.model import Action, Status, Visibility
from campaign_sheets.outputs import BuildContext, OutputFiles
from campaign_sheets.pages.build import build_pages
from campaign_sheets.pages.cache import clear_cache, decode, encode
from campaign_sheets.resources import bundled_templates
from pages_support import ORGS, TOKEN, page_context, winter_actions

ORG_NAMES = [org.name for org in ORGS] + [ORGS[0].short, "未登録の団体"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def uncached(ctx: BuildContext) -> OutputFiles:
    """A build that renders every event: nothing kept in memory, no folder."""
    clear_cache()
    files = build_pages(ctx, pdf=False)
    clear_cache()
    return files


def cached(ctx: BuildContext, folder: Path) -> OutputFiles:
    """A build from the entries on disk alone, as in a later process."""
    clear_cache()
    return build_pages(ctx, pdf=False, cache_dir=folder)


def entries(folder: Path) -> set[str]:
    """The names of the event entries kept in ``folder``."""
    return {p.name for p in (folder / "pages").glob("*.event")}


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
@given(first=edited_actions(), second=edited_actions())
def test_a_cached_build_gives_the_bytes_of_an_uncached_one(
    tmp_path: Path, first: tuple[Action, ...], second: tuple[Action, ...]
) -> None:
    folder = tmp_path / "cache"
    shutil.rmtree(folder, ignore_errors=True)
    # the second workbook is built over the first one's entries: edited actions
    # must render again, unchanged ones must come back byte for byte
    for actions in (first, second, first):
        ctx = page_context(actions)
        expected = uncached(ctx)
        assert build_pages(ctx, pdf=False, cache_dir=folder) == expected  # rendered or kept
        assert build_pages(ctx, pdf=False, cache_dir=folder) == expected  # from memory
        assert cached(ctx, folder) == expected  # from disk


def test_one_edited_action_renders_only_its_own_entries(tmp_path: Path) -> None:
    actions = winter_actions()
    build_pages(page_context(actions), pdf=False, cache_dir=tmp_path)
    before = entries(tmp_path)
    edited = tuple(replace(a, title=a.title + "（会場変更）") if a.id == "study-1207" else a
                   for a in actions)
    files = cached(page_context(edited), tmp_path)
    after = entries(tmp_path)
    # a public action has one entry in each tree; the old ones are dropped
    assert len(after - before) == 2 and len(before - after) == 2
    assert "（会場変更）" in files["events/study-1207/index.html"].decode("utf-8")
    assert "（会場変更）" in files[f"members/{TOKEN}/events/study-1207/flyer.html"].decode("utf-8")
    assert files == uncached(page_context(edited))


def test_moving_rows_or_reporting_results_renders_nothing_again(tmp_path: Path) -> None:
    actions = winter_actions()
    build_pages(page_context(actions), pdf=False, cache_dir=tmp_path)
    before = entries(tmp_path)
    moved = tuple(replace(a, row=a.row + 5, report="参加 12人") for a in actions)
    assert cached(page_context(moved), tmp_path) == uncached(page_context(moved))
    assert entries(tmp_path) == before


def test_an_edited_template_invalidates_every_event(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (bundled_templates() / "event.html").read_text(encoding="utf-8")
    (templates / "event.html").write_text(page, encoding="utf-8")
    ctx = page_context(templates=templates)
    first = build_pages(ctx, pdf=False, cache_dir=tmp_path / "cache")
    assert "{{ t.subscribe_all }}" in page
    edited = page.replace("{{ t.subscribe_all }}", "{{ t.subscribe_all }}（改訂）")
    (templates / "event.html").write_text(edited, encoding="utf-8")
    second = cached(ctx, tmp_path / "cache")
    assert "（改訂）" in second["events/study-1207/index.html"].decode("utf-8")
    assert first["events/study-1207/index.html"] != second["events/study-1207/index.html"]
    assert second == uncached(ctx)


def test_the_settings_pages_print_invalidate_the_cache(tmp_path: Path) -> None:
    ctx = page_context()
    build_pages(ctx, pdf=False, cache_dir=tmp_path)
    renamed = replace(ctx, config=replace(
        ctx.config, calendar=CalendarConfig(name="年金者組合 行動予定",
                                            base_url=ctx.config.calendar.base_url)))
    files = cached(renamed, tmp_path)
    assert "年金者組合 行動予定" in files["events/study-1207/index.html"].decode("utf-8")
    assert files == uncached(renamed)
    form = "https://forms.example.org/apply?event={id}&org={org}"
    reformed = replace(ctx, config=replace(
        ctx.config, registration=RegistrationConfig(url_template=form)))
    files = cached(reformed, tmp_path)
    assert "forms.example.org/apply?event=station-4" in files[
        "events/station-4/flyer.html"].decode("utf-8")
    assert files == uncached(reformed)
    moved = replace(ctx, config=replace(ctx.config, calendar=CalendarConfig(
        name=ctx.config.calendar.name, base_url="https://calendar.example.net/")))
    assert cached(moved, tmp_path) == uncached(moved)


def test_a_new_day_or_token_gives_the_uncached_pages(tmp_path: Path) -> None:
    ctx = page_context()
    build_pages(ctx, pdf=False, cache_dir=tmp_path)
    for later in (replace(ctx, today=date(2026, 3, 1)),
                  replace(ctx, members_token="another-members-token-7"),
                  replace(ctx, members_token=None)):
        assert cached(later, tmp_path) == uncached(later)


def test_unreadable_entries_are_made_again(tmp_path: Path) -> None:
    ctx = page_context()
    expected = build_pages(ctx, pdf=False, cache_dir=tmp_path)
    for number, path in enumerate(sorted((tmp_path / "pages").glob("*.event"))):
        blob = path.read_bytes()
        path.write_bytes([b"", blob[:-1], blob + b"x", b"garbage"][number % 4])
    assert cached(ctx, tmp_path) == expected
    assert cached(ctx, tmp_path) == expected  # and written whole again


FILES = st.dictionaries(st.text(max_size=30), st.binary(max_size=200), max_size=6)
KEYS = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(key=KEYS, files=FILES)
def test_an_entry_reads_back_as_written(key: str, files: OutputFiles) -> None:
    blob = encode(key, files)
    assert decode(blob, key) == files
    assert list(decode(blob, key) or {}) == list(files)  # in the build's order


@given(key=KEYS, other=KEYS, files=FILES, cut=st.integers(1, 50))
def test_a_cut_or_foreign_entry_is_not_read(
    key: str, other: str, files: OutputFiles, cut: int
) -> None:
    blob = encode(key, files)
    assert decode(blob[:-cut], key) is None
    if other != key:
        assert decode(blob, other) is None
