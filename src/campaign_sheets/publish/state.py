"""The state store: what was published last time, kept in one SQLite file.

Feeds need memory between syncs: an event's SEQUENCE and DTSTAMP must stay put
while its content does not change, the last good version of a row that now has
an error keeps its place in the feed, and a sync that would make most events
vanish is refused. Everything is written in one transaction per :meth:`save`,
so a kill at any point leaves either the old or the new state (SQLite's
rollback journal guarantees it), never a mixture.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ..core.model import Action, Repetition, Status, Visibility

_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_state (
    id TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    stamp TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS published (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS last_good (id TEXT PRIMARY KEY, action TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vevent_cache (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_read (
    name TEXT PRIMARY KEY, read_at TEXT NOT NULL, tables BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class EventState:
    """What a feed last said about one event.

    ``content_hash`` covers everything published about it; ``sequence`` is its
    SEQUENCE and ``stamp`` (UTC) its DTSTAMP and LAST-MODIFIED: the time of the
    last real change, never the time of the build.
    """

    uid: str
    content_hash: str
    sequence: int
    stamp: datetime


class EventStates(dict[str, EventState]):
    """Event states by ID, with the serialized VEVENTs saved alongside them.

    ``build_feeds`` takes ``vevents`` from here when it is given no cache, and the
    states it returns carry the new ones, which :meth:`StateStore.save` stores:
    so a sync that just loads, builds and saves also skips re-serializing.
    ``stops`` holds the states of caravan stops (their own VEVENTs in the towns'
    feeds) by ``<event ID>/<stop key>``: apart from the events, so counts of added,
    changed and vanishing events are of events only.
    """

    def __init__(
        self, states: Mapping[str, EventState] | None = None,
        vevents: Mapping[str, bytes] | None = None,
        stops: Mapping[str, EventState] | None = None,
    ) -> None:
        super().__init__(states or {})
        self.vevents: dict[str, bytes] = dict(vevents or {})
        self.stops: dict[str, EventState] = dict(stops or {})


#: Marks a stop's key in the state store (action IDs never hold it).
STOP_KEY_MARK = "/"


class StateStore:
    """The SQLite file that remembers event states, published IDs and last good rows.

    The file is created on first use. Every method opens and closes its own
    connection, so a store can be shared by short-lived commands; ``with`` is
    accepted for symmetry and holds nothing open.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are opened explicitly with BEGIN IMMEDIATE
        # so a whole save is one atomic unit.
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        return conn

    def load(self, *, include_retired: bool = False) -> EventStates:
        """The states of the events the last sync published, by ID, with the saved VEVENTs.

        With ``include_retired`` also the states of events no longer published (kept
        so that an event which comes back can continue its SEQUENCE).
        """
        query = "SELECT id, uid, content_hash, sequence, stamp FROM event_state"
        if not include_retired:
            query += " WHERE id IN (SELECT id FROM published)"
        with closing(self._connect()) as conn:
            found = {
                row[0]: EventState(row[1], row[2], int(row[3]), _parse_stamp(row[4]))
                for row in conn.execute(query)
            }
            vevents = {
                key: bytes(data)
                for key, data in conn.execute("SELECT key, data FROM vevent_cache")
            }
        states = {k: v for k, v in found.items() if STOP_KEY_MARK not in k}
        stops = {k: v for k, v in found.items() if STOP_KEY_MARK in k}
        return EventStates(states, vevents, stops)

    def save(
        self,
        states: Mapping[str, EventState],
        published_ids: Iterable[str] | None = None,
        actions: Iterable[Action] = (),
        vevents: Mapping[str, bytes] | None = None,
    ) -> None:
        """Store the new states, the IDs now published and good rows, in one transaction.

        ``published_ids`` defaults to the IDs of ``states``. States of other IDs are
        kept; the published set is replaced, and so is the VEVENT cache when
        ``vevents`` is given (or ``states`` is an :class:`EventStates` carrying them).
        """
        stops = states.stops if isinstance(states, EventStates) else {}
        ids = sorted(set(states if published_ids is None else published_ids) | set(stops))
        if vevents is None and isinstance(states, EventStates):
            vevents = states.vevents
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO event_state VALUES (?, ?, ?, ?, ?)",
                    [
                        (key, s.uid, s.content_hash, s.sequence, _format_stamp(s.stamp))
                        for key, s in [*states.items(), *stops.items()]
                    ],
                )
                conn.execute("DELETE FROM published")
                conn.executemany("INSERT INTO published VALUES (?)", [(i,) for i in ids])
                _remember(conn, actions, str)
                if vevents is not None:
                    conn.execute("DELETE FROM vevent_cache")
                    conn.executemany(
                        "INSERT INTO vevent_cache VALUES (?, ?)", list(vevents.items())
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def get_meta(self, key: str) -> str | None:
        """A value remembered with :meth:`set_meta`, or ``None``."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return None if row is None else str(row[0])

    def set_meta(self, values: Mapping[str, str | None]) -> None:
        """Remember (or, with ``None``, forget) small values, in one transaction."""
        with closing(self._connect()) as conn, conn:
            for key, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def published_ids(self) -> frozenset[str]:
        """The IDs of the events published by the last successful sync."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT id FROM published")
            return frozenset(row[0] for row in rows if STOP_KEY_MARK not in row[0])

    def published_count(self) -> int:
        """How many events the last successful sync published (for the vanish check)."""
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM published WHERE instr(id, ?) = 0", (STOP_KEY_MARK,)
            ).fetchone()
            return int(row[0])

    def remember(
        self, actions: Iterable[Action], *, ids: Callable[[str], str] | None = None
    ) -> None:
        """Keep ``actions`` as the last good version of their rows, under ``ids(a.id)``
        when given (a many-sheet tree keeps each sheet's rows under their national ID)."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _remember(conn, actions, ids or (lambda key: key))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def last_good(self, ids: Iterable[str]) -> dict[str, Action]:
        """The last good version of each of ``ids`` that has one."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Action] = {}
        with closing(self._connect()) as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id, action FROM last_good WHERE id IN ({marks})"
                for key, text in conn.execute(query, chunk):
                    found[key] = action_from_json(json.loads(text))
        return found


    def keep_read(self, name: str, read_at: datetime, tables: bytes) -> None:
        """Keep ``tables`` (see :mod:`.snapshots`) as the last good read of the sheet
        called ``name`` in a many-sheet tree."""
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO source_read VALUES (?, ?, ?)",
                         (name, _format_stamp(read_at), tables))

    def last_read(self, name: str) -> tuple[datetime, bytes] | None:
        """When the sheet ``name`` was last read and what it held, or ``None``."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT read_at, tables FROM source_read WHERE name = ?",
                               (name,)).fetchone()
        return None if row is None else (_parse_stamp(row[0]), bytes(row[1]))


def _remember(
    conn: sqlite3.Connection, actions: Iterable[Action], ids: Callable[[str], str]
) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO last_good VALUES (?, ?)",
        [
            (ids(a.id), json.dumps(action_to_json(a), ensure_ascii=False, sort_keys=True))
            for a in actions
        ],
    )


def _format_stamp(stamp: datetime) -> str:
    if stamp.tzinfo is None:
        raise ValueError("an event stamp must carry a time zone")
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def action_to_json(action: Action) -> dict[str, Any]:
    """A JSON-ready dict of ``action`` (round-trips through :func:`action_from_json`)."""
    rep = action.repetition
    return {
        "id": action.id,
        "kind": action.kind,
        "title": action.title,
        "date": action.date.isoformat(),
        "end_date": action.end_date.isoformat() if action.end_date is not None else None,
        "start": action.start.isoformat() if action.start is not None else None,
        "end": action.end.isoformat() if action.end is not None else None,
        "venue": action.venue,
        "address": action.address,
        "online": action.online,
        "organizer": action.organizer,
        "orgs": list(action.orgs),
        "series": action.series,
        "speaker": action.speaker,
        "repetition": None
        if rep is None
        else {"rule": rep.rule, "text": rep.text, "exdates": [d.isoformat() for d in rep.exdates]},
        "registration": action.registration,
        "capacity": action.capacity,
        "status": action.status.value,
        "visibility": action.visibility.value,
        "region": action.region,
        "description": action.description,
        "contact": action.contact,
        "report": action.report,
        "municipality": action.municipality,
        "row": action.row,
        "council": action.council,
    }


def action_from_json(data: Mapping[str, Any]) -> Action:
    """The :class:`Action` a dict made by :func:`action_to_json` describes."""
    rep = data.get("repetition")
    return Action(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        date=date.fromisoformat(data["date"]),
        end_date=date.fromisoformat(data["end_date"]) if data.get("end_date") else None,
        start=time.fromisoformat(data["start"]) if data.get("start") is not None else None,
        end=time.fromisoformat(data["end"]) if data.get("end") is not None else None,
        venue=data.get("venue", ""),
        address=data.get("address", ""),
        online=data.get("online", ""),
        organizer=data.get("organizer", ""),
        orgs=tuple(data.get("orgs", ())),
        series=data.get("series", ""),
        speaker=data.get("speaker", ""),
        repetition=None
        if rep is None
        else Repetition(
            rule=rep["rule"],
            text=rep.get("text", ""),
            exdates=tuple(date.fromisoformat(d) for d in rep.get("exdates", ())),
        ),
        registration=data.get("registration", ""),
        capacity=data.get("capacity"),
        status=Status(data.get("status", "planned")),
        visibility=Visibility(data.get("visibility", "public")),
        region=data.get("region", ""),
        description=data.get("description", ""),
        contact=data.get("contact", ""),
        report=data.get("report", ""),
        municipality=data.get("municipality", ""),
        row=int(data.get("row", 0)),
        council=data.get("council", ""),
    )
