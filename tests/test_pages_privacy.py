"""Privacy: members-only and private actions, and contacts, stay out of public pages."""

from __future__ import annotations

from datetime import date, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.model import Action, Visibility
from campaign_sheets.core.outputs import OutputFiles
from campaign_sheets.pages.build import build_pages
from pages_support import TOKEN, page_context, winter_actions


def public_bytes(files: OutputFiles) -> list[tuple[str, bytes]]:
    return [(p, d) for p, d in files.items() if not p.startswith("members/")]


def test_members_and_private_actions_and_contacts_never_reach_public_pages() -> None:
    files = build_pages(page_context(), pdf=False)
    for path, data in public_bytes(files):
        for secret in ("事務局会議", "meeting-1210", "役員人事", "private-1211", "090-0000-2222",
                       "045-000-1111", "080-3333-4444", TOKEN):
            assert secret.encode() not in data, (path, secret)


def test_private_actions_reach_not_even_the_members_pages() -> None:
    files = build_pages(page_context(), pdf=False)
    for path, data in files.items():
        assert b"private-1211" not in data and "役員人事".encode() not in data, path


# Markers that cannot occur in the page templates or labels, so finding one means a leak.
marker = st.from_regex(r"Z[QXJ][0-9]{6}", fullmatch=True)


@st.composite
def actions(draw: st.DrawFn) -> list[tuple[Action, str, str]]:
    count = draw(st.integers(1, 6))
    marks = draw(st.lists(marker, min_size=2 * count, max_size=2 * count, unique=True))
    made = []
    for index in range(count):
        title_mark, contact_mark = marks[2 * index], marks[2 * index + 1]
        visibility = draw(st.sampled_from(list(Visibility)))
        day = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
        action = Action(
            id=f"ev-{index}", kind=draw(st.sampled_from(["street", "study", "meeting"])),
            title=f"行動{title_mark}", date=day, start=time(10), venue="会館",
            organizer=draw(st.sampled_from(["県社保協", "年金者組合", ""])),
            contact=f"連絡先{contact_mark}", visibility=visibility,
        )
        made.append((action, title_mark, contact_mark))
    return made


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions())
def test_no_public_page_ever_shows_a_contact_or_a_hidden_action(
    made: list[tuple[Action, str, str]],
) -> None:
    files = build_pages(page_context([a for a, _, _ in made]), pdf=False)
    public = b"\n".join(d for _, d in public_bytes(files))
    members = b"\n".join(d for p, d in files.items() if p.startswith(f"members/{TOKEN}/"))
    for action, title_mark, contact_mark in made:
        assert contact_mark.encode() not in public
        shown_publicly = title_mark.encode() in public
        assert shown_publicly == (action.visibility is Visibility.PUBLIC)
        in_members = title_mark.encode() in members
        assert in_members == (action.visibility is not Visibility.PRIVATE)
        assert (contact_mark.encode() in members) == in_members


def test_the_winter_example_has_every_visibility() -> None:
    seen = {a.visibility for a in winter_actions()}
    assert seen == set(Visibility)
