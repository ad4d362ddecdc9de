"""Filling a Google Sheet with every tab, header and dropdown (``init --sheet``).

Four requests at most: the tab list, the top rows of the tabs already there, one
atomic ``spreadsheets.batchUpdate`` (new tabs, frozen header rows, dropdowns, a
warning-only protection on 集計; given the home prefecture's municipalities, a
hidden 自治体リスト tab the 自治体 dropdowns list) and one ``values:batchUpdate``
(headers and example rows). Running it again on a sheet that already has some tabs only adds
what is missing: tabs, and headers to the right of the existing ones. No cell
that holds anything is ever written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import resources
from typing import Any

from ..core.model import kinds, labels_for
from ..core.problems import column_letter, render_message
from ..core.schema import (
    TabSpec,
    find_header_row,
    find_tab,
    map_headers,
    municipality_list_tab,
    tab_specs,
)
from ..core.values import CellValue
from .gsheet_http import SheetsApi, quote_tab
from .tables import cell_is_blank

#: Rows the dropdowns cover, and rows of the 団体 tab they list.
VALIDATION_ROWS = 1000
ORG_LIST_LAST_ROW = 200
_META_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties.frozenRowCount),"
    "protectedRanges.protectedRangeId)"
)


@dataclass(frozen=True)
class InitResult:
    """What ``init --sheet`` did to the spreadsheet."""

    key: str
    added_tabs: tuple[str, ...] = ()
    added_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    example_rows: int = 0

    @property
    def url(self) -> str:
        """The spreadsheet's address in a browser."""
        return f"https://docs.google.com/spreadsheets/d/{self.key}/edit"

    @property
    def changed(self) -> bool:
        """True when anything was added."""
        return bool(self.added_tabs or self.added_headers)

    def summary(self, lang: str = "ja") -> str:
        """What was done, in ``lang``, one sentence per line."""
        if not self.changed:
            return render_message("gsheet.init_unchanged", {"url": self.url}, lang)
        sep = "、" if lang == "ja" else ", "
        lines = []
        if self.added_tabs:
            params = {"url": self.url, "tabs": sep.join(self.added_tabs)}
            lines.append(render_message("gsheet.init_created", params, lang))
        if self.added_headers:
            text = sep.join(f"{tab}: {sep.join(h)}" for tab, h in self.added_headers.items())
            lines.append(render_message("gsheet.init_headers", {"headers": text}, lang))
        if self.example_rows:
            lines.append(render_message("gsheet.init_examples", {"rows": self.example_rows}, lang))
        return "\n".join(lines)


@dataclass
class _Plan:
    """The requests being assembled."""

    structure: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    added_tabs: list[str] = field(default_factory=list)
    added_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    example_rows: int = 0


@dataclass(frozen=True)
class _Tab:
    """Where a tab of the layout is: its title, sheetId, header row and header columns."""

    title: str
    sheet_id: int
    header_row: int  # 1-based
    columns: Mapping[str, int]


def fill_sheet(
    api: SheetsApi, *, example_rows: bool, towns: Sequence[tuple[str, str]] = ()
) -> InitResult:
    """Add every missing tab, header, dropdown and frozen row to an open spreadsheet;
    ``towns`` ((name, code) in code order) are the 自治体 dropdowns' list."""
    sheets = api.metadata(_META_FIELDS).get("sheets", [])
    props = {s["properties"]["title"]: s for s in sheets}
    top = _top_rows(api, [t for t in props if any(find_tab(sp, [t]) for sp in tab_specs())])
    plan = _Plan()
    next_id = max([int(s["properties"].get("sheetId", 0)) for s in sheets] + [0]) + 1
    examples = _example_rows() if example_rows else {}
    located: dict[str, _Tab] = {}
    for tab in tab_specs():
        title = find_tab(tab, list(props))
        if title is None:
            located[tab.key] = _add_tab(plan, tab, next_id, examples.get(tab.key, []))
            next_id += 1
        else:
            found = _complete_tab(plan, tab, props[title], top.get(title, []))
            if found is not None:
                located[tab.key] = found
    town_range = _town_list(plan, props, towns, next_id) if towns else None
    _add_dropdowns(plan, located, town_range)
    if plan.structure:
        api.structure(plan.structure)
    if plan.values:
        api.write_values(plan.values, input_option="USER_ENTERED")
    return InitResult(api.key, tuple(plan.added_tabs), plan.added_headers, plan.example_rows)


