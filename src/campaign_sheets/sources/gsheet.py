"""A Google Sheet as the source: every tab in one request, write-back in one more.

The request budget matters: a service account may make 60 reads a minute and a
coalition may sync from cron every few minutes. So:

* when the tab names are not known (a first sync, a cache older than
  ``names_max_age``, cached names without the required 行動 tab) one
  ``spreadsheets.get`` whose field mask names the grid data returns every tab's
  name *and* cells (:mod:`.gsheet_grid` turns them into what ``batchGet`` would
  have given). Every tab comes back, tabs the layout does not know included, as
  the source contract requires; guessing the layout's tab names for a ``batchGet``
  would save nothing and would miss such tabs. The answer is larger (each cell an
  object: about 2.5 times the ``batchGet`` answer for the example workbook), which
  is why it is used only then. The names are then kept in memory and, when
  ``cache_path`` is given, on disk. (The grid-data answer is modelled on the API
  reference in the test emulator; it has not been checked here against Google.)
* with the names known, a sync reads every tab with exactly one
  ``values:batchGet`` (smaller answers than the grid data). A renamed or removed
  tab makes that request fail with "Unable to parse range"; names and cells are
  then read together once more (two requests in all). A tab *added* since the
  names were learned is missed until the cache is older than ``names_max_age``
  (a day by default) -- the one gap of the steady state;
* the write-back is one ``values:batchUpdate`` (RAW), and nothing is sent when
  nothing changed. Blank ID cells are re-read just before they are written (one
  small ``values:batchGet``, only when there are IDs to write) so a value a person
  typed since the sync's read wins; what remains is the sub-second window between
  that re-read and the write, which the Sheets API cannot close (it has no
  conditional writes).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import gspread

from ..core.problems import column_letter
from ..core.schema import find_tab, tab_specs
from ..core.text import match_key
from ..core.values import CellValue, CellWrite, RawTable, WriteBack, WriteResult
from .failure import CodedSourceError
from .gsheet_auth import credentials_path, load_credentials, spreadsheet_key
from .gsheet_grid import GRID_FIELDS, tables_from_grid
from .gsheet_http import DEFAULT_TIMEOUT, RetryPolicy, SheetsApi, StaleTabNames, quote_tab
from .gsheet_init import InitResult, fill_sheet
from .tables import cell_is_blank, trim_row, trim_rows


class GoogleSheetSource:
    """A Google Sheet read and written through the Sheets API v4."""

    #: read over the network: read side by side with other sheets (see :mod:`.many`)
    remote = True

    def __init__(
        self, api: SheetsApi, *, cache_path: Path | None = None, names_max_age: float = 86400.0
    ) -> None:
        self.api = api
        self.cache_path = cache_path
        self.names_max_age = names_max_age
        self._titles: list[str] | None = None
        self._learned_at = 0.0
        # What the last read saw, per tab: used to skip ID cells a person has filled
        # and to know how much of the 集計 tab to blank.
        self._seen: dict[str, list[list[CellValue]]] = {}
        self._load_cache()

    @classmethod
    def from_spec(
        cls,
        spec: str,
        *,
        credentials: Path | None,
        cache_path: Path | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> GoogleSheetSource:
        """The sheet ``spec`` names (``gsheet:<key>`` or a URL), signed in as a service account."""
        key = spreadsheet_key(spec)
        creds = load_credentials(credentials_path(credentials))
        client = gspread.Client(auth=creds)
        email = getattr(creds, "service_account_email", None)
        api = SheetsApi(client, key, email=email, retry=retry, timeout=timeout)
        return cls(api, cache_path=cache_path)

    @classmethod
    def from_client(
        cls,
        spec: str,
        client: Any,
        *,
        email: str | None = None,
        cache_path: Path | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> GoogleSheetSource:
        """The sheet ``spec`` names, through a ready ``gspread.Client`` (its session decides
        where requests go, so tests can point it at an emulator)."""
        api = SheetsApi(client, spreadsheet_key(spec), email=email, retry=retry, timeout=timeout)
        return cls(api, cache_path=cache_path)

    @property
    def key(self) -> str:
        """The spreadsheet key."""
        return self.api.key

    def describe(self) -> str:
        """``gsheet:<key>``."""
        return f"gsheet:{self.key}"

    def read_tables(self) -> dict[str, RawTable]:
        """Every tab, in workbook order, in one request (see the module docstring)."""
        titles = self._known_titles()
        if titles is None:
            tables = self._read_whole()
        else:
            try:
                tables = self._read(titles)
            except StaleTabNames:
                # Renamed or removed since the names were learned: read names and
                # cells together, in one more request.
                tables = self._read_whole()
        self._seen = {name: [list(row) for row in t.rows] for name, t in tables.items()}
        return tables

    def write_back(self, writes: WriteBack) -> WriteResult:
        """Blank ID cells and the 集計 tab in one RAW ``values:batchUpdate``."""
        before = self.api.requests
        if writes.empty:
            return WriteResult(details={"requests": 0})
        self._check_tabs({w.sheet for w in writes.cells})
        written, skipped = self._settle_cells(writes.cells)
        data: list[dict[str, Any]] = [
            {"range": f"{quote_tab(w.sheet)}!{_a1(w.row, w.col)}", "values": [[w.value]]}
            for w in written
        ]
        rollup_rows = self._rollup_data(writes) if writes.rollup is not None else None
        if rollup_rows is not None:
            data.append({"range": f"{quote_tab(rollup_rows[0])}!A1", "values": rollup_rows[1]})
        if data:
            self.api.write_values(data)
        for w in written:
            _put(self._seen.setdefault(w.sheet, []), w.row, w.col, w.value)
        if rollup_rows is not None:
            self._seen[rollup_rows[0]] = trim_rows(rollup_rows[1])
        return WriteResult(
            written=tuple(written),
            skipped=tuple(skipped),
            rollup_written=rollup_rows is not None,
            details={"requests": self.api.requests - before, "source": self.describe()},
        )

    # -- reading -----------------------------------------------------------------

    def _read(self, titles: Sequence[str]) -> dict[str, RawTable]:
        if not titles:
            return {}
        ranges = self.api.batch_get([quote_tab(t) for t in titles])
        # The API answers the ranges in the order they were asked for.
        return {
            title: RawTable(title, trim_rows(_cells(r.get("values", []))))
            for title, r in zip(titles, ranges, strict=False)
        }

    def _read_whole(self) -> dict[str, RawTable]:
        """Names and cells of every tab in one ``spreadsheets.get`` (grid data)."""
        tables = tables_from_grid(self.api.metadata(GRID_FIELDS).get("sheets", []))
        self._remember_titles(list(tables))
        return tables

    def _known_titles(self) -> list[str] | None:
        """The cached tab names when they can be trusted, else ``None``."""
        fresh = time.time() - self._learned_at <= self.names_max_age
        events = next(s for s in tab_specs() if s.required)
        if self._titles is not None and fresh and find_tab(events, self._titles):
            return self._titles
        return None

    def _learn_titles(self) -> list[str]:
        return self._remember_titles(self.api.titles())

    def _remember_titles(self, titles: list[str]) -> list[str]:
        self._titles = titles
        self._learned_at = time.time()
        self._save_cache()
        return titles

    def _load_cache(self) -> None:
        if self.cache_path is None:
            return
        try:
            entry = json.loads(self.cache_path.read_text(encoding="utf-8"))[self.key]
            titles = [str(t) for t in entry["titles"]]
            learned_at = float(entry["learned_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return  # no cache yet, or a damaged one: learn the names again
        self._titles, self._learned_at = titles, learned_at

    def _save_cache(self) -> None:
        if self.cache_path is None or self._titles is None:
            return
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        data[self.key] = {"titles": self._titles, "learned_at": self._learned_at}
        tmp = self.cache_path.with_name(self.cache_path.name + ".tmp")
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(self.cache_path)
        except OSError:
            pass  # the cache only saves a request; a read-only disk must not stop a sync

    # -- writing -----------------------------------------------------------------

    def _check_tabs(self, sheets: set[str]) -> None:
        """Refuse, before writing anything, a write into a tab the sheet does not have."""
        titles = self._titles if self._titles is not None else self._learn_titles()
        if sheets - set(titles):
            titles = self._learn_titles()  # perhaps added since the names were learned
        for sheet in sorted(sheets - set(titles)):
            raise CodedSourceError("source.sheet_gone", source=self.describe(), sheet=sheet)

    def _settle_cells(
        self, cells: Sequence[CellWrite]
    ) -> tuple[list[CellWrite], list[CellWrite]]:
        """Split ID writes into those to write and those a person has filled."""
        guarded = [w for w in cells if w.only_if_blank and not self._filled(w)]
        current = self._reread(guarded) if guarded else {}
        written: list[CellWrite] = []
        skipped: list[CellWrite] = []
        for w in cells:
            if w.only_if_blank and (self._filled(w) or not cell_is_blank(current.get(_at(w)))):
                skipped.append(w)
            else:
                written.append(w)
        return written, skipped

    def _filled(self, write: CellWrite) -> bool:
        rows = self._seen.get(write.sheet, [])
        row = rows[write.row - 1] if write.row <= len(rows) else []
        return write.col < len(row) and not cell_is_blank(row[write.col])

    def _reread(self, cells: Sequence[CellWrite]) -> dict[tuple[str, int, int], CellValue]:
        """The current values of ``cells``: one column range per (tab, column)."""
        spans: dict[tuple[str, int], tuple[int, int]] = {}
        for w in cells:
            low, high = spans.get((w.sheet, w.col), (w.row, w.row))
            spans[(w.sheet, w.col)] = (min(low, w.row), max(high, w.row))
        order = list(spans.items())
        ranges = [
            f"{quote_tab(sheet)}!{_a1(low, col)}:{_a1(high, col)}"
            for (sheet, col), (low, high) in order
        ]
        answers = self.api.batch_get(ranges)
        found: dict[tuple[str, int, int], CellValue] = {}
        for ((sheet, col), (low, _high)), answer in zip(order, answers, strict=False):
            for offset, row in enumerate(_cells(answer.get("values", []))):
                if row:
                    found[(sheet, low + offset, col)] = row[0]
        return found

    def _rollup_data(self, writes: WriteBack) -> tuple[str, list[list[CellValue]]] | None:
        """The 集計 tab's name and the grid to write, or ``None`` when it is unchanged."""
        assert writes.rollup is not None
        new: list[list[CellValue]] = [[_raw(v) for v in row] for row in writes.rollup]
        title = self._rollup_title(writes.rollup_sheet)
        if title is None:
            title = writes.rollup_sheet
            self.api.structure([{"addSheet": {"properties": {"title": title}}}])
            self._titles = [*(self._titles or []), title]
            self._save_cache()
            self._seen[title] = []
        elif title not in self._seen:
            # Not read in this process: blank it whole rather than guess its extent.
            self.api.clear([quote_tab(title)])
            self._seen[title] = []
        old = self._seen[title]
        if _same_grid(old, new):
            return None
        height = max(len(old), len(new))
        width = max([len(r) for r in old] + [len(r) for r in new] + [1])
        grid = [[*row, *([""] * (width - len(row)))] for row in new]
        grid += [[""] * width for _ in range(height - len(new))]
        return title, grid

    def _rollup_title(self, wanted: str) -> str | None:
        titles = self._titles if self._titles is not None else self._learn_titles()
        key = match_key(wanted)
        return next((t for t in titles if match_key(t) == key), None)


