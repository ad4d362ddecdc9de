"""The error hierarchy.

Every error a user can cause derives from :class:`CampaignSheetsError`, which is a
:class:`ValueError` (as in icalendar), so callers of the library can catch one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .problems import Nested, render_message


class CampaignSheetsError(ValueError):
    """Base class of every error campaign-sheets raises on purpose."""

    def message(self, lang: str = "ja") -> str:
        """What to tell the user, in ``lang`` where the error carries a message code."""
        return str(self)


def error_text(exc: BaseException, lang: str = "ja") -> str:
    """The message of any error, in ``lang`` when it is one of ours."""
    return exc.message(lang) if isinstance(exc, CampaignSheetsError) else str(exc)


class ConfigError(CampaignSheetsError):
    """The configuration file or the command line is wrong (exit status 2).

    Each problem is a message code with its parameters (a :class:`Nested`), told in
    any language by :meth:`messages`, or a message already told in the user's language.
    ``lang`` is the language the configuration asked for, when it could be read.
    """

    def __init__(
        self, problems: Iterable[str | Nested] | str | Nested, lang: str | None = None
    ) -> None:
        self.items: list[str | Nested] = (
            [problems] if isinstance(problems, str | Nested) else list(problems)
        )
        self.lang = lang
        super().__init__("\n".join(self.messages("en")))

    def messages(self, lang: str = "ja") -> list[str]:
        """Every problem, in ``lang``."""
        return [item if isinstance(item, str) else render_message(item.code, item.params, lang)
                for item in self.items]

    @property
    def problems(self) -> list[str]:
        """Every problem in English (:meth:`messages` tells them in another language)."""
        return self.messages("en")

    def message(self, lang: str = "ja") -> str:
        """Every problem in ``lang``, one a line."""
        return "\n".join(self.messages(lang))


class SourceError(CampaignSheetsError):
    """The workbook or Google Sheet could not be read or written."""


class CodedError(CampaignSheetsError):
    """An error that carries a message ``code`` and the ``params`` of its template,
    so it can be told in any language (see ``data/messages/``)."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        super().__init__(f"{code}: {self.params}")

    def message(self, lang: str = "ja") -> str:
        """The message of ``code`` in ``lang``, filled with ``params``."""
        return render_message(self.code, self.params, lang)


class ParseError(CodedError):
    """A value typed in the sheet could not be understood.

    ``code`` is the stable problem code (``date.unreadable`` …) and ``params`` fill
    the message template of that code, so the caller can attach the cell and
    render the message in the user's language.
    """



class PublishRefused(CodedError):
    """Publishing was refused to protect subscribers (exit status 1).

    Like :class:`ParseError` it carries a message ``code`` and its ``params``.
    """



class BuildFailed(CodedError):
    """Building the outputs failed before anything was published (a worker process
    died, for instance); the last good tree stays (exit status 1)."""