def _top_rows(api: SheetsApi, titles: Sequence[str]) -> dict[str, list[list[CellValue]]]:
    """The first ten rows of each tab, where a header row may be."""
    if not titles:
        return {}
    answers = api.batch_get([f"{quote_tab(t)}!1:10" for t in titles])
    return {
        t: [list(r) for r in a.get("values", [])] for t, a in zip(titles, answers, strict=False)
    }


def _add_tab(
    plan: _Plan, tab: TabSpec, sheet_id: int, rows: Sequence[Mapping[str, Any]]
) -> _Tab:
    """A new tab: its header row, frozen, and the example rows."""
    grid: dict[str, int] = {"frozenRowCount": 0 if tab.owned else 1}
    keys = [c.key for c in tab.columns] + sorted(
        {k for row in rows for k in row} - {c.key for c in tab.columns}
    )
    if keys:
        grid["columnCount"] = max(26, len(keys))
    # No index: new tabs go after the existing ones, in layout order.
    properties = {"sheetId": sheet_id, "title": tab.name, "gridProperties": grid}
    plan.structure.insert(len(plan.added_tabs), {"addSheet": {"properties": properties}})
    plan.added_tabs.append(tab.name)
    if tab.owned:
        note = render_message("init.rollup_note", {}, "ja")
        plan.values.append({"range": f"{quote_tab(tab.name)}!A1", "values": [[note]]})
        plan.structure.append(_protect(sheet_id))
        return _Tab(tab.name, sheet_id, 1, {})
    headers = [_header(tab, k) for k in keys]
    body = [[_typed(row.get(k)) for k in keys] for row in rows]
    plan.values.append({"range": f"{quote_tab(tab.name)}!A1", "values": [headers, *body]})
    plan.example_rows += len(body)
    return _Tab(tab.name, sheet_id, 1, {k: i for i, k in enumerate(keys)})


def _complete_tab(
    plan: _Plan, tab: TabSpec, sheet: Mapping[str, Any], rows: Sequence[Sequence[CellValue]]
) -> _Tab | None:
    """An existing tab: add missing headers to the right, freeze the header row."""
    props = sheet["properties"]
    title, sheet_id = str(props["title"]), int(props.get("sheetId", 0))
    if tab.owned:
        if not sheet.get("protectedRanges"):
            plan.structure.append(_protect(sheet_id))
        return None
    if any(not cell_is_blank(v) for row in rows for v in row):
        at = find_header_row(rows, tab)
        found = map_headers(rows[at], tab, at)
        if not found.columns:
            return None  # data without any known header: not ours to rearrange
        header = list(rows[at])
    else:
        at, header = 0, []
        found = map_headers([], tab, 0)
    columns = dict(found.columns)
    start = len(header)
    missing = [c for c in tab.columns if c.key not in columns]
    for offset, col in enumerate(missing):
        columns[col.key] = start + offset
    if missing:
        plan.values.append({
            "range": f"{quote_tab(title)}!{column_letter(start)}{at + 1}",
            "values": [[c.header for c in missing]],
        })
        plan.added_headers[title] = tuple(c.header for c in missing)
    if int(props.get("gridProperties", {}).get("frozenRowCount", 0)) == 0:
        plan.structure.append({"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": at + 1}},
            "fields": "gridProperties.frozenRowCount",
        }})
    # Dropdowns only go on columns this run created, never over a person's own rules.
    new = {c.key: columns[c.key] for c in missing}
    return _Tab(title, sheet_id, at + 1, new)


