"""A readable summary of a parsed report, one line per fact (``parse --format text``)."""

from __future__ import annotations

from ..core.problems import render_message
from .records import ParsedReport, ParticipantEntry, TallyEntry


def _count(value: int | None, lang: str) -> str:
    if value is None:
        return render_message("report.summary.unknown", {}, lang)
    return render_message("report.summary.people", {"n": value}, lang)


def _blank(value: int | None) -> str:
    return "-" if value is None else str(value)


def _participant_line(entry: ParticipantEntry, lang: str) -> str:
    parts = "、".join(f"{b.label} {_count(b.people, lang)}" for b in entry.breakdown)
    return render_message(
        "report.summary.participant",
        {
            "org": entry.org,
            "people": _count(entry.people, lang),
            "more": render_message("report.summary.more", {}, lang) if entry.more else "",
            "breakdown": (
                render_message("report.summary.breakdown", {"parts": parts}, lang) if parts else ""
            ),
        },
        lang,
    )


def _tally_line(entry: TallyEntry, lang: str) -> str:
    options = "、".join(f"{o.label}{o.value}" for o in entry.options)
    return render_message(
        "report.summary.tally",
        {
            "item": entry.item,
            "label": f"「{entry.label}」" if entry.label else "",
            "value": _blank(entry.value),
            "unit": entry.unit or "",
            "options": f"（{options}）" if options else "",
        },
        lang,
    )


def summary_lines(report: ParsedReport, lang: str = "ja") -> list[str]:
    """Every participant, total, venue count, result and warning, then a heading for the
    re-rendered sentence."""
    lines = [_participant_line(p, lang) for p in report.participants]
    stated = report.stated
    if stated.orgs is not None or stated.people is not None or stated.people_at_least is not None:
        at_least = ""
        if stated.people_at_least is not None:
            at_least = render_message(
                "report.summary.at_least", {"n": stated.people_at_least}, lang
            )
        lines.append(
            render_message(
                "report.summary.stated",
                {
                    "orgs": _blank(stated.orgs),
                    "people": _blank(stated.people),
                    "at_least": at_least,
                },
                lang,
            ).rstrip()
        )
    venue = report.venue
    if venue.people is not None or venue.online_sites is not None:
        lines.append(
            render_message(
                "report.summary.venue",
                {"people": _blank(venue.people), "sites": _blank(venue.online_sites)},
                lang,
            )
        )
    lines.extend(_tally_line(t, lang) for t in report.tallies)
    lines.extend(
        render_message("report.summary.warning", {"message": w.message(lang)}, lang)
        for w in report.warnings
    )
    lines.append(render_message("report.summary.sentence", {}, lang))
    return lines
