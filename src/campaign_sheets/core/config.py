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
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .orgs import is_valid_key
from .problems import LANGS, Nested
from .resources import bundled_path
from .urls import is_http_url, placeholder_in, template_problems

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

    @property
    def link_base(self) -> str:
        """The address links and QR codes are made from: ``base_url``, or ``""`` (links
        relative to the page, no page QR code) while it still holds a placeholder
        (``https://XXXX/``), which ``check`` reports as an error."""
        return "" if placeholder_in(self.base_url) else self.base_url


@dataclass(frozen=True)
class RegistrationConfig:
    """The ``[registration]`` table."""

    url_template: str = ""


@dataclass(frozen=True)
class FeedKeys:
    """The ``[feeds.series]`` and ``[feeds.regions]`` tables: the ASCII key (file name)
    of a series' or a region's feed, by the name as the sheet spells it."""

    series: Mapping[str, str] = field(default_factory=dict)
    regions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MembersConfig:
    """The ``[members]`` table: the members' feed token comes from ``token_env``."""

    token_env: str = "CAMPAIGN_SHEETS_MEMBERS_TOKEN"

    def token(self) -> str | None:
        """The token from the environment, or ``None`` when it is unset or blank."""
        value = os.environ.get(self.token_env, "").strip()
        return value or None


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[sources]]`` table: a council's sheet in a tree of many (SPEC §9).

    ``prefecture`` is the council's prefecture as written (``神奈川県``, ``14``): its
    municipality names resolve inside it, and its two-digit code tells its events'
    UIDs apart from the other councils'; ``name`` is how messages and pages call it.
    """

    source: str
    prefecture: str
    name: str


@dataclass(frozen=True)
class Config:
    """The whole configuration, with paths resolved.

    ``sources`` is empty for a tree of one sheet (``source``); otherwise it lists
    every council's sheet and ``source`` is blank.
    """

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
    feeds: FeedKeys = field(default_factory=FeedKeys)
    path: Path | None = None
    #: PDF flyers: None makes them when the ``pdf`` extra is installed.
    flyer_pdf: bool | None = None
    #: False for the bundled example: it ships inside the package and is never written to.
    write_back: bool = True
    #: True while this is the bundled example as shipped (its configuration, its workbook)
    bundled_example: bool = False
    sources: tuple[SourceConfig, ...] = ()

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with the non-``None`` ``changes`` applied (command-line options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def for_source(self, source: SourceConfig) -> Config:
        """The configuration one council's sheet of a many-sheet tree is read with:
        its own source and prefecture."""
        return replace(self, source=source.source, prefecture=source.prefecture, sources=())


_TOP = {
    "source", "prefecture", "out", "state", "timezone", "fiscal_year", "year", "lang",
    "credentials", "templates", "calendar", "registration", "members", "flyer_pdf", "feeds",
    "sources",
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
        raise ConfigError(Nested("config.not_toml", {"detail": str(exc)})) from exc
    problems: list[Nested] = []
    for key in sorted(set(data) - _TOP):
        problems.append(Nested("config.unknown_key",
                               {"key": key, "known": ", ".join(sorted(_TOP))}))
    values: dict[str, Any] = {}
    for key in _STRING_KEYS & set(data):
        if not isinstance(data[key], str):
            problems.append(Nested("config.not_string", {"key": key}))
        else:
            values[key] = data[key]
    for key in ("fiscal_year", "year"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 1900 < value < 2200:
                problems.append(Nested("config.not_year", {"key": key}))
            else:
                values[key] = value
    if "flyer_pdf" in data:
        if isinstance(data["flyer_pdf"], bool):
            values["flyer_pdf"] = data["flyer_pdf"]
        else:
            problems.append(Nested("config.not_bool", {"key": "flyer_pdf"}))
    tables = {name: _parse_table(name, data.get(name, {}), problems) for name in _TABLES}
    tables["feeds"] = _parse_feed_keys(data.get("feeds", {}), problems)
    # the template makes the links printed on flyers: it must make web links
    problems.extend(template_problems(tables["registration"].url_template))
    base_url = tables["calendar"].base_url
    if base_url and not is_http_url(base_url):
        problems.append(Nested("config.base_url_not_http", {"value": base_url}))
    config = _build(values, tables, base_dir, bundled, problems)
    if "sources" in data:
        sources = _parse_sources(data["sources"], base_dir, problems)
        if "source" in data:
            problems.append(Nested("config.source_and_sources", {}))
        config = replace(config, sources=sources)
    if problems:
        lang = data.get("lang")
        raise ConfigError(problems, lang=lang if lang in LANGS else None)
    return config


def _parse_table(name: str, raw: Any, problems: list[Nested]) -> Any:
    cls = _TABLES[name]
    if not isinstance(raw, dict):
        problems.append(Nested("config.not_table", {"key": name}))
        return cls()
    known = {f.name for f in fields(cls)}
    for key in sorted(set(raw) - known):
        problems.append(Nested("config.unknown_key",
                               {"key": f"{name}.{key}", "known": ", ".join(sorted(known))}))
    kwargs = {}
    for key in known & set(raw):
        if not isinstance(raw[key], str):
            problems.append(Nested("config.not_string", {"key": f"{name}.{key}"}))
        else:
            kwargs[key] = raw[key]
    return cls(**kwargs)


_SOURCE_KEYS = ("source", "prefecture", "name")


def _parse_sources(raw: Any, base_dir: Path, problems: list[Nested]) -> tuple[SourceConfig, ...]:
    """``[[sources]]``: each with a ``source``, a ``prefecture`` and a ``name`` (strings),
    no two with the same name or the same source."""
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw) or not raw:
        problems.append(Nested("config.sources_not_tables", {}))
        return ()
    out: list[SourceConfig] = []
    seen: dict[tuple[str, str], int] = {}
    for number, table in enumerate(raw, start=1):
        for key in sorted(set(table) - set(_SOURCE_KEYS)):
            problems.append(Nested("config.unknown_key", {
                "key": f"sources[{number}].{key}", "known": ", ".join(_SOURCE_KEYS)}))
        values = {}
        for key in _SOURCE_KEYS:
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Nested("config.source_key_missing",
                                       {"key": f"sources[{number}].{key}"}))
            values[key] = value.strip() if isinstance(value, str) else ""
        source = values["source"]
        if source and not _is_remote(source):
            path = Path(os.path.expanduser(source))
            source = str(path if path.is_absolute() else base_dir / path)
        for key, value in (("name", values["name"]), ("source", source)):
            if value and (key, value) in seen:
                problems.append(Nested("config.source_twice", {
                    "key": f"sources[{number}].{key}", "value": value,
                    "other": f"sources[{seen[(key, value)]}]"}))
            seen.setdefault((key, value), number)
        out.append(SourceConfig(source=source, prefecture=values["prefecture"],
                                name=values["name"]))
    return tuple(out)


def _parse_feed_keys(raw: Any, problems: list[Nested]) -> FeedKeys:
    """``[feeds.series]`` / ``[feeds.regions]``: name = "key", each key ASCII and used once."""
    if not isinstance(raw, dict):
        problems.append(Nested("config.not_table", {"key": "feeds"}))
        return FeedKeys()
    groups: dict[str, dict[str, str]] = {}
    for group in sorted(raw):
        if group not in ("series", "regions"):
            problems.append(Nested("config.unknown_key",
                                   {"key": f"feeds.{group}", "known": "regions, series"}))
            continue
        table = raw[group]
        if not isinstance(table, dict):
            problems.append(Nested("config.not_table", {"key": f"feeds.{group}"}))
            continue
        seen: dict[str, str] = {}
        for name, key in table.items():
            where = f"feeds.{group}.{name}"
            if not isinstance(key, str) or not is_valid_key(key):
                problems.append(Nested("config.bad_feed_key", {"key": where, "value": key}))
            elif key.lower() in seen:
                problems.append(Nested("config.feed_key_twice", {
                    "key": where, "value": key, "other": seen[key.lower()]}))
            else:
                seen[key.lower()] = name
                groups.setdefault(group, {})[name] = key
    return FeedKeys(series=groups.get("series", {}), regions=groups.get("regions", {}))


def _build(
    values: dict[str, Any],
    tables: dict[str, Any],
    base_dir: Path,
    bundled: bool,
    problems: list[Nested],
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
        problems.append(Nested("config.unknown_timezone", {"value": timezone}))
    lang = values.get("lang", "ja")
    if lang not in ("ja", "en"):
        problems.append(Nested("config.bad_lang", {"value": lang}))
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
        feeds=tables["feeds"],
        write_back=not bundled,
        bundled_example=bundled,
        flyer_pdf=values.get("flyer_pdf"),
    )


def _is_remote(source: str) -> bool:
    return source.startswith(("gsheet:", "http://", "https://"))


def load_config(path: Path, *, bundled: bool = False) -> Config:
    """Read and parse the config file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise ConfigError(Nested("config.unreadable", {"path": path, "detail": detail})) from exc
    return replace(parse_config(text, path.parent, bundled=bundled), path=path)


def starter_config_text(
    source: str, fiscal_year: int, lang: str = "ja", prefecture: str = ""
) -> str:
    """A new user's configuration, with comments saying what to fill in: ``source`` as
    written into it (relative to the file), the home prefecture (blank when not given),
    the fiscal year to assume, its language."""
    template = bundled_path("config", f"starter.{lang}.toml").read_text(encoding="utf-8")
    return (template.replace("@SOURCE@", _toml_text(source))
            .replace("@PREFECTURE@", _toml_text(prefecture))
            .replace("@FISCAL_YEAR@", str(fiscal_year)))


def _toml_text(text: str) -> str:
    """``text`` for a TOML basic string (between its quotes)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
