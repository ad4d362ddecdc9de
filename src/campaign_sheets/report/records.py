"""The values a report sentence holds: who took part, the totals and the results.

Frozen dataclasses with the JSON shape of SPEC §6 and §7; ``build.py`` makes them
from plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """One organisation as the sentence lists it; ``people`` is ``None`` when unknown.

    ``more`` says the count is only a floor (``ほか``, ``5人以上``); ``approx`` that it
    is approximate (``約5人``).
    """

    org: str
    people: int | None = None
    more: bool = False
    breakdown: tuple[BreakdownEntry, ...] = ()
    approx: bool = False


@dataclass(frozen=True)
class Stated:
    """The totals the sentence states: ``計4団体11人``, ``50人を超える`` (a lower bound),
    ``約40人`` (an approximation) and ``計3市町`` (the municipalities)."""

    orgs: int | None = None
    people: int | None = None
    people_at_least: int | None = None
    people_approx: int | None = None
    municipalities: int | None = None


@dataclass(frozen=True)
class Venue:
    """``会場28人``, ``オンライン9カ所（20人）`` and ``会場＋オンラインで45人``.

    ``hybrid`` says the stated total counts the hall and online together; ``approx``
    and ``at_least`` name the counts written as approximations (``会場約30人``) or as
    floors (``会場30人余り``): ``people``, ``online_sites``, ``online_people``.
    """

    people: int | None = None
    online_sites: int | None = None
    online_people: int | None = None
    hybrid: bool = False
    approx: tuple[str, ...] = ()
    at_least: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionEntry:
    """One answer of a sticker poll: ``反対45``."""

    label: str
    value: int


@dataclass(frozen=True)
class TallyEntry:
    """One result: ``「介護を守れ」署名15筆`` is item 署名, label 介護を守れ, 15, unit 筆.

    ``org`` is set for a result counted per organisation (``医療生協が120冊``): it is a
    tally of that organisation, never a head-count; its ``item`` is ``""`` when the
    sentence does not say what was counted. ``more`` marks a floor (``署名100筆以上``),
    ``approx`` an approximation (``チラシ約500枚``).
    """

    item: str
    label: str | None = None
    value: int | None = None
    unit: str | None = None
    options: tuple[OptionEntry, ...] = ()
    org: str | None = None
    more: bool = False
    approx: bool = False


@dataclass(frozen=True)
class StopEntry:
    """A municipality the action stopped in: ``寒川町（8人参加）``, ``厚木市本厚木駅前（6人）``.

    ``municipality`` is the name as written and ``code`` its 6-digit code; ``venue`` is
    the place written after the name (``本厚木駅前``; ``寒川町役場`` and ``相模原市民会館``
    keep the name in front); ``activity`` what was done there (``懇談``, ``宣伝``) when
    the sentence says it. ``code`` is ``None`` when the name does not resolve to one
    municipality. ``more``/``approx`` as for an organisation. A town named in a report
    is a stop, never an organisation.
    """

    municipality: str
    code: str | None = None
    people: int | None = None
    more: bool = False
    activity: str | None = None
    venue: str | None = None
    approx: bool = False


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
    #: words the reader recognised as prose around the values, carrying no count
    #: (a heading ``キャラバン第2日は``, ``雨の中で`` in ``署名：雨の中で18筆``), as written
    asides: tuple[str, ...] = ()

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        """The JSON shape of SPEC §6 and §7 (messages in ``lang``, Japanese by default)."""
        return {
            "participants": [_participant_json(p) for p in self.participants],
            "stated": {
                "orgs": self.stated.orgs,
                "people": self.stated.people,
                "people_at_least": self.stated.people_at_least,
                "people_approx": self.stated.people_approx,
                "municipalities": self.stated.municipalities,
            },
            "venue": {
                "people": self.venue.people,
                "online_sites": self.venue.online_sites,
                "online_people": self.venue.online_people,
                "hybrid": self.venue.hybrid,
                "approx": list(self.venue.approx),
                "at_least": list(self.venue.at_least),
            },
            "tallies": [_tally_json(t) for t in self.tallies],
            "stops": [_stop_json(s) for s in self.stops],
            "asides": list(self.asides),
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
            participants=tuple(_participant_of(p) for p in data.get("participants", ())),
            stated=Stated(
                stated.get("orgs"),
                stated.get("people"),
                stated.get("people_at_least"),
                stated.get("people_approx"),
                stated.get("municipalities"),
            ),
            venue=Venue(
                venue.get("people"),
                venue.get("online_sites"),
                venue.get("online_people"),
                bool(venue.get("hybrid", False)),
                tuple(venue.get("approx", ())),
                tuple(venue.get("at_least", ())),
            ),
            tallies=tuple(_tally_of(t) for t in data.get("tallies", ())),
            stops=tuple(_stop_of(s) for s in data.get("stops", ())),
            asides=tuple(data.get("asides", ())),
            warnings=tuple(
                ReportWarning(w["code"], {}, w.get("text", ""), stored_message=w.get("message"))
                for w in data.get("warnings", ())
            ),
        )


def _participant_json(p: ParticipantEntry) -> dict[str, Any]:
    return {
        "org": p.org,
        "people": p.people,
        "more": p.more,
        "approx": p.approx,
        "breakdown": [{"label": b.label, "people": b.people} for b in p.breakdown],
    }


def _participant_of(p: Mapping[str, Any]) -> ParticipantEntry:
    return ParticipantEntry(
        org=p["org"],
        people=p.get("people"),
        more=bool(p.get("more", False)),
        breakdown=tuple(
            BreakdownEntry(b["label"], b.get("people")) for b in p.get("breakdown", ())
        ),
        approx=bool(p.get("approx", False)),
    )


def _tally_json(t: TallyEntry) -> dict[str, Any]:
    return {
        "item": t.item,
        "label": t.label,
        "value": t.value,
        "unit": t.unit,
        "options": [{"label": o.label, "value": o.value} for o in t.options],
        "org": t.org,
        "more": t.more,
        "approx": t.approx,
    }


def _tally_of(t: Mapping[str, Any]) -> TallyEntry:
    return TallyEntry(
        item=t["item"],
        label=t.get("label"),
        value=t.get("value"),
        unit=t.get("unit"),
        options=tuple(OptionEntry(o["label"], o["value"]) for o in t.get("options", ())),
        org=t.get("org"),
        more=bool(t.get("more", False)),
        approx=bool(t.get("approx", False)),
    )


def _stop_json(s: StopEntry) -> dict[str, Any]:
    return {
        "municipality": s.municipality,
        "code": s.code,
        "people": s.people,
        "more": s.more,
        "approx": s.approx,
        "activity": s.activity,
        "venue": s.venue,
    }


def _stop_of(s: Mapping[str, Any]) -> StopEntry:
    return StopEntry(
        municipality=s["municipality"],
        code=s.get("code"),
        people=s.get("people"),
        more=bool(s.get("more", False)),
        activity=s.get("activity"),
        venue=s.get("venue"),
        approx=bool(s.get("approx", False)),
    )
