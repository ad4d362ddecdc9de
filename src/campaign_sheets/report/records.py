"""The values a report sentence holds: who took part, the totals and the results.

Frozen dataclasses with the JSON shape of SPEC §6. ``make_report`` and the small
constructors build a report from plain values (the roll-up uses them before it
calls ``render_report``), and add the consistency warnings a parse would find.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.problems import render_message


@dataclass(frozen=True)
class BreakdownEntry:
    """Part of an organisation's people: ``支部役員2人`` (people ``None`` when not counted)."""

    label: str
    people: int | None


@dataclass(frozen=True)
class ParticipantEntry:
    """One organisation as the sentence lists it; ``people`` is ``None`` when unknown."""

    org: str
    people: int | None = None
    more: bool = False
    breakdown: tuple[BreakdownEntry, ...] = ()


@dataclass(frozen=True)
class Stated:
    """The totals the sentence states: ``計4団体11人`` and ``50人を超える`` (a lower bound)."""

    orgs: int | None = None
    people: int | None = None
    people_at_least: int | None = None


@dataclass(frozen=True)
class Venue:
    """``会場28人`` and ``オンライン9カ所``."""

    people: int | None = None
    online_sites: int | None = None


@dataclass(frozen=True)
class OptionEntry:
    """One answer of a sticker poll: ``反対45``."""

    label: str
    value: int


@dataclass(frozen=True)
class TallyEntry:
    """One result: ``「介護を守れ」署名15筆`` is item 署名, label 介護を守れ, 15, unit 筆.

    ``org`` is set for a result counted per organisation (``医療生協が120冊``): it is a
    tally of that organisation, never a head-count.
    """

    item: str
    label: str | None = None
    value: int | None = None
    unit: str | None = None
    options: tuple[OptionEntry, ...] = ()
    org: str | None = None


@dataclass(frozen=True)
class StopEntry:
    """A municipality the action stopped in: ``寒川町（8人参加）``, ``厚木市本厚木駅前（6人）``.

    ``municipality`` is the name as written and ``code`` its 6-digit code; ``venue`` is
    the place written after the name (``本厚木駅前``); ``activity`` what was done there
    (``懇談``, ``宣伝``) when the sentence says it. A town named in a report is a stop,
    never an organisation.
    """

    municipality: str
    code: str | None = None
    people: int | None = None
    more: bool = False
    activity: str | None = None
    venue: str | None = None


@dataclass(frozen=True)
class ReportWarning:
    """Something in the sentence that needs a person's eye.

    ``text`` quotes the fragment concerned. ``params`` fill the message template of
    ``code``; they are not compared, so a warning read back from JSON (which carries
    the rendered message instead) equals the one the parser made.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    text: str = ""
    stored_message: str | None = field(default=None, compare=False, hash=False, repr=False)

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang`` (the stored one when read back from JSON)."""
        if self.stored_message is not None and not self.params:
            return self.stored_message
        return render_message(self.code, {"text": self.text, **self.params}, lang)


