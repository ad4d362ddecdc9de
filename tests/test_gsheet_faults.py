"""When Google says no: quota, outages, sharing, wrong keys, uploaded .xlsx files and a
dead network each end quickly with a message that says what to do."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

import gsheet_support
from campaign_sheets.core.errors import SourceError
from campaign_sheets.sources.failure import CodedSourceError
from campaign_sheets.sources.gsheet import GoogleSheetSource
from campaign_sheets.sources.gsheet_http import RetryPolicy, retry_after_seconds
from sheets_emulator import SheetsEmulator, emulated_client

EMAIL = "sync@coalition.iam.gserviceaccount.com"
TABS = {"行動": [["ID", "行動名"], ["a", "宣伝"]]}
_KEYS = itertools.count(1)


emulator = gsheet_support.emulator
client = gsheet_support.client


@pytest.fixture
def fresh(emulator: SheetsEmulator) -> Iterator[SheetsEmulator]:
    emulator.faults.clear()
    emulator.always = None
    yield emulator
    emulator.faults.clear()
    emulator.always = None


class Waits:
    """Records the waits instead of sleeping, on a clock that moves by them."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def source_for(emulator: SheetsEmulator, client: Any, retry: RetryPolicy | None = None,
               **flags: bool) -> GoogleSheetSource:
    key = f"faults-{next(_KEYS):04d}-0123456789abcdef"
    emulator.add_spreadsheet(key, TABS, **flags)
    return GoogleSheetSource.from_client(key, client, email=EMAIL, retry=retry)


def test_two_quota_answers_then_success(fresh: SheetsEmulator, client: Any) -> None:
    waits = Waits()
    source = source_for(fresh, client, RetryPolicy(sleep=waits.sleep, clock=waits.clock))
    fresh.fail_next(429, count=2, message="Quota exceeded", headers={"Retry-After": "3"})
    mark = len(fresh.requests())
    tables = source.read_tables()
    assert tables["行動"].rows[1] == ["a", "宣伝"]
    assert [r.status for r in fresh.requests()[mark:]] == [429, 429, 200]
    assert len(waits.waits) == 2 and all(w >= 3 for w in waits.waits)  # Retry-After honoured


def test_backoff_grows_with_jitter_and_stays_under_the_cap() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=8, jitter=lambda: 0.0)
    assert [policy.delay(n, None) for n in range(5)] == [0.5, 1, 2, 4, 4]
    high = RetryPolicy(base_delay=1, max_delay=8, jitter=lambda: 0.999)
    assert 7.9 < high.delay(4, None) < 8


def test_an_endless_outage_gives_up_in_bounded_time(fresh: SheetsEmulator, client: Any) -> None:
    source = source_for(fresh, client, RetryPolicy(base_delay=0.05, max_delay=0.2, total=2.0))
    fresh.fail_next(503, count=1000, message="The service is currently unavailable.",
                    status_text="UNAVAILABLE")
    started = time.monotonic()
    mark = len(fresh.requests())
    with pytest.raises(SourceError, match="503 UNAVAILABLE") as err:
        source.read_tables()
    # bounded by the policy (4 attempts, ≤ 2 s of waiting), not by the machine's speed
    assert time.monotonic() - started < 30
    assert len(fresh.requests()[mark:]) == 4
    assert isinstance(err.value, CodedSourceError) and err.value.code == "gsheet.unavailable"
    assert "busy or down" in err.value.message("en")


def test_the_default_policy_ends_within_thirty_seconds(
    fresh: SheetsEmulator, client: Any
) -> None:
    waits = Waits()
    source = source_for(fresh, client, RetryPolicy(sleep=waits.sleep, clock=waits.clock))
    fresh.fail_next(500, count=1000, headers={"Retry-After": "20"})
    with pytest.raises(SourceError):
        source.read_tables()
    assert sum(waits.waits) <= 30 and len(waits.waits) <= 3


