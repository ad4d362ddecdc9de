"""Building new workbooks with openpyxl: the blank schedule of ``init`` and the example.

A new workbook has every tab of ``data/schema.toml`` in order, a bold frozen
header row, column widths that fit the Japanese headers, and dropdowns for the
columns whose values come from a fixed list (種別, 状態, 公開) or from the 団体 tab
(主催, and 団体 on the 参加 tab). Given the home prefecture's municipalities, a hidden
自治体リスト tab holds them and the 自治体 columns (行程, 参加, 成果) list them: a
range rather than a literal list, which Excel cuts at 255 characters. Dropdowns only
warn on other values, because the loader also understands aliases (``駅頭宣伝``,
``会員のみ``, ``協会``, ``大磯``) that the lists do not show.

Rows are given per tab key as mappings from a column's field key to a value; a
key that is not a column of the tab becomes an extra column headed by the key
itself (the personal columns of a Google Form's answers, for instance).
"""

from __future__ import annotations

import io
import os
import re
import tomllib
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..core.model import kinds, labels_for
from ..core.problems import render_message
from ..core.schema import TabSpec, municipality_list_tab, tab_spec, tab_specs
from ..rollup.report_xlsx import FIXED_STAMP, HEADER_FILL_RGB, display_width
from .safe_write import synced_temp_file

#: Rows per tab as field key → value, keyed by tab key (``events``, ``orgs`` …).
TabRows = Mapping[str, Sequence[Mapping[str, Any]]]
#: The municipalities a dropdown offers: (name, code) in code order.
Towns = Sequence[tuple[str, str]]

#: How far down the dropdowns reach, and how many 団体 rows the org list covers.
VALIDATION_LAST_ROW = 1000
ORG_LIST_LAST_ROW = 200
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color=HEADER_FILL_RGB)
_DATE_FORMAT = "yyyy/m/d"
_TIME_FORMAT = "h:mm"
_DATETIME_FORMAT = "yyyy/m/d h:mm"
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def load_example_rows(name: str = "init") -> dict[str, list[dict[str, Any]]]:
    """The example rows of ``data/example.toml`` section ``name``, per tab key."""
    text = (resources.files("campaign_sheets") / "data" / "example.toml").read_text("utf-8")
    section = tomllib.loads(text)[name]
    return {key: [dict(row) for row in rows] for key, rows in section.items()}


def new_workbook(rows: TabRows | None = None, lang: str = "ja", towns: Towns = ()) -> Workbook:
    """A workbook with every tab, header, width and dropdown, filled with ``rows``;
    with ``towns``, the hidden list of municipalities and its dropdowns too."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    rows = rows or {}
    for spec in tab_specs():
        ws = workbook.create_sheet(spec.name)
        if spec.owned:
            ws["A1"] = render_message("init.rollup_note", {}, lang)
            ws.column_dimensions["A"].width = 60
            continue
        headers = _headers(spec, rows.get(spec.key, ()))
        _write_header(ws, spec, headers)
        _write_rows(ws, headers, rows.get(spec.key, ()))
    _add_dropdowns(workbook, lang)
    if towns:
        _add_town_list(workbook, towns, lang)
    return workbook


def new_workbook_bytes(
    example_rows: bool = True,
    *,
    rows: TabRows | None = None,
    lang: str = "ja",
    stamp: datetime | None = FIXED_STAMP,
    towns: Towns = (),
) -> bytes:
    """The bytes of a new ``.xlsx``: with the small example rows unless told not to.

    ``rows`` (per tab key) replaces the built-in example; ``towns`` are the home
    prefecture's municipalities for the 自治体 dropdowns. With ``stamp`` the file is
    byte-for-byte reproducible: every time stored in it is ``stamp``.
    """
    if rows is None:
        rows = load_example_rows("init") if example_rows else {}
    buffer = io.BytesIO()
    new_workbook(rows, lang, towns).save(buffer)
    data = buffer.getvalue()
    return data if stamp is None else reproducible(data, stamp)


def write_new_workbook(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; ``FileExistsError`` unless ``overwrite``.

    Without ``overwrite`` the final step is a hard link, which fails rather than
    replaces when a file appeared at ``path`` meanwhile.
    """
    # mkstemp makes 0600; a workbook is meant to be shared
    with synced_temp_file(path.resolve().parent, lambda h: h.write(data), 0o644) as temp:
        if overwrite:
            os.replace(temp, path)
        else:
            _link_or_copy(temp, path)


