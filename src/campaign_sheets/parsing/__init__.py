"""Pure parsers for what organisers type: dates, times and repetitions.

Each parser raises :class:`campaign_sheets.core.errors.ParseError` with a code from
``data/messages/parsing.toml``; the loader attaches the sheet and cell.
"""

from __future__ import annotations
