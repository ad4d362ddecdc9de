"""A 傍聴 typed by hand in the 行動 tab that the 審議 tab already puts in the calendar.

Every 審議 row becomes a hearing event by itself (:mod:`campaign_sheets.assembly.hearings`),
so a 行動 row of kind 傍聴 for the same session shows it twice. A row is taken for such
a copy when all three hold:

- its date is the session's or one day off (a copied date is easily mistyped, and a
  committee is often moved by a day);
- its 行動名 or 会場 names the session's 会議 (``厚生常任委員会``, ``本会議``);
- it names the assembly: its name (``神奈川県議会``, ``横浜市会``), its municipality's
  (``川崎市``, or ``川崎`` without the suffix), or for a prefecture's assembly the short
  form organisers write (``県議会``).

Naming both the committee and the assembly keeps apart the many assemblies whose
committees or plenaries sit on the same days. Only rows someone would see twice are
named: a 非公開 row, or a 非公開 petition's session (whose hearing is published
nowhere), is left alone. It is a warning: both rows stay published until the
secretariat decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from ..assembly.model import Petition, Stage, Tracker
from ..assembly.vocabulary import assembly_text
from ..core.audience import Audience, visible_to
from ..core.model import Action, Visibility
from ..core.problems import Nested, Problem, make_problem
from ..core.schema import tab_spec
from ..core.text import match_key
from ..geo import Level
from .tabs import TabView

#: The kind of a hearing, hand-typed or made from a 審議 row.
HEARING = "hearing"
#: How many days a hand-typed hearing may be off its session's date.
DAYS_APART = 1


def duplicate_hearing_problems(
    actions: Iterable[Action], tracker: Tracker, events: TabView | None
) -> list[Problem]:
    """A warning at the 行動名 cell of each 行動 row of kind 傍聴 that repeats a 審議
    row's hearing, naming the 審議 rows it repeats."""
    if events is None or not tracker.stages:
        return []
    petitions = tracker.petition_by_id
    stages = [(s, petitions[s.petition_id]) for s in tracker.stages
              if s.petition_id in petitions and _seen(petitions[s.petition_id].visibility)]
    col, header = events.columns().get("title", (None, None))
    sheet = tracker.sheet_names.get("stages") or tab_spec("stages").name
    problems: list[Problem] = []
    for action in actions:
        if action.kind != HEARING or not _seen(action.visibility):
            continue
        same = sorted((pair for pair in stages if repeats(action, *pair)),
                      key=lambda pair: (abs((pair[0].date - action.date).days), pair[0].row))
        if not same:
            continue
        stage, petition = same[0]
        problems.append(make_problem(
            "event.hearing_in_stages", events.name, action.row or None, col, header,
            stages=sheet, rows="、".join(str(s.row) for s, _ in same),
            assembly=petition.assembly, body=stage.body, date=stage.date.isoformat(),
            other_day=_other_day(action.date, stage.date)))
    return problems


def repeats(action: Action, stage: Stage, petition: Petition) -> bool:
    """True when the hand-typed hearing ``action`` looks like ``stage``'s own."""
    if abs((action.date - stage.date).days) > DAYS_APART:
        return False
    text = match_key(action.title + action.venue)
    return match_key(stage.body) in text and any(
        match_key(name) in text for name in assembly_names(petition))


def assembly_names(petition: Petition) -> Sequence[str]:
    """The ways a row may name the assembly of ``petition``."""
    suffix = str(assembly_text()["assembly"]["suffix"])
    place = petition.place.name
    names = [petition.assembly, place]
    if len(place) > 2:
        names.append(place[:-1])  # 川崎市 → 川崎 (a one-character stem, 津, would match anything)
    if petition.place.level is Level.PREFECTURE:
        names.append(place[-1] + suffix)  # 神奈川県 → 県議会
    return [n for n in names if n]


def _seen(visibility: Visibility) -> bool:
    """True when the members see it (and with them, for a public one, everyone)."""
    return visible_to(visibility, Audience.MEMBERS)


def _other_day(typed: date, session: date) -> Nested | str:
    if typed == session:
        return ""
    return Nested("event.hearing_other_day", {"typed": typed.isoformat(),
                                              "date": session.isoformat()})