def _cells(rows: Sequence[Sequence[Any]]) -> list[list[CellValue]]:
    """JSON cell values as cell values: numbers, booleans and text pass through."""
    return [[v if isinstance(v, (str, int, float, bool)) else None for v in row] for row in rows]


def _raw(value: CellValue) -> str | int | float | bool:
    """A cell value as the RAW JSON the API stores unchanged."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time_of_day)):
        return value.isoformat()
    return value


def _same_grid(old: Sequence[Sequence[CellValue]], new: Sequence[Sequence[CellValue]]) -> bool:
    """True when writing ``new`` over ``old`` would change no cell."""
    return trim_rows(old) == trim_rows(new)


def _a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def _at(write: CellWrite) -> tuple[str, int, int]:
    return (write.sheet, write.row, write.col)


def _put(rows: list[list[CellValue]], row: int, col: int, value: CellValue) -> None:
    while len(rows) < row:
        rows.append([])
    cells = rows[row - 1]
    cells.extend([None] * (col + 1 - len(cells)))
    cells[col] = value
    rows[row - 1] = trim_row(cells)


def init_google_sheet(
    spec: str,
    *,
    credentials: Path | None,
    example_rows: bool = True,
    client: Any = None,
    retry: RetryPolicy | None = None,
    towns: Sequence[tuple[str, str]] = (),
) -> InitResult:
    """Add every missing tab, header, dropdown and frozen row to the sheet ``spec`` names;
    ``towns`` ((name, code) in code order) are what the 自治体 dropdowns list.

    ``client`` (a ``gspread.Client``) replaces signing in with ``credentials``.
    """
    if client is None:
        source = GoogleSheetSource.from_spec(spec, credentials=credentials, retry=retry)
    else:
        source = GoogleSheetSource.from_client(spec, client, retry=retry)
    return fill_sheet(source.api, example_rows=example_rows, towns=towns)


__all__ = [
    "GoogleSheetSource",
    "InitResult",
    "RetryPolicy",
    "credentials_path",
    "init_google_sheet",
    "load_credentials",
    "spreadsheet_key",
]