def test_a_long_retry_after_is_not_waited_out_past_the_budget(
    fresh: SheetsEmulator, client: Any
) -> None:
    waits = Waits()
    source = source_for(fresh, client, RetryPolicy(sleep=waits.sleep, clock=waits.clock))
    fresh.fail_next(429, count=10, headers={"Retry-After": "3600"})
    with pytest.raises(SourceError, match="429"):
        source.read_tables()
    assert waits.waits == []


def test_a_sheet_not_shared_names_the_email_to_share_with(
    fresh: SheetsEmulator, client: Any
) -> None:
    source = source_for(fresh, client, shared=False)
    mark = len(fresh.requests())
    with pytest.raises(SourceError, match=re.escape(EMAIL)) as err:
        source.read_tables()
    assert "共有" in str(err.value)
    assert len(fresh.requests()[mark:]) == 1  # 403 is not retried


def test_the_email_to_share_with_comes_from_the_key_file(
    fresh: SheetsEmulator, client: Any
) -> None:
    key = f"private-{next(_KEYS):04d}-0123456789abcdef"
    fresh.add_spreadsheet(key, TABS, shared=False)
    source = GoogleSheetSource.from_client(key, client)  # no e-mail given: the key file's
    with pytest.raises(SourceError, match=re.escape("sync@campaign-test.iam.gserviceaccount.com")):
        source.read_tables()


def test_a_wrong_key_says_the_key_is_wrong(fresh: SheetsEmulator, client: Any) -> None:
    source = GoogleSheetSource.from_client("gsheet:no-such-sheet-0123456789abc", client)
    with pytest.raises(SourceError, match="見つかりません") as err:
        source.read_tables()
    assert isinstance(err.value, CodedSourceError)
    assert "Check the key" in err.value.message("en")


def test_an_uploaded_xlsx_says_to_convert_it(fresh: SheetsEmulator, client: Any) -> None:
    source = source_for(fresh, client, native=False)
    with pytest.raises(SourceError, match="Googleスプレッドシートとして保存"):
        source.read_tables()


def test_a_bad_request_is_not_retried(fresh: SheetsEmulator, client: Any) -> None:
    source = source_for(fresh, client)
    fresh.fail_next(400, message="Invalid value at 'data'", count=3)
    mark = len(fresh.requests())
    with pytest.raises(SourceError, match="Invalid value"):
        source.read_tables()
    assert len(fresh.requests()[mark:]) == 1


def test_a_silent_server_times_out(fresh: SheetsEmulator, client: Any) -> None:
    key = f"slow-{next(_KEYS):04d}-0123456789abcdef"
    fresh.add_spreadsheet(key, TABS)
    source = GoogleSheetSource.from_client(key, client, timeout=(1.0, 0.2))
    fresh.fail_next(None, delay=0.6)
    with pytest.raises(SourceError, match="接続できませんでした"):
        source.read_tables()
    time.sleep(0.5)  # let the slow answer finish before the next test


def test_a_dead_network_says_so(client: Any) -> None:
    dead = SheetsEmulator().start()
    dead_client = emulated_client(dead)
    dead.stop()
    source = GoogleSheetSource.from_client("gsheet:dead-0123456789abcdefghij", dead_client)
    with pytest.raises(SourceError, match="インターネット接続"):
        source.read_tables()


def test_a_deleted_key_says_to_make_a_new_one(fresh: SheetsEmulator) -> None:
    fresh.token_error = "invalid_grant"
    try:
        source = GoogleSheetSource.from_client("gsheet:revoked-0123456789abcdefgh",
                                               emulated_client(fresh))
        with pytest.raises(SourceError, match="新しい鍵") as err:
            source.read_tables()
    finally:
        fresh.token_error = None
    assert isinstance(err.value, CodedSourceError) and err.value.code == "gsheet.auth_failed"
    assert "invalid_grant" in str(err.value)


@pytest.mark.parametrize(("header", "seconds"), [
    ({"Retry-After": "7"}, 7.0), ({}, None), ({"Retry-After": "soon"}, None),
    ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
])
def test_retry_after_is_read_as_seconds_or_a_date(
    header: dict[str, str], seconds: float | None
) -> None:
    assert retry_after_seconds(header) == seconds
