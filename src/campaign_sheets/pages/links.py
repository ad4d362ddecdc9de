"""Registration links: the row's own 申込URL, else one made from the config's template.

Only https links that hold no placeholder are ever returned: a link is printed on
flyers and turned into a QR code, and a form collects names and contacts. A refused
link is told apart from no link at all: the pages then say that registration is not
open yet, not that none is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.config import Config
from ..core.model import Action, kind_by_key
from ..core.urls import ascii_url, fill_template, is_http_url, link_refusal, template_refusal

__all__ = [
    "RegistrationLink", "ascii_url", "is_http_url", "registration_link", "registration_url",
]


def registration_url(
    action: Action, config: Config, org: str | None = None, org_key: str | None = None
) -> str | None:
    """The registration link of ``action`` (for organisation ``org`` when given), or ``None``.

    The row's 申込URL wins (it cannot be personalised per organisation); otherwise
    the config's template is filled with the action's ID, title, ISO date and the
    organisation name (``{org}``, empty without one), each URL-encoded.
    """
    return registration_link(action, config, org, org_key).url


@dataclass(frozen=True)
class RegistrationLink:
    """An action's registration link, or why there is none.

    ``url`` is ``None`` when nothing is to be printed; ``refused`` then holds the message
    code of a link that exists but may not be printed (``url.not_https``,
    ``url.placeholder`` …): registration is not open yet, rather than not needed.
    """

    url: str | None
    refused: str | None = None
    where: str = ""


def registration_link(
    action: Action, config: Config, org: str | None = None, org_key: str | None = None
) -> RegistrationLink:
    """Like :func:`registration_url`, saying why a link was refused."""
    if action.registration:
        url = ascii_url(action.registration.strip())
        where = "申込URL"
    else:
        template = config.registration.url_template
        if not template or not _takes_registration(action.kind):
            return RegistrationLink(None)
        if (refused := template_refusal(template)) is not None:
            return RegistrationLink(None, refused, "registration.url_template")
        values = {
            "id": action.id,
            "title": action.title,
            "date": action.date.isoformat(),
            "org": org or "",
            "org_key": org_key or "",
        }
        url = fill_template(template, values)
        where = "registration.url_template"
    refused = link_refusal(url, placeholders=where == "申込URL")
    return RegistrationLink(None if refused else url, refused, where)


def _takes_registration(kind: str) -> bool:
    """Whether a link may be made from the template for this kind (not for deadlines)."""
    try:
        return kind_by_key(kind).registration
    except KeyError:
        return True
