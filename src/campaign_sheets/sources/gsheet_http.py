"""Calls to the Sheets API for one spreadsheet: bounded retry and readable errors.

gspread's own back-off client retries 429/5xx forever and its default timeout is
none at all, so a sync run from cron could hang for hours. Here every call has a
timeout, is retried a few times only for answers that may go away by themselves
(408, 429, 5xx), and every failure becomes a :class:`CodedSourceError` that tells
the organiser what to do.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import google.auth.exceptions
import requests
from gspread.exceptions import APIError

from .failure import CodedSourceError

#: Connect and read timeouts in seconds.
DEFAULT_TIMEOUT = (5.0, 60.0)
_RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a call that failed with 408, 429 or 5xx.

    The n-th wait is ``min(max_delay, base_delay * 2**n)`` scaled by a random
    factor in [0.5, 1) so that many syncs do not retry in step; a ``Retry-After``
    header lengthens it. No wait may end later than ``total`` seconds after the
    first attempt: then the call gives up at once.
    """

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 8.0
    total: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The wait before attempt ``attempt + 1`` (0-based ``attempt`` just failed)."""
        spread = 0.5 + float(self.jitter()) / 2
        backoff = min(self.max_delay, self.base_delay * 2.0**attempt) * spread
        return max(backoff, retry_after or 0.0)


class StaleTabNames(CodedSourceError):
    """A range named a tab the spreadsheet no longer has (400 "Unable to parse range").

    The source catches it to learn the tab names again; anywhere else it is the
    SourceError that asks the organiser to run the sync again.
    """


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The ``Retry-After`` header in seconds (delta or HTTP date), or ``None``."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def quote_tab(title: str) -> str:
    """A tab name as a range: ``'行動'`` (quotes doubled inside)."""
    return "'" + title.replace("'", "''") + "'"


class SheetsApi:
    """The requests one spreadsheet needs, made through a ``gspread.Client``.

    ``requests`` counts HTTP requests sent (each retry counts), so callers and tests
    can hold the request budget.
    """

    def __init__(
        self,
        client: Any,
        key: str,
        *,
        email: str | None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.client = client
        self.key = key
        self.email = email or _client_email(client)
        self.retry = retry or RetryPolicy()
        self.requests = 0
        client.set_timeout(timeout)

    def titles(self) -> list[str]:
        """The tab names, in workbook order (one ``spreadsheets.get``)."""
        body = self.metadata("sheets.properties.title")
        return [str(s["properties"]["title"]) for s in body.get("sheets", [])]

    def metadata(self, fields: str) -> dict[str, Any]:
        """``spreadsheets.get`` with only ``fields``."""
        http = self.client.http_client
        return dict(self._call(lambda: http.fetch_sheet_metadata(self.key, {"fields": fields})))

    def batch_get(self, ranges: Sequence[str]) -> list[dict[str, Any]]:
        """``values:batchGet`` of ``ranges``: unformatted values, dates as serial numbers.

        Raises :class:`StaleTabNames` when a range names a tab that does not exist.
        """
        http = self.client.http_client

        def call() -> Any:
            # gspread adds "ranges" to the dict it is given: a fresh one on every attempt.
            params = {
                "valueRenderOption": "UNFORMATTED_VALUE",
                "dateTimeRenderOption": "SERIAL_NUMBER",
                "majorDimension": "ROWS",
            }
            return http.values_batch_get(self.key, list(ranges), params=params)

        body = self._call(call)
        return list(body.get("valueRanges", []))

    def write_values(
        self, data: Sequence[Mapping[str, Any]], *, input_option: str = "RAW"
    ) -> None:
        """``values:batchUpdate``; RAW (the default) stores text exactly as given, so
        ``=HYPERLINK(...)`` typed into a form never becomes a live formula."""
        payload = {"valueInputOption": input_option, "data": list(data)}
        http = self.client.http_client
        self._call(lambda: http.values_batch_update(self.key, payload))

    def clear(self, ranges: Sequence[str]) -> None:
        """``values:batchClear`` of ``ranges``."""
        http = self.client.http_client
        self._call(lambda: http.values_batch_clear(self.key, body={"ranges": list(ranges)}))

    def structure(self, requests_: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """``spreadsheets.batchUpdate``: all ``requests_`` applied atomically."""
        http = self.client.http_client
        return dict(self._call(lambda: http.batch_update(self.key, {"requests": list(requests_)})))

    def _call(self, send: Callable[[], Any]) -> Any:
        policy = self.retry
        start = policy.clock()
        attempt = 0
        while True:
            self.requests += 1
            try:
                return send()
            except APIError as exc:
                code = _status_code(exc)
                if code not in _RETRYABLE or attempt + 1 >= policy.attempts:
                    raise self._translate(exc, attempt + 1, policy.clock() - start) from exc
                wait = policy.delay(attempt, retry_after_seconds(exc.response.headers))
                if policy.clock() - start + wait > policy.total:
                    raise self._translate(exc, attempt + 1, policy.clock() - start) from exc
                policy.sleep(wait)
                attempt += 1
            except google.auth.exceptions.TransportError as exc:
                raise CodedSourceError("gsheet.network", detail=_short(exc)) from exc
            except google.auth.exceptions.RefreshError as exc:
                raise CodedSourceError("gsheet.auth_failed", detail=_short(exc)) from exc
            except requests.exceptions.RequestException as exc:
                raise CodedSourceError("gsheet.network", detail=_short(exc)) from exc

    def _translate(self, exc: APIError, attempts: int, elapsed: float) -> Exception:
        code = _status_code(exc)
        status = str(exc.error.get("status", ""))
        message = str(exc.error.get("message", ""))
        if code == 400 and "Unable to parse range" in message:
            return StaleTabNames("gsheet.tabs_changed", key=self.key, detail=message)
        if code == 401:
            return CodedSourceError("gsheet.auth_failed", detail=message)
        if code == 403 and self.email:
            return CodedSourceError("gsheet.forbidden", key=self.key, email=self.email)
        if code == 403:
            return CodedSourceError("gsheet.forbidden_unknown", key=self.key)
        if code == 404:
            return CodedSourceError("gsheet.not_found", key=self.key)
        if code == 400 and status == "FAILED_PRECONDITION":
            return CodedSourceError("gsheet.not_native", key=self.key)
        if code in _RETRYABLE:
            return CodedSourceError(
                "gsheet.unavailable",
                status=f"{code} {status}".strip(),
                attempts=attempts,
                seconds=round(elapsed, 1),
            )
        return CodedSourceError("gsheet.api_error", http=code, status=status, detail=message)


def _client_email(client: Any) -> str | None:
    """The service account's e-mail, from the credentials the client signs in with."""
    http = getattr(client, "http_client", None)
    for holder in (http, getattr(http, "session", None)):
        for name in ("auth", "credentials"):
            email = getattr(getattr(holder, name, None), "service_account_email", None)
            if isinstance(email, str) and "@" in email:
                return email
    return None


def _status_code(exc: APIError) -> int:
    # gspread puts -1 in the error when the body was not JSON (a proxy's HTML page).
    code = exc.code if isinstance(exc.code, int) and exc.code > 0 else exc.response.status_code
    return int(code)


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
