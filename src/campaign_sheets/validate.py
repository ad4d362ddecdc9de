"""Everything ``check`` reports: the configuration's problems, the loader's, and the
roll-up's (report sentences that disagree with their totals, unknown organisations)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from .core.config import Config
from .core.config_checks import config_problems
from .core.problems import Problem, sort_problems
from .core.values import RawTable
from .load import load_workbook
from .national import Council
from .national.gather import unreadable
from .rollup.drives import ledger_of
from .rollup.records import collect_records, home_of
from .sources.base import Source
from .sources.many import read_each


def check_workbook(tables: Mapping[str, RawTable], config: Config) -> tuple[Problem, ...]:
    """Every problem of the configuration and the workbook, in reading order."""
    return tuple([*config_problems(config), *sheet_problems(tables, config)])


def sheet_problems(tables: Mapping[str, RawTable], config: Config) -> list[Problem]:
    """Every problem in the workbook's tabs, in reading order."""
    loaded = load_workbook(tables, config)
    records = collect_records(loaded.workbook, home_of(config))
    _ledger, drive_problems = ledger_of(loaded.drives, loaded.workbook, records)
    return sort_problems([*loaded.problems, *records.problems, *drive_problems])


def check_sheets(
    config: Config, pairs: Sequence[tuple[Council, Source]]
) -> tuple[Problem, ...]:
    """Every problem of every council's sheet (each named), and each sheet that cannot
    be read as an error naming it; the configuration's own problems first."""
    problems: list[Problem] = list(config_problems(config))
    for (council, _source), read in zip(pairs, read_each([s for _, s in pairs]), strict=True):
        if read.tables is None:
            problems.append(unreadable(council, read, config.lang))
            continue
        own = sheet_problems(read.tables, council.config)
        problems += [replace(p, source=council.name) for p in own]
    return tuple(problems)
