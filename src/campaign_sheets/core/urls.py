"""Web links as flyers print them: what counts as one, and the registration template.

Only http(s) links are ever printed: a link is turned into a QR code, so anything a
phone would not open as a web page is refused.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from string import Formatter
from urllib.parse import quote, unquote, urlsplit

from .problems import Nested, render_message

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


@cache
def _placeholder_data() -> dict[str, list[str]]:
    path = resources.files("campaign_sheets") / "data" / "labels.toml"
    return dict(tomllib.loads(path.read_text(encoding="utf-8"))["placeholders"])


@cache
def _marker_pattern() -> re.Pattern[str]:
    words = sorted(_placeholder_data()["markers"], key=len, reverse=True)
    alternatives = "|".join([re.escape(w) for w in words] + ["x{4,}", "<[^>]*>", "…"])
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


def placeholder_in(url: str) -> str | None:
    """The mark of a part left to be filled in (``FORM_ID``, ``<フォームID>``, ``XXXX``)
    that ``url`` still holds, or ``None``. Percent-encoded text is read decoded."""
    found = _marker_pattern().search(unquote(url))
    return found.group(0) if found else None


def reserved_host(url_or_domain: str) -> str | None:
    """The host of ``url_or_domain`` when it is a domain reserved for examples
    (``example.org``, ``*.invalid`` …), else ``None``."""
    host = urlsplit(url_or_domain).hostname if "://" in url_or_domain else url_or_domain
    host = (host or "").lower().rstrip(".")
    for domain in _placeholder_data()["reserved_domains"]:
        if host == domain or host.endswith("." + domain):
            return host
    return None


def link_refusal(url: str, *, placeholders: bool = True) -> str | None:
    """Why ``url`` may not be printed as a registration link (a message code), or ``None``.

    A form collects names, e-mail addresses and phone numbers, so only an ``https://``
    link is printed; a link that still holds a placeholder leads nowhere. A link filled
    from a template is checked with ``placeholders=False``: its template was checked, and
    what the cells put into it (an organisation typed ``○○会``) is data, not a blank.
    """
    if not is_http_url(url):
        return "url.not_http"
    if placeholders and placeholder_in(url) is not None:
        return "url.placeholder"
    if urlsplit(url).scheme.lower() != "https":
        return "url.not_https"
    return None


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
    return [render_message(p.code, p.params, lang) for p in template_problems(template)]


def template_problems(template: str) -> list[Nested]:
    """Every reason ``template`` cannot make links at all, as message codes: unpaired
    braces, unknown placeholders, no web link. (A link that is only unfit to print,
    http:// or a placeholder left in, is for ``check``: see :func:`template_refusal`.)"""
    if not template:
        return []
    problems: list[Nested] = []
    try:
        fields = [name for _, name, _, _ in Formatter().parse(template) if name is not None]
    except ValueError:
        fields = []
        problems.append(Nested("links.template_braces", {"template": template}))
    for name in fields:
        if name not in PLACEHOLDERS:
            params = {"name": name, "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)}
            problems.append(Nested("links.template_placeholder", params))
    if not is_http_url(fill_template(template, _SAMPLE)):
        problems.append(Nested("links.template_not_http", {"template": template}))
    return problems


def template_refusal(template: str) -> str | None:
    """Why links made from ``template`` may not be printed (a message code), or ``None``:
    a placeholder left in it, a domain reserved for examples, or no https."""
    bare = _PLACEHOLDER.sub("", template)
    if placeholder_in(bare) is not None or reserved_host(fill_template(template, _SAMPLE)):
        return "url.placeholder"
    return link_refusal(fill_template(template, _SAMPLE))


_SAMPLE = {p: "x" for p in PLACEHOLDERS}


def fill_template(template: str, values: dict[str, str]) -> str:
    """``template`` with each placeholder replaced by its URL-encoded value."""
    # a plain substitution, not str.format: a template is user data and may hold other braces
    return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), template)
