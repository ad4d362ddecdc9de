"""Geography: the municipality register and the resolution of names and codes.

``register()`` holds every prefecture, municipality and ward of a designated city in
code order (the official order); ``resolve(query, home)`` turns what an organiser
typed into one entry or a problem that says why not.
"""

from .codes import CodeError, check_digit, code_forms, is_valid_code, with_check_digit
from .model import Level, Municipality
from .register import Register, fold, register
from .resolve import Resolution, home_code, home_prefecture, resolve, suggest

__all__ = [
    "CodeError",
    "Level",
    "Municipality",
    "Register",
    "Resolution",
    "check_digit",
    "code_forms",
    "fold",
    "home_code",
    "home_prefecture",
    "is_valid_code",
    "register",
    "resolve",
    "suggest",
    "with_check_digit",
]
