"""A cell that names a municipality (行程!自治体, the 自治体 column of 参加 and 成果)."""

from __future__ import annotations

from ..core.problems import Severity
from ..geo import Municipality, resolve
from .cells import RowReader


def municipality_cell(
    r: RowReader, key: str, home: str | None, severity: Severity | None = None
) -> Municipality | None:
    """The municipality cell ``key`` names, or ``None`` when it is blank or names none.

    An unknown name is reported with the closest one suggested, an ambiguous one with
    its candidates, a code with a wrong check digit with the right one."""
    text = r.text(key)
    if not text:
        return None
    found = resolve(text, home)
    if found.municipality is None:
        assert found.code is not None
        r.report(key, found.code, severity, **found.problem_params())
    return found.municipality
