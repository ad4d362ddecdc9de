"""Every 審議 row as a ``hearing`` action (傍聴), so it reaches the feeds and pages the
way any action does.

- the action's ID is the stage ID, so its UID is ``<stage ID>@<uid_domain>`` and a moved
  date raises its SEQUENCE like any action's;
- the title names the assembly, the committee and the petition;
- the venue is the stage's 会場 when given, else the assembly;
- it has the petition's visibility (a members-only petition's hearings reach only the
  members' feeds; a 非公開 one's none);
- once decided, the outcome and the vote stand in its description, and the action is
  終了 (done); a committee's hearing then says what the next deciding session made of
  it (「その後、2026-10-02の本会議で採択。」) rather than that the plenary is ahead;
- ``municipality`` carries the assembly's code, for the municipality's own feed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.model import Action, Status
from .model import Petition, Stage, Tracker
from .status import is_final, stage_order
from .vocabulary import assembly_text, classifications, outcome, term_label
from .votes import format_vote

KIND = "hearing"


def hearing_actions(tracker: Tracker) -> tuple[Action, ...]:
    """One action per stage whose petition is known, in the order of the stages."""
    petitions = tracker.petition_by_id
    return tuple(
        hearing_action(stage, petitions[stage.petition_id],
                       _next_decided(stage, tracker.stages_of(stage.petition_id)))
        for stage in tracker.stages if stage.petition_id in petitions
    )


def _next_decided(stage: Stage, stages: Sequence[Stage]) -> Stage | None:
    """The first session after ``stage`` that decided something, if any."""
    later = [s for s in stages if s.outcome is not None and stage_order(s) > stage_order(stage)]
    return min(later, key=stage_order, default=None)


def hearing_action(stage: Stage, petition: Petition, later: Stage | None = None) -> Action:
    """The hearing of ``stage``, a session on ``petition``; ``later`` is the next
    session that decided something, whose result a committee's hearing then names."""
    texts: Mapping[str, str] = assembly_text()["hearing"]
    title = texts["title"].format(assembly=petition.assembly, body=stage.body,
                                  title=petition.title)
    return Action(
        id=stage.id,
        kind=KIND,
        title=title,
        date=stage.date,
        start=stage.start,
        end=stage.end,
        venue=stage.venue or petition.assembly,
        organizer=petition.submitter,
        status=Status.DONE if stage.outcome else Status.PLANNED,
        visibility=petition.visibility,
        description=_description(stage, petition, texts, later),
        municipality=petition.place.code,
        row=stage.row,
    )


def _description(
    stage: Stage, petition: Petition, texts: Mapping[str, str], later: Stage | None
) -> str:
    kind = term_label(classifications(), petition.classification)
    lines = [texts["petition"].format(classification=kind, title=petition.title,
                                      assembly=petition.assembly)]
    if stage.outcome is not None:
        label = outcome(stage.outcome).label
        if stage.vote is not None:
            lines.append(texts["outcome_vote"].format(outcome=label, vote=format_vote(stage.vote)))
        else:
            lines.append(texts["outcome"].format(outcome=label))
        lines.append(_settled(stage, texts, later))
    if petition.submitted is not None:
        lines.append(texts["submitted"].format(date=petition.submitted.isoformat()))
    if petition.submitter:
        lines.append(texts["submitter"].format(name=petition.submitter))
    if petition.introducers:
        lines.append(texts["introducers"].format(names="、".join(petition.introducers)))
    if stage.note:
        lines.append(stage.note)
    source = stage.source or petition.source
    if source:
        lines.append(texts["source"].format(url=source))
    return "\n".join(lines)


def _settled(stage: Stage, texts: Mapping[str, str], later: Stage | None) -> str:
    if is_final(stage):
        return texts["final"]
    if later is not None:
        return texts["later"].format(date=later.date.isoformat(), body=later.body,
                                     outcome=outcome(later.outcome or "").label)
    if stage.outcome == "carried_over":
        return texts["carried"]
    return texts["not_final"]
