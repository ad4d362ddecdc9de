"""Write examples/kanagawa.xlsx, the bundled example workbook.

The rows live in ``src/campaign_sheets/data/example.toml`` (section ``kanagawa``):
a fictional prefectural council's autumn and winter of fiscal year 2026. The file
is reproducible: running this again gives the same bytes.

    PYTHONPATH=src python examples/make_example.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from campaign_sheets.geo import home_code, register
from campaign_sheets.sources.xlsx_init import load_example_rows, new_workbook_bytes

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "kanagawa.xlsx"


def example_bytes() -> bytes:
    """The bytes of the example workbook (with 神奈川県's municipalities to choose from)."""
    home = home_code("神奈川県")
    assert home is not None
    towns = [(m.name, m.code) for m in register().municipalities_of(home)]
    return new_workbook_bytes(rows=load_example_rows("kanagawa"), towns=towns)


def main(argv: list[str]) -> int:
    """Write the workbook to ``argv[0]`` (default: next to this script)."""
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    output.write_bytes(example_bytes())
    print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
