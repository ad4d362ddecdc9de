"""The one place that decides what each audience may see.

Every output builder (feeds, pages, reports) takes its actions through
:func:`actions_for`, never from the workbook directly:

- 非公開 (private) actions reach no output at all;
- 会員 (members) actions reach only the members' tree;
- petitions of the assembly tracker follow the same rule (:func:`visible_to`), and
  their hearings are actions with the petition's visibility;
- the contact column reaches only the members' tree;
- registrations never carry names, e-mail addresses or phone numbers (the model
  has no field for them), so nothing here has to strip them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from .model import Action, Visibility


class Audience(StrEnum):
    """Who an output is for."""

    PUBLIC = "public"
    MEMBERS = "members"


def may_see(action: Action, audience: Audience) -> bool:
    """Whether ``audience`` may see ``action`` at all."""
    return visible_to(action.visibility, audience)


def visible_to(visibility: Visibility, audience: Audience) -> bool:
    """Whether ``audience`` may see a record of ``visibility`` (an action, a petition)."""
    if visibility is Visibility.PRIVATE:
        return False
    if visibility is Visibility.MEMBERS:
        return audience is Audience.MEMBERS
    return True


def view_for(action: Action, audience: Audience) -> Action:
    """``action`` as ``audience`` may see it (the contact only for members)."""
    if audience is Audience.MEMBERS or not action.contact:
        return action
    return replace(action, contact="")


def actions_for(actions: Iterable[Action], audience: Audience) -> tuple[Action, ...]:
    """The actions ``audience`` may see, each as it may see it, in the given order."""
    return tuple(view_for(a, audience) for a in actions if may_see(a, audience))
