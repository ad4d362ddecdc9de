"""Geography: the municipality register and the resolution of names and codes.

``register()`` holds every prefecture, municipality and ward of a designated city in
code order (the official order); ``resolve(query, home)`` turns what an organiser
typed into one entry or a problem that says why not. ``place_of(action, home)`` is
where an action is held; ``stops`` orders a caravan's stops and merges the ones its
report sentence names.
"""

from .codes import CodeError, check_digit, code_forms, is_valid_code, with_check_digit
from .model import Level, Municipality
from .places import listed_under, place_in, place_of
from .register import Register, fold, register
from .resolve import Resolution, home_code, home_prefecture, resolve, suggest
from .stops import (
    CountConflict,
    MergedStops,
    UnresolvedStop,
    merge_sentence_stops,
    ordered_stops,
    stop_day,
    stop_keys,
)

__all__ = [
    "CodeError",
    "CountConflict",
    "Level",
    "MergedStops",
    "Municipality",
    "Register",
    "Resolution",
    "UnresolvedStop",
    "check_digit",
    "code_forms",
    "fold",
    "home_code",
    "home_prefecture",
    "is_valid_code",
    "listed_under",
    "merge_sentence_stops",
    "ordered_stops",
    "place_in",
    "place_of",
    "register",
    "resolve",
    "stop_day",
    "stop_keys",
    "suggest",
    "with_check_digit",
]
