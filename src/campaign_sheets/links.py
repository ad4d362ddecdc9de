"""Registration links: the row's own 申込URL, else one made from the config's template.

Only http(s) links are ever returned: a link is printed on flyers and turned into
a QR code, so anything a phone would not open as a web page is refused.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from .model import Action
from .problems import Problem, make_problem, render_message

if TYPE_CHECKING:  # config.py checks templates with this module: no import cycle at run time
    from .config import Config

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
    sample = _fill(template, {p: "x" for p in PLACEHOLDERS})
    if not is_http_url(sample):
        problems.append(render_message("links.template_not_http", {"template": template}, lang))
    return problems


def _fill(template: str, values: dict[str, str]) -> str:
    # a plain substitution, not str.format: a template is user data and may hold other braces
    return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), template)


def registration_url(
    action: Action, config: Config, org: str | None = None, org_key: str | None = None
) -> str | None:
    """The registration link of ``action`` (for organisation ``org`` when given), or ``None``.

    The row's 申込URL wins (it cannot be personalised per organisation); otherwise
    the config's template is filled with the action's ID, title, ISO date and the
    organisation name (``{org}``, empty without one), each URL-encoded.
    """
    url, _ = registration_link(action, config, org, org_key)
    return url


def registration_link(
    action: Action, config: Config, org: str | None = None, org_key: str | None = None
) -> tuple[str | None, Problem | None]:
    """Like :func:`registration_url`, with the problem that explains a refused link."""
    if action.registration:
        url = ascii_url(action.registration.strip())
        header = "申込URL"
    else:
        template = config.registration.url_template
        if not template:
            return None, None
        values = {
            "id": action.id,
            "title": action.title,
            "date": action.date.isoformat(),
            "org": org or "",
            "org_key": org_key or "",
        }
        url = _fill(template, values)
        header = "registration.url_template"
    if is_http_url(url):
        return url, None
    problem = make_problem(
        "url.not_http", "行動", row=action.row or None, column=header, header=header, value=url
    )
    return None, problem
