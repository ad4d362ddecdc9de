"""What ``check`` says about the configuration itself: values that would publish
links leading nowhere, and values still copied from the bundled example.

These are problems like a bad cell's, located in the configuration file by key
(``campaign-sheets.toml registration.url_template``), so ``check`` lists them with
the workbook's and ``sync`` prints them on every run until they are fixed.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path

from .config import CalendarConfig, Config, load_config
from .problems import Nested, Problem, Severity, make_problem
from .resources import bundled_config
from .urls import placeholder_in, reserved_host, template_refusal

#: The keys whose bundled value names the example council, in the order they are told.
EXAMPLE_KEYS = ("calendar.name", "calendar.description", "calendar.uid_domain",
                "calendar.base_url")
_ENTRY = re.compile(r"entry\.\d+=")


@cache
def bundled_example_config() -> Config:
    """The bundled configuration, as shipped."""
    return load_config(bundled_config(), bundled=True)


def config_problems(config: Config) -> list[Problem]:
    """Every problem of ``config``'s values (an empty list when all is well)."""
    sheet = config.path.name if config.path is not None else "campaign-sheets.toml"
    problems = _template_problems(config, sheet) + _placeholder_values(config, sheet)
    if not config.bundled_example:
        problems += _example_values(config, sheet)
    return problems


def _value(config: Config, key: str) -> str:
    table, name = key.split(".")
    return str(getattr(getattr(config, table), name))


def _template_problems(config: Config, sheet: str) -> list[Problem]:
    key = "registration.url_template"
    template = config.registration.url_template
    if not template:
        return []
    problems = []
    refusal = template_refusal(template)
    if refusal is not None:
        # The example ships without a form of its own: said, but not an error of it.
        severity = Severity.WARNING if config.bundled_example else None
        marker = placeholder_in(re.sub(r"\{\w+\}", "", template)) or reserved_host(
            template.replace("{", "").replace("}", "")) or ""
        problems.append(make_problem(
            f"config.template_{refusal.removeprefix('url.')}", sheet, column=key,
            severity=severity, key=key, value=template, marker=marker))
    if not config.bundled_example:
        sample = set(_ENTRY.findall(bundled_example_config().registration.url_template))
        copied = sorted(set(_ENTRY.findall(template)) & sample)
        if copied:
            entries = "、".join(entry.rstrip("=") for entry in copied)
            problems.append(make_problem("config.template_example_entries", sheet,
                                         column=key, key=key, entries=entries))
    return problems


def _placeholder_values(config: Config, sheet: str) -> list[Problem]:
    """The [calendar] values still holding a blank to fill in (``○○社保協``, the starter
    file's ``https://会のホームページ/``): an error for ``base_url``, whose links would
    lead nowhere (they are not made from it), a warning for the others."""
    problems = []
    for key in EXAMPLE_KEYS:
        value = _value(config, key)
        marker = placeholder_in(value) if value else None
        if marker is None:
            continue
        code = "config.base_url_placeholder" if key == "calendar.base_url" else (
            "config.text_placeholder")
        problems.append(make_problem(code, sheet, column=key, key=key, value=value,
                                     marker=marker, hint=Nested(f"config.hint.{key}")))
    return problems


def _example_values(config: Config, sheet: str) -> list[Problem]:
    example = bundled_example_config()
    unset = CalendarConfig()
    problems = []
    for key in EXAMPLE_KEYS:
        value, bundled = _value(config, key), _value(example, key)
        if not value or value == getattr(unset, key.split(".")[1]):
            continue
        hint = Nested(f"config.hint.{key}")
        if value == bundled:
            problems.append(make_problem("config.example_value", sheet, column=key,
                                         key=key, value=value, hint=hint))
        elif key in ("calendar.uid_domain", "calendar.base_url") and (
                host := reserved_host(value)):
            problems.append(make_problem("config.reserved_domain", sheet, column=key,
                                         key=key, value=value, host=host, hint=hint))
    return problems


def points_at_example(config: Config) -> bool:
    """True when ``config`` is a copy of the bundled configuration whose ``source`` still
    names the example's workbook, relative to wherever the copy now is."""
    if config.bundled_example or config.path is None or "://" in config.source:
        return False
    raw = tomllib.loads(bundled_config().read_text(encoding="utf-8")).get("source", "")
    relative = os.path.relpath(config.source, config.path.resolve().parent)
    return Path(relative) == Path(raw) and not Path(config.source).exists()
