"""Web links as flyers print them: what counts as one, and the registration template.

Only http(s) links are ever printed: a link is turned into a QR code, so anything a
phone would not open as a web page is refused.
"""

from __future__ import annotations

import re
from string import Formatter
from urllib.parse import quote, urlsplit

from .problems import render_message

#: Placeholders the template may use; ``{org_key}`` is the organisation's ASCII キー.
PLACEHOLDERS = ("id", "title", "date", "org", "org_key")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


_NO_SPACE = re.compile(r"\S*")


def is_http_url(url: str) -> bool:
    """True for an absolute ``http://`` or ``https://`` link with a host and no spaces."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.netloc)
        and _NO_SPACE.fullmatch(url) is not None
    )


def ascii_url(url: str) -> str:
    """``url`` with every non-ASCII character percent-encoded (UTF-8), the rest untouched.

    A link typed as ``https://example.org/申込`` then means the same to every
    browser, and its QR code holds plain ASCII that every scanner reads alike.
    """
    if url.isascii():
        return url
    return "".join(ch if ch.isascii() else quote(ch, safe="") for ch in url)


def validate_url_template(template: str, lang: str = "ja") -> list[str]:
    """Every problem of ``[registration] url_template``, as messages (empty when fine).

    An empty template is fine: actions without a 申込URL then have no link.
    """
    if not template:
        return []
    problems: list[str] = []
    try:
        fields = [name for _, name, _, _ in Formatter().parse(template) if name is not None]
    except ValueError:
        fields = []
        problems.append(render_message("links.template_braces", {"template": template}, lang))
    for name in fields:
        if name not in PLACEHOLDERS:
            params = {"name": name, "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)}
            problems.append(render_message("links.template_placeholder", params, lang))
    sample = fill_template(template, {p: "x" for p in PLACEHOLDERS})
    if not is_http_url(sample):
        problems.append(render_message("links.template_not_http", {"template": template}, lang))
    return problems


def fill_template(template: str, values: dict[str, str]) -> str:
    """``template`` with each placeholder replaced by its URL-encoded value."""
    # a plain substitution, not str.format: a template is user data and may hold other braces
    return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), template)
