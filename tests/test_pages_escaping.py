"""Whatever organisers type in a cell is shown as text: it can never add markup to a page."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.model import Action
from campaign_sheets.pages.build import build_pages
from pages_support import page_context, parse_html, winter_actions

HOSTILE = (
    '<script>alert("x")</script>',
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "A&B <b>太字</b> &amp; &lt;",
    "1行目\n<iframe src=//evil.example>\n3行目",
    "</textarea></title></style><svg onload=alert(1)>",
    "{{ 7*7 }} {% raw %}",
)


def structure(data: bytes) -> list[tuple[str, tuple[str, ...]]]:
    """Tag names and attribute names, in order: what markup a page has, not its text."""
    return [(tag, tuple(sorted(attrs))) for tag, attrs in parse_html(data).tags]


def hostile_action(text: str) -> Action:
    base = winter_actions()[1]  # the study meeting: venue, speaker, series, description
    # without its own 申込URL, so that its organiser gets a flyer of its own
    return replace(
        base, registration="", title=text, venue=text, address=text, speaker=text,
        series=base.series, description=text, organizer=text, orgs=(text,), region=text,
    )


def pages_of(action: Action) -> dict[str, bytes]:
    files = build_pages(page_context([action], token=None), pdf=False)
    return {p: d for p, d in files.items() if p.endswith(".html")}


BENIGN = pages_of(hostile_action("ふつうの行動"))


def same_shape(text: str) -> None:
    pages = pages_of(hostile_action(text))
    assert len(pages) == len(BENIGN)
    for path, data in pages.items():
        # the organisation's flyer is named after its key, which follows the name typed
        name = path if "/flyer-" not in path else next(p for p in BENIGN if "/flyer-" in p)
        assert structure(data) == structure(BENIGN[name]), (path, text)
        if "\n" not in text and "{" not in text:
            assert text in "".join(parse_html(data).text), path


def test_hostile_cells_are_inert_text() -> None:
    for text in HOSTILE:
        same_shape(text)


def test_line_breaks_in_a_description_survive_escaping() -> None:
    pages = pages_of(hostile_action(HOSTILE[4]))
    page = pages["events/study-1207/index.html"].decode("utf-8")
    assert "1行目\n&lt;iframe src=//evil.example&gt;\n3行目" in page


cell_text = st.lists(
    st.sampled_from([*"<>&\"'=/ \nabc日本{}%;:", "<script>", "</", "&amp;", " on"]),
    min_size=1, max_size=20,
).map("".join).filter(lambda s: s.strip())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_text)
def test_any_cell_text_leaves_the_markup_unchanged(text: str) -> None:
    same_shape(text)
