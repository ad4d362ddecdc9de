"""Everything ``check`` reports: the loader's problems plus the roll-up's
(report sentences that disagree with their totals, unknown organisations in them)."""

from __future__ import annotations

from collections.abc import Mapping

from .config import Config
from .load import load_workbook
from .problems import Problem, sort_problems
from .sources.base import RawTable


def check_workbook(tables: Mapping[str, RawTable], config: Config) -> tuple[Problem, ...]:
    """Every problem in the workbook, in reading order."""
    loaded = load_workbook(tables, config)
    from .rollup.records import collect_records

    records = collect_records(loaded.workbook)
    return tuple(sort_problems([*loaded.problems, *records.problems]))