@dataclass(frozen=True)
class ParsedReport:
    """Everything a report sentence says, in the order it says it."""

    participants: tuple[ParticipantEntry, ...] = ()
    stated: Stated = field(default_factory=Stated)
    venue: Venue = field(default_factory=Venue)
    tallies: tuple[TallyEntry, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    stops: tuple[StopEntry, ...] = ()

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        """The JSON shape of SPEC §6 (messages in ``lang``, Japanese by default)."""
        return {
            "participants": [
                {
                    "org": p.org,
                    "people": p.people,
                    "more": p.more,
                    "breakdown": [{"label": b.label, "people": b.people} for b in p.breakdown],
                }
                for p in self.participants
            ],
            "stated": {
                "orgs": self.stated.orgs,
                "people": self.stated.people,
                "people_at_least": self.stated.people_at_least,
            },
            "venue": {"people": self.venue.people, "online_sites": self.venue.online_sites},
            "tallies": [
                {
                    "item": t.item,
                    "label": t.label,
                    "value": t.value,
                    "unit": t.unit,
                    "options": [{"label": o.label, "value": o.value} for o in t.options],
                    "org": t.org,
                }
                for t in self.tallies
            ],
            "stops": [
                {
                    "municipality": s.municipality,
                    "code": s.code,
                    "people": s.people,
                    "more": s.more,
                    "activity": s.activity,
                    "venue": s.venue,
                }
                for s in self.stops
            ],
            "warnings": [
                {"code": w.code, "message": w.message(lang), "text": w.text} for w in self.warnings
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ParsedReport:
        """The report a ``to_json`` dictionary describes."""
        stated = data.get("stated") or {}
        venue = data.get("venue") or {}
        return cls(
            participants=tuple(
                ParticipantEntry(
                    org=p["org"],
                    people=p.get("people"),
                    more=bool(p.get("more", False)),
                    breakdown=tuple(
                        BreakdownEntry(b["label"], b.get("people")) for b in p.get("breakdown", ())
                    ),
                )
                for p in data.get("participants", ())
            ),
            stated=Stated(stated.get("orgs"), stated.get("people"), stated.get("people_at_least")),
            venue=Venue(venue.get("people"), venue.get("online_sites")),
            tallies=tuple(
                TallyEntry(
                    item=t["item"],
                    label=t.get("label"),
                    value=t.get("value"),
                    unit=t.get("unit"),
                    options=tuple(
                        OptionEntry(o["label"], o["value"]) for o in t.get("options", ())
                    ),
                    org=t.get("org"),
                )
                for t in data.get("tallies", ())
            ),
            stops=tuple(
                StopEntry(
                    municipality=s["municipality"],
                    code=s.get("code"),
                    people=s.get("people"),
                    more=bool(s.get("more", False)),
                    activity=s.get("activity"),
                    venue=s.get("venue"),
                )
                for s in data.get("stops", ())
            ),
            warnings=tuple(
                ReportWarning(w["code"], {}, w.get("text", ""), stored_message=w.get("message"))
                for w in data.get("warnings", ())
            ),
        )


BreakdownLike = BreakdownEntry | tuple[str, int | None]


def participant(
    org: str,
    people: int | None = None,
    *,
    more: bool = False,
    breakdown: Mapping[str, int | None] | Iterable[BreakdownLike] = (),
) -> ParticipantEntry:
    """An organisation entry from plain values; ``breakdown`` may be a mapping or pairs."""
    pairs = breakdown.items() if isinstance(breakdown, Mapping) else breakdown
    entries = tuple(b if isinstance(b, BreakdownEntry) else BreakdownEntry(*b) for b in pairs)
    return ParticipantEntry(org=org, people=people, more=more, breakdown=entries)


def tally(
    item: str,
    value: int | None = None,
    *,
    label: str | None = None,
    unit: str | None = None,
    options: Mapping[str, int] | Iterable[tuple[str, int]] = (),
) -> TallyEntry:
    """A result from plain values; ``options`` may be a mapping or pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return TallyEntry(
        item=item,
        label=label,
        value=value,
        unit=unit,
        options=tuple(OptionEntry(label_, count) for label_, count in pairs),
    )


def make_report(
    participants: Iterable[ParticipantEntry] = (),
    *,
    orgs: int | None = None,
    people: int | None = None,
    people_at_least: int | None = None,
    venue_people: int | None = None,
    online_sites: int | None = None,
    tallies: Iterable[TallyEntry] = (),
) -> ParsedReport:
    """A report from plain values, with the consistency warnings a parse would give."""
    # Imported here: the checks render fragments, and rendering imports this module.
    from .checks import consistency_warnings

    report = ParsedReport(
        participants=tuple(participants),
        stated=Stated(orgs, people, people_at_least),
        venue=Venue(venue_people, online_sites),
        tallies=tuple(tallies),
    )
    return ParsedReport(
        participants=report.participants,
        stated=report.stated,
        venue=report.venue,
        tallies=report.tallies,
        warnings=consistency_warnings(report),
    )
