"""A readable summary of a parsed report, one line per fact (``parse --format text``)."""

from __future__ import annotations

from ..core.problems import render_message
from .records import ParsedReport, ParticipantEntry, Stated, StopEntry, TallyEntry, Venue


def _count(value: int | None, lang: str) -> str:
    if value is None:
        return render_message("report.summary.unknown", {}, lang)
    return render_message("report.summary.people", {"n": value}, lang)


def _blank(value: int | None) -> str:
    return "-" if value is None else str(value)


def _more(more: bool, lang: str) -> str:
    return render_message("report.summary.more", {}, lang) if more else ""


def _participant_line(entry: ParticipantEntry, lang: str) -> str:
    parts = "、".join(f"{b.label} {_count(b.people, lang)}" for b in entry.breakdown)
    return render_message(
        "report.summary.participant",
        {
            "org": entry.org,
            "people": _count(entry.people, lang),
            "more": _more(entry.more, lang),
            "breakdown": (
                render_message("report.summary.breakdown", {"parts": parts}, lang) if parts else ""
            ),
        },
        lang,
    )


def _tally_line(entry: TallyEntry, lang: str) -> str:
    options = "、".join(f"{o.label}{o.value}" for o in entry.options)
    code = "report.summary.org_tally" if entry.org is not None else "report.summary.tally"
    return render_message(
        code,
        {
            "org": entry.org or "",
            "item": entry.item,
            "label": f"「{entry.label}」" if entry.label else "",
            "value": _blank(entry.value),
            "unit": entry.unit or "",
            "options": f"（{options}）" if options else "",
        },
        lang,
    ) + _more(entry.more, lang)


def _stated_line(stated: Stated, lang: str) -> str | None:
    values = (stated.orgs, stated.people, stated.people_at_least, stated.people_approx,
              stated.municipalities)
    if all(v is None for v in values):
        return None
    extras = {
        "at_least": ("report.summary.at_least", stated.people_at_least),
        "approx": ("report.summary.approx", stated.people_approx),
        "towns": ("report.summary.towns", stated.municipalities),
    }
    params = {
        key: render_message(code, {"n": n}, lang) if n is not None else ""
        for key, (code, n) in extras.items()
    }
    return render_message(
        "report.summary.stated",
        {"orgs": _blank(stated.orgs), "people": _blank(stated.people), **params},
        lang,
    ).rstrip()


def _venue_line(venue: Venue, lang: str) -> str | None:
    counts = (venue.people, venue.online_sites, venue.online_people)
    if all(c is None for c in counts) and not venue.hybrid:
        return None
    hybrid = render_message("report.summary.hybrid", {}, lang) if venue.hybrid else ""
    return render_message(
        "report.summary.venue",
        {
            "people": _blank(venue.people),
            "sites": _blank(venue.online_sites),
            "online": _blank(venue.online_people),
            "hybrid": hybrid,
        },
        lang,
    )


def _stop_line(entry: StopEntry, lang: str) -> str:
    activity = ""
    if entry.activity:
        activity = render_message("report.summary.activity", {"activity": entry.activity}, lang)
    return render_message(
        "report.summary.stop",
        {
            "municipality": entry.municipality,
            "code": entry.code or "-",
            "venue": f" {entry.venue}" if entry.venue else "",
            "people": _count(entry.people, lang) + _more(entry.more, lang),
            "activity": activity,
        },
        lang,
    )


def summary_lines(report: ParsedReport, lang: str = "ja") -> list[str]:
    """Every participant, total, venue count, stop, result, aside and warning, then a
    heading for the re-rendered sentence."""
    lines = [_participant_line(p, lang) for p in report.participants]
    for line in (_stated_line(report.stated, lang), _venue_line(report.venue, lang)):
        if line is not None:
            lines.append(line)
    lines.extend(_stop_line(s, lang) for s in report.stops)
    lines.extend(_tally_line(t, lang) for t in report.tallies)
    lines.extend(
        render_message("report.summary.aside", {"text": text}, lang) for text in report.asides
    )
    lines.extend(
        render_message("report.summary.warning", {"message": w.message(lang)}, lang)
        for w in report.warnings
    )
    lines.append(render_message("report.summary.sentence", {}, lang))
    return lines
