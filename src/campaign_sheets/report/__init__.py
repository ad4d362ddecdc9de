"""The report sentence, both ways: ``parse_report`` reads it, ``render_report`` writes it.

Decisions the grammar of DOMAIN.md leaves open, taken here once:

- Names are returned as written (``２５条の会``, ``消費税10％反対``): NFKC is used to
  read, never on what is given back. Aliases are resolved later, against the 団体 tab.
- A count is the number right before its counter; a name may hold digits and ``・``.
- ``チラシ・ティッシュ600個`` is one item ``チラシ・ティッシュ`` with no label: a ``・``
  joining item words makes one item. A word before a known item is its label
  (``年金署名`` → item 署名, label 年金; ``「介護を守れ」署名`` → label 介護を守れ). The
  renderer writes a label with hiragana (a slogan) in 「」, a plain name bare.
- An unknown word with a unit is a result (``風船200個``); without a unit a known
  item word is needed (``シール投票48``), otherwise the fragment is an organisation.
- Role counts after a name (``医療生協役員2事務局1ほか``) need a role word from
  ``data/report.toml`` to tell where the name ends; they leave the people unknown.
- ``など`` before a total (``年金者組合など12団体``) marks the list as partial: the stated
  total is then compared as a floor only.
- Consistency warnings (total ≠ parts, breakdown > count, poll answers ≠ poll) quote the
  fragment as the renderer writes it, so a report built with ``make_report`` and the
  same report read back are equal, warnings included.
"""

from __future__ import annotations

from .records import (
    BreakdownEntry,
    OptionEntry,
    ParsedReport,
    ParticipantEntry,
    ReportWarning,
    Stated,
    StopEntry,
    TallyEntry,
    Venue,
    make_report,
    participant,
    tally,
)
from .render import render_participant, render_report, render_tally
from .sentence import parse_report

__all__ = [
    "BreakdownEntry",
    "OptionEntry",
    "ParsedReport",
    "ParticipantEntry",
    "ReportWarning",
    "Stated",
    "StopEntry",
    "TallyEntry",
    "Venue",
    "make_report",
    "parse_report",
    "participant",
    "render_participant",
    "render_report",
    "render_tally",
    "tally",
]
