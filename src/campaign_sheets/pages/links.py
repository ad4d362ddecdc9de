"""Registration links: the row's own 申込URL, else one made from the config's template.

Only http(s) links are ever returned: a link is printed on flyers and turned into
a QR code, so anything a phone would not open as a web page is refused.
"""

from __future__ import annotations

from ..core.config import Config
from ..core.model import Action, kind_by_key
from ..core.problems import Problem, make_problem
from ..core.urls import ascii_url, fill_template, is_http_url

__all__ = ["ascii_url", "is_http_url", "registration_link", "registration_url"]

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
        if not template or not _takes_registration(action.kind):
            return None, None
        values = {
            "id": action.id,
            "title": action.title,
            "date": action.date.isoformat(),
            "org": org or "",
            "org_key": org_key or "",
        }
        url = fill_template(template, values)
        header = "registration.url_template"
    if is_http_url(url):
        return url, None
    problem = make_problem(
        "url.not_http", "行動", row=action.row or None, column=header, header=header, value=url
    )
    return None, problem


def _takes_registration(kind: str) -> bool:
    """Whether a link may be made from the template for this kind (not for deadlines)."""
    try:
        return kind_by_key(kind).registration
    except KeyError:
        return True
