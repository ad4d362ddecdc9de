"""A sync with nothing changed stops after the read and still tells the organiser
everything: the same problems, cell by cell and word for word, the same rows kept at
their last good version and the same count of events as a full sync of the same
workbook would.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.commands.common import print_problems, source_from_config
from campaign_sheets.commands.sync import summary_lines
from campaign_sheets.core.config import Config, load_config
from campaign_sheets.core.problems import Nested, Problem, Severity
from campaign_sheets.publish import last_sync
from campaign_sheets.publish.last_sync import LastSync
from campaign_sheets.publish.state import StateStore
from campaign_sheets.sync import SyncResult, run_sync
from sync_support import Site, copy_site, make_site, set_cell

TODAY = date(2026, 11, 24)
PREF = "2026-1110-pref"


def run(site: Site, *, force: bool = False, jobs: int | None = None
        ) -> tuple[list[str], SyncResult, Config]:
    config: Config = load_config(site.config)
    stages: list[str] = []
    result = run_sync(config, source_from_config(config), today=TODAY, force=force,
                      progress=stages.append, jobs=jobs)
    return stages, result, config


def fields(problem: Problem) -> tuple[Any, ...]:
    """Every field of a problem, its parameters too (a Problem compares without them)."""
    return (problem.sheet, problem.row, problem.col, problem.column, problem.code,
            dict(problem.params), problem.severity, problem.message("ja"),
            problem.message("en"))


def printed(result: SyncResult, config: Config) -> tuple[str, list[str]]:
    """What ``campaign-sheets sync`` prints: the problems and the summary."""
    stream = io.StringIO()
    print_problems(list(result.problems), "text", config.lang, stream)
    return stream.getvalue(), summary_lines(result, config)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A folder whose prefecture's action was published, then its date broken."""
    site = make_site(tmp_path_factory.mktemp("settled") / "site", pdf=False)
    run(site)
    run(site)
    set_cell(site.workbook, PREF, "日付", "来月のどこか")
    run(site)
    return site


@pytest.fixture
def site(broken: Site, tmp_path: Path) -> Site:
    return copy_site(broken, tmp_path / "site")


def test_an_unchanged_sync_reports_what_a_full_sync_reports(site: Site) -> None:
    run(site)  # the copy lives in another folder: its first run may settle the link
    stages, full, config = run(site, force=True)
    assert "build" in stages
    stages, settled, _ = run(site)
    assert stages == ["read"]
    severities = {p.severity for p in full.problems}
    assert severities == {Severity.ERROR, Severity.WARNING}
    assert [fields(p) for p in settled.problems] == [fields(p) for p in full.problems]
    assert settled.kept_last_good == full.kept_last_good == (PREF,)
    assert settled.events == full.events > 0
    assert settled.has_errors and not settled.publish.any_change
    assert printed(settled, config) == printed(full, config)


def test_findings_of_another_version_are_validated_again(site: Site) -> None:
    run(site)
    _, full, config = run(site, force=True)
    StateStore(config.state).set_meta({last_sync.META_KEY: "{not what this version wrote"})
    stages, again, _ = run(site)
    assert stages == ["read", "validate"]  # validated, still nothing built
    assert [fields(p) for p in again.problems] == [fields(p) for p in full.problems]
    assert again.kept_last_good == (PREF,)


def test_a_settled_sync_is_the_same_with_workers(site: Site) -> None:
    run(site)
    _, full, config = run(site, force=True, jobs=2)
    stages, settled, _ = run(site, jobs=2)
    assert stages == ["read"]
    assert printed(settled, config) == printed(full, config)


# -- the stored findings round-trip every parameter exactly -------------------------

_scalars = (st.none() | st.booleans() | st.integers() | st.text()
            | st.floats(allow_nan=False) | st.dates() | st.datetimes() | st.times())
_values = st.recursive(
    _scalars,
    lambda inner: (st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                   | st.builds(Nested, st.sampled_from(["sync.summary", "severity.error"]),
                               st.dictionaries(st.text(max_size=5), inner, max_size=3))),
    max_leaves=8,
)
_problems = st.builds(
    Problem, sheet=st.text(max_size=8), row=st.none() | st.integers(1, 10**6),
    col=st.none() | st.integers(0, 200), column=st.none() | st.text(max_size=8),
    code=st.sampled_from(["date.far", "sync.summary"]),
    params=st.dictionaries(st.text(max_size=6), _values, max_size=4),
    severity=st.sampled_from(list(Severity)),
)


def _deep(value: Any) -> Any:
    """A value with its types spelt out (a tuple and a list of the same items differ)."""
    if isinstance(value, Nested):
        return ("Nested", value.code, _deep(dict(value.params)))
    if isinstance(value, dict):
        return ("dict", [(k, _deep(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_deep(v) for v in value])
    return (type(value).__name__, value)


@given(st.lists(_problems, max_size=4), st.lists(st.text(max_size=6), max_size=3),
       st.integers(0, 10**6), st.integers(0, 50))
def test_findings_round_trip_with_every_type(
    problems: list[Problem], kept: list[str], events: int, pending: int
) -> None:
    found = LastSync(tuple(problems), tuple(kept), events, pending)
    text = last_sync.dumps(found)
    assert text is not None
    back = last_sync.loads(text)
    assert back is not None
    assert back == found
    assert [_deep(dict(p.params)) for p in back.problems] == [
        _deep(dict(p.params)) for p in found.problems]


def test_a_parameter_that_cannot_be_kept_exactly_keeps_nothing() -> None:
    odd = Problem("行動", 2, 1, "日付", "date.far", {"value": {1, 2}})
    assert last_sync.dumps(LastSync((odd,), (), 1, 0)) is None
    assert last_sync.loads(None) is None
