"""A hearing is 終了 once the assembly has decided; the council's roll-up counts it only
when somebody reported who went to watch it — not as an action held without a report."""

from __future__ import annotations

from datetime import date

from campaign_sheets.core.model import Action, Participation, Status
from campaign_sheets.rollup.frame import select_actions
from campaign_sheets.rollup.period import Period
from campaign_sheets.rollup.records import Records

FISCAL_2026 = Period(date(2026, 4, 1), date(2027, 3, 31), 2026)


def _done(action_id: str, kind: str) -> Action:
    return Action(id=action_id, kind=kind, title=action_id, date=date(2026, 10, 2),
                  status=Status.DONE)


def test_a_decided_hearing_nobody_reported_on_is_not_counted_but_a_street_action_is() -> None:
    actions = [_done("s-honkaigi", "hearing"), _done("st-1", "street")]
    chosen = select_actions(actions, Records(), FISCAL_2026)
    # a street action marked 終了 without a report is still an action held (人数不明)
    assert [a.id for a in chosen] == ["st-1"]


def test_a_hearing_members_reported_watching_is_counted() -> None:
    actions = [_done("s-honkaigi", "hearing")]
    records = Records(participation=(Participation("s-honkaigi", "県年金者組合", 4),))
    assert [a.id for a in select_actions(actions, records, FISCAL_2026)] == ["s-honkaigi"]
