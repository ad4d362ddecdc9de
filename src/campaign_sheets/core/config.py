"""The configuration (SPEC §2), parsed from text; the CLI alone decides which file.

Unknown keys are errors that name the key, and every problem is listed at once.
Relative paths are relative to the config file, except that writable paths of the
bundled config (output tree, state store) are relative to the working directory, so
an installed package never writes inside itself.
"""

from __future__ import annotations

import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .urls import validate_url_template

DEFAULT_OUT = "public"
DEFAULT_STATE = ".campaign-sheets-state.sqlite"


@dataclass(frozen=True)
class CalendarConfig:
    """The ``[calendar]`` table."""

    name: str = "行動予定"
    description: str = ""
    uid_domain: str = "campaign-sheets.invalid"
    base_url: str = ""
    refresh: str = "PT6H"


@dataclass(frozen=True)
class RegistrationConfig:
    """The ``[registration]`` table."""

    url_template: str = ""


@dataclass(frozen=True)
class MembersConfig:
    """The ``[members]`` table: the members' feed token comes from ``token_env``."""

    token_env: str = "CAMPAIGN_SHEETS_MEMBERS_TOKEN"

    def token(self) -> str | None:
        """The token from the environment, or ``None`` when it is unset or blank."""
        value = os.environ.get(self.token_env, "").strip()
        return value or None


@dataclass(frozen=True)
class Config:
    """The whole configuration, with paths resolved."""

    source: str = ""
    #: the home prefecture, as written (``神奈川県``, ``14``); names resolve inside it first
    prefecture: str = ""
    out: Path = Path(DEFAULT_OUT)
    state: Path = Path(DEFAULT_STATE)
    timezone: str = "Asia/Tokyo"
    fiscal_year: int | None = None
    year: int | None = None
    lang: str = "ja"
    credentials: Path | None = None
    templates: Path | None = None
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    registration: RegistrationConfig = field(default_factory=RegistrationConfig)
    members: MembersConfig = field(default_factory=MembersConfig)
    path: Path | None = None
    #: PDF flyers: None makes them when the ``pdf`` extra is installed.
    flyer_pdf: bool | None = None
    #: False for the bundled example: it ships inside the package and is never written to.
    write_back: bool = True

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with the non-``None`` ``changes`` applied (command-line options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_TOP = {
    "source", "prefecture", "out", "state", "timezone", "fiscal_year", "year", "lang",
    "credentials", "templates", "calendar", "registration", "members", "flyer_pdf",
}
_TABLES: dict[str, type] = {
    "calendar": CalendarConfig,
    "registration": RegistrationConfig,
    "members": MembersConfig,
}
_STRING_KEYS = {
    "source", "prefecture", "out", "state", "timezone", "lang", "credentials", "templates",
}


def parse_config(text: str, base_dir: Path, *, bundled: bool = False) -> Config:
    """Parse TOML ``text``; relative paths resolve against ``base_dir``.

    With ``bundled=True`` the output tree and state store resolve against the
    working directory instead. Raises :class:`ConfigError` listing every problem.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the configuration is not valid TOML: {exc}") from exc
    problems: list[str] = []
    for key in sorted(set(data) - _TOP):
        problems.append(f"unknown key '{key}' (known keys: {', '.join(sorted(_TOP))})")
    values: dict[str, Any] = {}
    for key in _STRING_KEYS & set(data):
        if not isinstance(data[key], str):
            problems.append(f"'{key}' must be a string")
        else:
            values[key] = data[key]
    for key in ("fiscal_year", "year"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 1900 < value < 2200:
                problems.append(f"'{key}' must be a year such as 2025")
            else:
                values[key] = value
    if "flyer_pdf" in data:
        if isinstance(data["flyer_pdf"], bool):
            values["flyer_pdf"] = data["flyer_pdf"]
        else:
            problems.append("'flyer_pdf' must be true or false")
    tables = {name: _parse_table(name, data.get(name, {}), problems) for name in _TABLES}
    # the template makes the links printed on flyers: it must make web links
    problems.extend(validate_url_template(tables["registration"].url_template, lang="en"))
    config = _build(values, tables, base_dir, bundled, problems)
    if problems:
        raise ConfigError(problems)
    return config


def _parse_table(name: str, raw: Any, problems: list[str]) -> Any:
    cls = _TABLES[name]
    if not isinstance(raw, dict):
        problems.append(f"'{name}' must be a table ([{name}])")
        return cls()
    known = {f.name for f in fields(cls)}
    for key in sorted(set(raw) - known):
        problems.append(f"unknown key '{name}.{key}' (known: {', '.join(sorted(known))})")
    kwargs = {}
    for key in known & set(raw):
        if not isinstance(raw[key], str):
            problems.append(f"'{name}.{key}' must be a string")
        else:
            kwargs[key] = raw[key]
    return cls(**kwargs)


def _build(
    values: dict[str, Any],
    tables: dict[str, Any],
    base_dir: Path,
    bundled: bool,
    problems: list[str],
) -> Config:
    writable_base = Path.cwd() if bundled else base_dir

    def resolve(raw: str | None, base: Path) -> Path | None:
        if raw is None:
            return None
        path = Path(os.path.expanduser(raw))
        return path if path.is_absolute() else base / path

    timezone = values.get("timezone", "Asia/Tokyo")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(f"unknown timezone '{timezone}' (use an IANA name such as Asia/Tokyo)")
    lang = values.get("lang", "ja")
    if lang not in ("ja", "en"):
        problems.append(f"'lang' must be 'ja' or 'en', not '{lang}'")
    source = values.get("source", "")
    if source and not _is_remote(source):
        source = str(resolve(source, base_dir))
    return Config(
        source=source,
        prefecture=values.get("prefecture", ""),
        out=resolve(values.get("out", DEFAULT_OUT), writable_base) or Path(DEFAULT_OUT),
        state=resolve(values.get("state", DEFAULT_STATE), writable_base) or Path(DEFAULT_STATE),
        timezone=timezone,
        fiscal_year=values.get("fiscal_year"),
        year=values.get("year"),
        lang=lang,
        credentials=resolve(values.get("credentials"), base_dir),
        templates=resolve(values.get("templates"), base_dir),
        calendar=tables["calendar"],
        registration=tables["registration"],
        members=tables["members"],
        write_back=not bundled,
        flyer_pdf=values.get("flyer_pdf"),
    )


def _is_remote(source: str) -> bool:
    return source.startswith(("gsheet:", "http://", "https://"))


def load_config(path: Path, *, bundled: bool = False) -> Config:
    """Read and parse the config file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration {path}: {exc.strerror}") from exc
    return replace(parse_config(text, path.parent, bundled=bundled), path=path)
