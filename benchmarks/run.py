"""Measured speed at scale: ``python benchmarks/run.py --events N [--json]``.

Generates a realistic workbook of N actions (``generate.py``) and measures, side by side:

- ``read_only_s``: reading the workbook into rows, the floor no sync can beat;
- ``cold_sync_s``: a first sync into an empty output folder (with its write-back);
- ``noop_sync_s``: a second sync with nothing changed;
- ``one_change_sync_s``: a sync after the title of one action was edited;
- ``baseline_s``: the naive rebuild a user would otherwise script (``baseline.py``);
- ``peak_rss_mb``: the highest peak resident memory of the read and sync phases;
- ``sheets_requests_per_sync``: Sheets API requests of a steady-state sync, counted by
  the Sheets emulator of the test suite (real gspread and google-auth over HTTP).

Each phase runs in a fresh Python process, as a scheduled ``campaign-sheets sync``
would: the timed part is the call itself (``read_tables`` or ``run_sync``) after the
package is imported, and a phase's ``ru_maxrss`` is its own peak, not hidden by
another phase's. PDF flyers (the optional ``pdf`` extra) are made only with
``--pdf``. With ``--json`` the last line printed is one JSON object with exactly the
keys above plus ``events``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path[:0] = [str(ROOT / "src"), str(HERE)]

#: The keys of the ``--json`` line, besides ``events``.
KEYS = (
    "read_only_s", "cold_sync_s", "noop_sync_s", "one_change_sync_s", "baseline_s",
    "peak_rss_mb", "sheets_requests_per_sync",
)
#: The environment variable the benchmark's config names for the members' token.
TOKEN_ENV = "CAMPAIGN_SHEETS_BENCH_MEMBERS_TOKEN"
CONFIG = """\
source = "workbook.xlsx"
out = "{out}"
state = "{state}"
timezone = "Asia/Tokyo"
fiscal_year = 2026
lang = "ja"
flyer_pdf = {flyer_pdf}

[calendar]
name = "県社保協 行動予定"
uid_domain = "example.org"
base_url = "https://example.org/calendar/"
refresh = "PT6H"

[registration]
url_template = "https://docs.google.com/forms/d/e/FORM_ID/viewform?usp=pp_url&entry.111={{id}}&entry.222={{org}}"

[members]
token_env = "{token_env}"
"""


# -- phases (each runs in its own process) -------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(call: Callable[[], Any]) -> tuple[dict[str, float], Any]:
    """Wall and CPU seconds of ``call()``, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return {"seconds": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}, value


def phase_read(folder: Path) -> dict[str, Any]:
    """Read every tab of the workbook into rows."""
    from campaign_sheets.sources.xlsx import XlsxSource

    timing, tables = _timed(XlsxSource(folder / "workbook.xlsx").read_tables)
    return {**timing, "rows": sum(len(t.rows) for t in tables.values())}


def phase_sync(folder: Path, name: str = "config.toml") -> dict[str, Any]:
    """One ``run_sync`` from the workbook, as ``campaign-sheets sync`` runs it."""
    from campaign_sheets.core.config import load_config
    from campaign_sheets.sources.xlsx import XlsxSource
    from campaign_sheets.sync import run_sync

    config = load_config(folder / name)
    timing, result = _timed(lambda: run_sync(config, XlsxSource(config.source)))
    return {
        **timing, "events": result.events,
        "files_written": len(result.publish.added) + len(result.publish.changed),
        "files_unchanged": len(result.publish.unchanged),
        "added": len(result.changes.added), "changed": len(result.changes.changed),
        "problems": len(result.problems),
        "rollup_written": bool(result.write and result.write.rollup_written),
    }


def phase_baseline(folder: Path) -> dict[str, Any]:
    """The naive rebuild, on the same workbook, into its own folder."""
    import baseline

    timing, count = _timed(
        lambda: baseline.rebuild(folder / "workbook.xlsx", folder / "baseline-out")
    )
    return {**timing, "files": count}


def phase_sheets(folder: Path) -> dict[str, Any]:
    """Two syncs from the same rows held by the Sheets emulator; count the second's requests."""
    sys.path.insert(0, str(ROOT / "tests"))
    from generate import tables

    from campaign_sheets.core.config import load_config
    from campaign_sheets.sources.gsheet import GoogleSheetSource
    from campaign_sheets.sync import run_sync
    from sheets_emulator import SheetsEmulator, emulated_client

    events = int((folder / "events").read_text(encoding="utf-8"))
    config = load_config(folder / "config-sheets.toml")
    emulator = SheetsEmulator().start()
    try:
        key = "1BenchmarkSpreadsheetKey0123456789abcdefgh"
        emulator.add_spreadsheet(key, tables(events))
        source = GoogleSheetSource.from_client(
            f"gsheet:{key}", emulated_client(emulator), email="sync@example.org",
            cache_path=folder / "gsheet-tabs.json",
        )
        counts, seconds = [], []
        for _ in range(2):
            mark = len(emulator.requests())
            timing, _result = _timed(lambda: run_sync(config, source))
            counts.append([r.kind for r in emulator.requests()[mark:]])
            seconds.append(timing["seconds"])
    finally:
        emulator.stop()
    return {"first": counts[0], "second": counts[1], "seconds": seconds}