def _town_list(
    plan: _Plan, props: Mapping[str, Any], towns: Sequence[tuple[str, str]], sheet_id: int
) -> str:
    """The range the 自治体 dropdowns list; the hidden tab is added when missing (an
    existing one is left as it is)."""
    listing = municipality_list_tab()
    if listing.name not in props:
        grid = {"frozenRowCount": 1, "columnCount": len(listing.headers)}
        properties = {"sheetId": sheet_id, "title": listing.name, "hidden": True,
                      "gridProperties": grid}
        plan.structure.insert(len(plan.added_tabs), {"addSheet": {"properties": properties}})
        plan.added_tabs.append(listing.name)
        # the apostrophe keeps a code text: 011002 would lose its zero as a number
        rows = [list(listing.headers), *([name, "'" + code] for name, code in towns)]
        plan.values.append({"range": f"{quote_tab(listing.name)}!A1", "values": rows})
    return f"={quote_tab(listing.name)}!$A$2:$A${len(towns) + 1}"


def _add_dropdowns(plan: _Plan, located: Mapping[str, _Tab], town_range: str | None) -> None:
    """Lists for 種別/状態/公開, the 団体 tab's names for 主催 and 参加's 団体, and the
    municipalities for the 自治体 columns."""
    lists = {
        ("events", "kind"): [k.label for k in kinds()],
        ("events", "status"): labels_for("status"),
        ("events", "visibility"): labels_for("visibility"),
    }
    orgs = located.get("orgs")
    org_range = None
    if orgs is not None and "name" in orgs.columns:
        letter = column_letter(orgs.columns["name"])
        first = orgs.header_row + 1
        org_range = f"={quote_tab(orgs.title)}!${letter}${first}:${letter}${ORG_LIST_LAST_ROW}"
    ranges = {("events", "organizer"): org_range, ("participation", "org"): org_range}
    ranges.update(dict.fromkeys(municipality_list_tab().columns, town_range))
    for tab_key, field_key in [*lists, *ranges]:
        tab = located.get(tab_key)
        if tab is None or field_key not in tab.columns:
            continue
        listed = ranges.get((tab_key, field_key))
        if (tab_key, field_key) in lists:
            condition = {"type": "ONE_OF_LIST", "values": [
                {"userEnteredValue": label} for label in lists[(tab_key, field_key)]]}
        elif listed is not None:
            condition = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": listed}]}
        else:
            continue
        col = tab.columns[field_key]
        plan.structure.append({"setDataValidation": {
            "range": {"sheetId": tab.sheet_id, "startRowIndex": tab.header_row,
                      "endRowIndex": VALIDATION_ROWS, "startColumnIndex": col,
                      "endColumnIndex": col + 1},
            # Not strict: aliases (駅頭宣伝, 協会) are fine; Sheets only marks them.
            "rule": {"condition": condition, "strict": False, "showCustomUi": True,
                     "inputMessage": render_message("init.dropdown_other", {}, "ja")},
        }})


def _protect(sheet_id: int) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id},
        "description": render_message("init.rollup_note", {}, "ja"),
        "warningOnly": True,
    }}}


def _header(tab: TabSpec, key: str) -> str:
    return next((c.header for c in tab.columns if c.key == key), key)


def _typed(value: Any) -> str | int | float | bool:
    """An example value as a person would type it (the values are sent USER_ENTERED)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y/%m/%d")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and value.startswith(("=", "+", "'")):
        return "'" + value  # keep it text, as typing it after an apostrophe does
    if isinstance(value, (int, float, bool)):
        return value
    return str(value)


def _example_rows() -> dict[str, list[dict[str, Any]]]:
    """The ``[init]`` rows of ``data/example.toml``, per tab key."""
    text = (resources.files("campaign_sheets") / "data" / "example.toml").read_text("utf-8")
    section = tomllib.loads(text).get("init", {})
    return {key: [dict(row) for row in rows] for key, rows in section.items()}


__all__ = ["InitResult", "fill_sheet"]
