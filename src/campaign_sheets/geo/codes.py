"""全国地方公共団体コード: six digits, the last a check digit over the first five.

Data sets and spreadsheets write them in other ways too: five digits without the check
digit (``13115``), or with the leading zero of Hokkaido's (and of every prefecture below
10) dropped because a spreadsheet took the code for a number (``11002`` for 札幌市
``011002``, ``1100`` for ``01100``). :func:`code_forms` lists what a typed code can mean;
the register decides which of those exist.
"""

from __future__ import annotations

from ..core.errors import CodedError
from ..core.text import nfkc

_WEIGHTS = (6, 5, 4, 3, 2)


class CodeError(CodedError):
    """A typed code that is not a local-government code (``municipality.bad_code``) or
    whose check digit is wrong (``municipality.check_digit``)."""


def check_digit(five: str) -> str:
    """The check digit of a five-digit code: ``(11 − Σ dᵢ·wᵢ mod 11) mod 10``."""
    if len(five) != 5 or not five.isascii() or not five.isdigit():
        raise ValueError(f"a check digit is computed over five digits, not {five!r}")
    total = sum(int(d) * w for d, w in zip(five, _WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def with_check_digit(five: str) -> str:
    """The six-digit code of a five-digit one."""
    return five + check_digit(five)


def is_valid_code(code: str) -> bool:
    """True for six ASCII digits whose last is the check digit of the first five."""
    return (
        len(code) == 6 and code.isascii() and code.isdigit() and check_digit(code[:5]) == code[5]
    )


def typed_digits(text: str | int) -> str | None:
    """The digits of a typed code (full-width allowed, a float cell ``13115.0`` too), or
    ``None`` when ``text`` is not a code at all."""
    if isinstance(text, bool):
        return None
    raw = str(text) if isinstance(text, int) else nfkc(str(text)).strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    return raw


def code_forms(text: str | int) -> tuple[str, ...]:
    """The six-digit codes a typed code may stand for, most likely first.

    Raises :class:`CodeError` when the text is digits of no possible code, or six digits
    whose check digit is wrong (a six-digit code is never read any other way: a wrong
    check digit is a typo to fix, not a code to guess).
    """
    digits = typed_digits(text)
    if digits is None or not 4 <= len(digits) <= 6:
        raise CodeError("municipality.bad_code", {"query": str(text)})
    if len(digits) == 6:
        if not is_valid_code(digits):
            expected = with_check_digit(digits[:5])
            raise CodeError("municipality.check_digit", {"query": digits, "expected": expected})
        return (digits,)
    if len(digits) == 4:
        # A five-digit code that lost its leading zero.
        return (with_check_digit("0" + digits),)
    forms = [with_check_digit(digits)]
    padded = "0" + digits
    if is_valid_code(padded):
        # A six-digit code that lost its leading zero (Hokkaido's 011002 as 11002).
        forms.append(padded)
    return tuple(forms)
