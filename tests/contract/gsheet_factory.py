"""The Google Sheet factory of the source contract suite: real gspread and google-auth
over HTTP to the Sheets API emulator on 127.0.0.1 (tests/sheets_emulator.py)."""

from __future__ import annotations

import atexit
import itertools
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from campaign_sheets.core.values import CellValue
from campaign_sheets.sources.base import Source
from campaign_sheets.sources.gsheet import GoogleSheetSource
from sheets_emulator import SheetsEmulator, emulated_client

_KEYS = itertools.count(1)


@cache
def _shared() -> tuple[SheetsEmulator, Any]:
    """One emulator and one signed-in client for the whole run (factories are called per
    hypothesis example, so each must be cheap)."""
    emulator = SheetsEmulator().start()
    atexit.register(emulator.stop)
    return emulator, emulated_client(emulator)


def make_gsheet(tables: Mapping[str, Sequence[Sequence[CellValue]]]) -> Source:
    """A fresh spreadsheet holding ``tables`` as a person would have typed them."""
    emulator, client = _shared()
    key = f"contract-{next(_KEYS):06d}-sheet-key"
    emulator.add_spreadsheet(key, tables)
    return GoogleSheetSource.from_client(f"gsheet:{key}", client, email="sync@example.org")
