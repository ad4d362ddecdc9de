"""Everything ``check`` reports: the configuration's problems, the loader's, and the
roll-up's (report sentences that disagree with their totals, unknown organisations)."""

from __future__ import annotations

from collections.abc import Mapping

from .core.config import Config
from .core.config_checks import config_problems
from .core.problems import Problem, sort_problems
from .core.values import RawTable
from .load import load_workbook
from .rollup.drives import ledger_of
from .rollup.records import collect_records, home_of


def check_workbook(tables: Mapping[str, RawTable], config: Config) -> tuple[Problem, ...]:
    """Every problem in the workbook, in reading order."""
    loaded = load_workbook(tables, config)
    records = collect_records(loaded.workbook, home_of(config))
    _ledger, drive_problems = ledger_of(loaded.drives, loaded.workbook, records)
    return tuple(sort_problems(
        [*config_problems(config), *loaded.problems, *records.problems, *drive_problems]))
