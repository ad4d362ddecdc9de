"""A source error that carries its message code, so it can be shown in any language."""

from __future__ import annotations

from typing import Any

from ..core.errors import SourceError
from ..core.problems import render_message


class CodedSourceError(SourceError):
    """A source could not be read or written.

    ``code`` is a message code (``data/messages/sources.toml`` …) and ``params``
    fill its template; ``str(exc)`` is the Japanese message, which says what to do.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = dict(params)
        super().__init__(render_message(code, self.params, "ja"))

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang`` (``ja`` or ``en``)."""
        return render_message(self.code, self.params, lang)
