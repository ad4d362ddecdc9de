"""``campaign-sheets qr URL -o FILE.(png|svg)``: a print-ready QR code for any link."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.problems import render_message
from ..pages.links import is_http_url
from ..pages.qr import PRINT_MM, qr_png, qr_svg
from .common import add_lang_option, configured_lang

EXIT_USAGE = 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``qr``."""
    parser = sub.add_parser(
        "qr",
        help="write a print-ready QR code (35 mm) for a link",
        description="Write a QR code for an http(s) link as PNG (300 dpi) or SVG (in mm).",
    )
    parser.add_argument("url", metavar="URL", help="an http:// or https:// link")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="FILE.png or FILE.svg"
    )
    add_lang_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the code; exit 2 for a link that is not http(s) or a bad file name."""
    lang = configured_lang(args)
    out: Path = args.output
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        return _fail("qr.bad_suffix", {"path": str(out)}, lang)
    if not is_http_url(args.url):
        return _fail("qr.not_http", {"url": args.url}, lang)
    data = qr_png(args.url) if suffix == ".png" else qr_svg(args.url)
    try:
        out.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _fail("qr.cannot_write", {"path": str(out), "reason": reason}, lang, 1)
    size = f"{PRINT_MM:g} mm"
    print(render_message("qr.written", {"path": str(out), "size": size}, lang))
    return 0


def _fail(code: str, params: dict[str, str], lang: str, status: int = EXIT_USAGE) -> int:
    print(f"campaign-sheets: {render_message(code, params, lang)}", file=sys.stderr)
    return status
