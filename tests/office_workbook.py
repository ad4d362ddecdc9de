"""A schedule workbook as LibreOffice saves it, made at test time.

The source is a flat OpenDocument spreadsheet written here (``schedule_fods``) with
what organisers put into a real workbook besides their rows: a styled header, a
column width, a dropdown (data validation), a conditional format, a comment, a
picture, a shape, a chart over the 団体 tab, a defined name; optionally an old 集計
tab with a merged title. ``soffice --convert-to xlsx`` turns it into the workbook.
"""

from __future__ import annotations

import base64
import struct
import subprocess
import zlib
from pathlib import Path

_NAMESPACES = " ".join(f'xmlns:{k}="{v}"' for k, v in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
    "dc": "http://purl.org/dc/elements/1.1/",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "chart": "urn:oasis:names:tc:opendocument:xmlns:chart:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}.items())


def red_square_png(size: int = 8) -> bytes:
    """A small PNG picture."""
    raw = b"".join(b"\x00" + bytes([200, 30, 30] * size) for _ in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _cell(text: str, style: str = "", extra: str = "") -> str:
    styled = f' table:style-name="{style}"' if style else ""
    return (f'<table:table-cell{styled}{extra} office:value-type="string">'
            f"<text:p>{text}</text:p></table:table-cell>")


def _number(value: int) -> str:
    return (f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>")


def schedule_fods(*, with_rollup: bool) -> str:
    """The flat ODS source of the workbook."""
    picture = base64.b64encode(red_square_png()).decode("ascii")
    kind = ' table:content-validation-name="kinds"'
    events = [
        "".join(_cell(h, "head") for h in ("ID", "種別", "行動名", "日付", "主催")),
        "<table:table-cell/>" + _cell("宣伝行動", extra=kind)
        + '<table:table-cell office:value-type="string"><office:annotation><dc:creator>事務局'
          "</dc:creator><text:p>会場は要確認</text:p></office:annotation>"
          "<text:p>横浜駅西口宣伝</text:p></table:table-cell>"
        + _cell("2026-12-04") + _cell("県社保協"),
        _cell("2026-1207-course") + _cell("講座", extra=kind) + _cell("社会保障講座 第1回")
        + _cell("12月7日（月）") + _cell("年金者組合"),
        '<table:table-cell table:style-name="mark"/>' + _cell("集会", extra=kind)
        + _cell("県民大集会") + _cell("2027/1/16") + _cell("県社保協"),
    ]
    rows = "".join(f"<table:table-row>{r}</table:table-row>" for r in events)
    orgs = "".join(f"<table:table-row>{r}</table:table-row>" for r in (
        _cell("団体名", "head") + _cell("人数", "head"),
        _cell("県年金者組合") + _number(5),
        _cell("医療生活協同組合") + _number(3),
    ))
    rollup = ""
    if with_rollup:
        rollup = (
            '<table:table table:name="集計">'
            '<table:table-row><table:table-cell table:number-columns-spanned="3" '
            'office:value-type="string"><text:p>古い集計</text:p></table:table-cell>'
            "<table:covered-table-cell/><table:covered-table-cell/></table:table-row>"
            + "".join(f"<table:table-row>{_cell(f'古い行{i}')}{_number(i)}</table:table-row>"
                      for i in range(1, 6))
            + "</table:table>"
        )
    chart = (
        '<draw:frame draw:name="グラフ" svg:width="8cm" svg:height="5cm" svg:x="14cm" '
        'svg:y="6cm"><draw:object><office:document office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.chart"><office:body>'
        '<office:chart><chart:chart chart:class="chart:bar" svg:width="8cm" svg:height="5cm">'
        '<chart:plot-area table:cell-range-address="団体.A1:団体.B3" '
        'chart:data-source-has-labels="both"><chart:axis chart:dimension="x" '
        'chart:name="primary-x"><chart:categories table:cell-range-address="団体.A2:団体.A3"/>'
        '</chart:axis><chart:axis chart:dimension="y" chart:name="primary-y"/>'
        '<chart:series chart:values-cell-range-address="団体.B2:団体.B3" '
        'chart:label-cell-address="団体.B1" chart:class="chart:bar"/></chart:plot-area>'
        "</chart:chart></office:chart></office:body></office:document></draw:object>"
        "</draw:frame>"
    )
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NAMESPACES} office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<style:style style:name="head" style:family="table-cell"><style:table-cell-properties
 fo:background-color="#ddebf7"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="mark" style:family="table-cell"><style:table-cell-properties
 fo:background-color="#fff2cc"/></style:style>
<style:style style:name="wide" style:family="table-column"><style:table-column-properties
 style:column-width="3in"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:content-validations><table:content-validation table:name="kinds"
 table:condition="of:cell-content-is-in-list(&quot;宣伝行動&quot;;&quot;講座&quot;;&quot;集会&quot;)"
 table:allow-empty-cell="true" table:display-list="unsorted" table:base-cell-address="行動.B2"/>
</table:content-validations>
<table:table table:name="行動"><table:shapes>
<draw:frame draw:name="写真" svg:width="2cm" svg:height="2cm" svg:x="14cm" svg:y="1cm">
<draw:image><office:binary-data>{picture}</office:binary-data></draw:image></draw:frame>
<draw:rect draw:name="枠" svg:width="3cm" svg:height="1cm" svg:x="14cm" svg:y="4cm">
<text:p>注意</text:p></draw:rect>
{chart}
</table:shapes>
<table:table-column table:number-columns-repeated="2"/><table:table-column table:style-name="wide"/>
<table:table-column table:number-columns-repeated="2"/>
{rows}
<calcext:conditional-formats><calcext:conditional-format
 calcext:target-range-address="行動.C2:行動.C4"><calcext:condition calcext:apply-style-name="head"
 calcext:value="begins-with(&quot;県&quot;)" calcext:base-cell-address="行動.C2"/>
</calcext:conditional-format></calcext:conditional-formats>
</table:table>
<table:table table:name="団体">{orgs}</table:table>
{rollup}
<table:named-expressions><table:named-range table:name="団体一覧"
 table:base-cell-address="$団体.$A$1" table:cell-range-address="$団体.$A$2:.$A$3"/>
</table:named-expressions>
</office:spreadsheet></office:body></office:document>
'''


def convert(soffice: str, source: Path, fmt: str, out: Path, profile: Path) -> None:
    """``soffice --convert-to fmt`` of ``source`` into the folder ``out``."""
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
         fmt, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )


def libreoffice_workbook(soffice: str, folder: Path, *, with_rollup: bool) -> Path:
    """The schedule workbook as LibreOffice saves it (``予定.xlsx`` in ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "予定.fods"
    source.write_text(schedule_fods(with_rollup=with_rollup), encoding="utf-8")
    convert(soffice, source, "xlsx", folder, folder / "profile")
    return folder / "予定.xlsx"
