"""Everything ``check`` reports: the loader's problems plus the roll-up's
(report sentences that disagree with their totals, unknown organisations in them)."""

from __future__ import annotations

from collections.abc import Mapping

from .core.config import Config
from .core.problems import Problem, sort_problems
from .core.values import RawTable
from .load import load_workbook
from .rollup.records import collect_records, home_of


def check_workbook(tables: Mapping[str, RawTable], config: Config) -> tuple[Problem, ...]:
    """Every problem in the workbook, in reading order."""
    loaded = load_workbook(tables, config)
    records = collect_records(loaded.workbook, home_of(config))
    return tuple(sort_problems([*loaded.problems, *records.problems]))