PHASES: Mapping[str, Callable[[Path], dict[str, Any]]] = {
    "read": phase_read, "sync": phase_sync, "baseline": phase_baseline, "sheets": phase_sheets,
}


def run_phase(name: str, folder: Path) -> dict[str, Any]:
    """Run phase ``name`` in a fresh process; its JSON answer plus its peak RSS."""
    env = {**os.environ, TOKEN_ENV: "bench-members-token-0123456789"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase", name, str(folder)],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stdout}\n{done.stderr}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _child(name: str, folder: Path) -> None:
    """The body of a phase process: run it and print its answer as JSON."""
    answer = PHASES[name](folder)
    answer["rss_mb"] = round(_peak_rss_mb(), 1)
    print(json.dumps(answer, ensure_ascii=False))


# -- the run ---------------------------------------------------------------------------


def prepare(folder: Path, events: int, seed: int, pdf: bool = False) -> float:
    """The workbook, its configs and the event count in ``folder``; seconds spent."""
    from generate import write_workbook

    start = time.perf_counter()
    for name in ("out", "out-sheets", "baseline-out"):
        _remove_tree(folder, name)
    for name in ("state.sqlite", "state-sheets.sqlite", "gsheet-tabs.json"):
        (folder / name).unlink(missing_ok=True)
    # Renderings cached by content (QR codes, PDFs) would make a cold sync warm.
    shutil.rmtree(folder / ".campaign-sheets-cache", ignore_errors=True)
    write_workbook(folder / "workbook.xlsx", events, seed)
    (folder / "events").write_text(str(events), encoding="utf-8")
    for name, out, state in (("config.toml", "out", "state.sqlite"),
                             ("config-sheets.toml", "out-sheets", "state-sheets.sqlite")):
        (folder / name).write_text(
            CONFIG.format(
                out=out, state=state, token_env=TOKEN_ENV, flyer_pdf=str(pdf).lower()
            ), encoding="utf-8"
        )
    return time.perf_counter() - start


def _remove_tree(folder: Path, name: str) -> None:
    """A published tree and everything beside it: the link, its generations, lock."""
    for path in (folder / name, *folder.glob(f".{name}.*")):
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)


def edit_one_action(path: Path, events: int) -> str:
    """Change the title of the action in the middle of the 行動 tab, as a person would."""
    from openpyxl import load_workbook

    from campaign_sheets.core.schema import tab_spec

    book = load_workbook(path)
    sheet = book[tab_spec("events").name]
    header = [c.value for c in sheet[1]]
    row = 2 + events // 2
    cell = sheet.cell(row=row, column=header.index("行動名") + 1)
    cell.value = f"{cell.value}（会場変更）"
    book.save(path)
    return str(sheet.cell(row=row, column=header.index("ID") + 1).value)


def measure(
    events: int, seed: int, folder: Path, say: Callable[[str], None], pdf: bool = False
) -> dict[str, Any]:
    """Every phase, in order; the figures and the per-phase details."""
    say(f"generating {events} actions: {prepare(folder, events, seed, pdf):.1f} s")
    details: dict[str, dict[str, Any]] = {}
    for label, phase in (("cold_sync", "sync"), ("read_only", "read"), ("noop_sync", "sync")):
        details[label] = run_phase(phase, folder)
        say(f"{label}: {_describe(details[label])}")
    edited = edit_one_action(folder / "workbook.xlsx", events)
    details["one_change_sync"] = run_phase("sync", folder)
    say(f"one_change_sync ({edited} retitled): {_describe(details['one_change_sync'])}")
    details["baseline"] = run_phase("baseline", folder)
    say(f"baseline: {_describe(details['baseline'])}")
    details["sheets"] = run_phase("sheets", folder)
    say(f"sheets: first sync {details['sheets']['first']}, second {details['sheets']['second']}")
    figures = {
        "events": events,
        **{f"{k}_s": round(details[k]["seconds"], 3) for k in
           ("read_only", "cold_sync", "noop_sync", "one_change_sync", "baseline")},
        "peak_rss_mb": max(details[k]["rss_mb"] for k in
                           ("read_only", "cold_sync", "noop_sync", "one_change_sync")),
        "sheets_requests_per_sync": len(details["sheets"]["second"]),
    }
    return {"figures": figures, "details": details}


def _describe(detail: Mapping[str, Any]) -> str:
    shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in detail.items()}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--events N [--json] [--seed S] [--keep DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--pdf", action="store_true",
                        help="make PDF flyers too (the pdf extra); by default none are made")
    parser.add_argument("--phase", nargs=2, metavar=("NAME", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        _child(args.phase[0], Path(args.phase[1]))
        return 0
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = measure(args.events, args.seed, args.keep.resolve(), say, args.pdf)
    else:
        with tempfile.TemporaryDirectory(prefix="campaign-bench-") as tmp:
            result = measure(args.events, args.seed, Path(tmp), say, args.pdf)
    figures = result["figures"]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key in ("events", *KEYS):
            print(f"{key:26} {figures[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