def reproducible(data: bytes, stamp: datetime) -> bytes:
    """The same ``.xlsx`` with every zip entry time and document time set to ``stamp``."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "docProps/core.xml":
                body = _CORE_TIMES.sub(rb"\g<1>" + iso + rb"\g<2>", body)
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()


def style_header_row(ws: Worksheet, count: int) -> None:
    """Bold, tinted, frozen first row (shared with report exports)."""
    for col in range(1, count + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def _headers(spec: TabSpec, rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """``(field key, header)`` of every column: the schema's, then extra keys in rows."""
    headers = [(c.key, c.header) for c in spec.columns]
    known = {c.key for c in spec.columns}
    for row in rows:
        for key in row:
            if key not in known:
                headers.append((key, key))
                known.add(key)
    return headers


def _write_header(ws: Worksheet, spec: TabSpec, headers: Sequence[tuple[str, str]]) -> None:
    widths = {c.key: c.width for c in spec.columns}
    for index, (key, header) in enumerate(headers, start=1):
        ws.cell(row=1, column=index, value=header)
        width = max(widths.get(key, 14), display_width(header) + 4)
        ws.column_dimensions[get_column_letter(index)].width = width
    style_header_row(ws, len(headers))


def _write_rows(
    ws: Worksheet, headers: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]]
) -> None:
    position = {key: index for index, (key, _) in enumerate(headers, start=1)}
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=position[key], value=value)
            if isinstance(value, datetime):
                cell.number_format = _DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = _DATE_FORMAT
            elif isinstance(value, time):
                cell.number_format = _TIME_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"


def _add_dropdowns(workbook: Workbook, lang: str) -> None:
    """Lists for 種別/状態/公開, and the 団体 tab's names for 主催 and 参加's 団体."""
    orgs = tab_spec("orgs")
    name_col = get_column_letter(_column_number(orgs, "name"))
    org_list = f"'{orgs.name}'!${name_col}$2:${name_col}${ORG_LIST_LAST_ROW}"
    choices = {
        ("events", "kind"): _literal_list([k.label for k in kinds()]),
        ("events", "status"): _literal_list(labels_for("status")),
        ("events", "visibility"): _literal_list(labels_for("visibility")),
        ("events", "organizer"): org_list,
        ("participation", "org"): org_list,
    }
    for (tab_key, field_key), formula in choices.items():
        _add_rule(workbook, tab_key, field_key, formula, lang)


def _add_town_list(workbook: Workbook, towns: Towns, lang: str) -> None:
    """The hidden 自治体リスト tab, and the dropdowns of the 自治体 columns over it."""
    listing = municipality_list_tab()
    ws = workbook.create_sheet(listing.name)
    ws.append(list(listing.headers))
    for name, code in towns:
        ws.append([name, code])
    ws.sheet_state = "hidden"
    formula = f"'{listing.name}'!$A$2:$A${len(towns) + 1}"
    for tab_key, field_key in listing.columns:
        _add_rule(workbook, tab_key, field_key, formula, lang)


def _add_rule(workbook: Workbook, tab_key: str, field_key: str, formula: str, lang: str) -> None:
    """A warning-only list dropdown on one column, below the header row."""
    spec = tab_spec(tab_key)
    letter = get_column_letter(_column_number(spec, field_key))
    rule = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=render_message("init.dropdown_title", {}, lang),
        error=render_message("init.dropdown_other", {}, lang),
    )
    rule.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
    workbook[spec.name].add_data_validation(rule)


def _column_number(spec: TabSpec, field_key: str) -> int:
    """1-based column of a field in a new workbook (schema order)."""
    return [c.key for c in spec.columns].index(field_key) + 1


def _literal_list(labels: Sequence[str]) -> str:
    return '"' + ",".join(labels) + '"'


def _link_or_copy(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` without ever replacing a file that is already there."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # Some file systems (FAT, some network drives) have no hard links.
        with path.open("xb") as handle:
            handle.write(temp.read_bytes())
            handle.flush()
            os.fsync(handle.fileno())
