"""The privacy rule, decided in one place: who may see which action, and what of it."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.audience import Audience, actions_for, may_see
from campaign_sheets.core.model import Action, Visibility

actions = st.builds(
    Action,
    id=st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True),
    kind=st.sampled_from(["street", "study", "meeting"]),
    title=st.text(min_size=1, max_size=20),
    date=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    visibility=st.sampled_from(list(Visibility)),
    contact=st.one_of(st.just(""), st.from_regex(r"0\d{1,3}-\d{2,4}-\d{4}", fullmatch=True)),
)


@given(st.lists(actions, max_size=12))
def test_public_sees_no_members_only_action_and_no_contact(items: list[Action]) -> None:
    public = actions_for(items, Audience.PUBLIC)
    assert all(a.visibility is Visibility.PUBLIC for a in public)
    assert all(a.contact == "" for a in public)
    assert len(public) == sum(1 for a in items if a.visibility is Visibility.PUBLIC)


@given(st.lists(actions, max_size=12))
def test_private_actions_reach_nobody(items: list[Action]) -> None:
    for audience in Audience:
        assert all(a.visibility is not Visibility.PRIVATE for a in actions_for(items, audience))


@given(st.lists(actions, max_size=12))
def test_members_see_everything_but_private_with_contacts(items: list[Action]) -> None:
    members = actions_for(items, Audience.MEMBERS)
    expected = [a for a in items if a.visibility is not Visibility.PRIVATE]
    assert list(members) == expected


def test_may_see_table() -> None:
    def action(v: Visibility) -> Action:
        return Action(id="a", kind="street", title="t", date=date(2026, 1, 1), visibility=v)

    assert [may_see(action(v), Audience.PUBLIC) for v in Visibility] == [True, False, False]
    assert [may_see(action(v), Audience.MEMBERS) for v in Visibility] == [True, True, False]
