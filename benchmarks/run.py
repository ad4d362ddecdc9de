"""Measured speed at scale: ``python benchmarks/run.py --events N [--json]``.

Generates a realistic workbook of N actions (``generate.py``) and measures, side by side:

- ``read_only_s``: reading the workbook into rows, the floor no sync can beat;
- ``cold_sync_s``: a first sync into an empty output folder (with its write-back);
- ``noop_sync_s``: a second sync with nothing changed;
- ``one_change_sync_s``: a sync after the title of one action was edited;
- ``before_cold_sync_s``: the same cold sync by the code of an earlier commit
  (``--before REF``, by default the commit before the parallel build), on a copy of the
  same workbook, in the same run; ``cold_speedup`` is the ratio of the two;
- ``tree_bytes`` / ``before_tree_bytes``: the bytes on disk (allocated blocks, every
  file once however many links it has) of the tree a cold sync shows, and
  ``tree_bytes_saved`` the share saved; ``kept_bytes`` / ``before_kept_bytes`` count
  everything the sync keeps beside it too (the spare generation, the cache);
- ``peak_rss_mb``: the highest peak resident memory of the read and sync phases (the
  syncing process); ``workers_peak_rss_mb`` the highest of one worker process and
  ``total_peak_rss_mb`` of the syncing process and all its workers together (both
  sampled from ``/proc`` every 0.2 s);
- ``sheets_requests_per_sync``: Sheets API requests of a steady-state sync, counted by
  the Sheets emulator of the test suite (real gspread and google-auth over HTTP);
- ``baseline_s``: with ``--naive-baseline`` only, the naive rebuild a user would
  otherwise script (``baseline.py``; six minutes at 5,000 actions), else ``null``;
- ``jobs`` and ``load_average``: the worker processes of the syncs (``--jobs``, by
  default every core, as ``campaign-sheets sync`` does) and the machine's one-minute
  load average before the run.

Each phase runs in a fresh Python process, as a scheduled ``campaign-sheets sync``
would: the timed part is the call itself (``read_tables`` or ``run_sync``) after the
package is imported, and a phase's ``ru_maxrss`` is its own peak, not hidden by
another phase's. PDF flyers (the optional ``pdf`` extra) are made only with
``--pdf``. With ``--json`` the last line printed is one JSON object with exactly the
keys above plus ``events``. ``measure`` and ``run_phase`` are used by ``cores.py`` and
``growth.py`` too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: The environment variable naming the package source a phase runs (an earlier commit's).
SRC_ENV = "CAMPAIGN_SHEETS_BENCH_SRC"
#: The environment variable giving a sync phase its ``jobs`` (unset: the sync's default).
JOBS_ENV = "CAMPAIGN_SHEETS_BENCH_JOBS"
#: The commit before the parallel build, the default of ``--before``.
BEFORE = "b5874db"
if __package__ in (None, ""):
    sys.path[:0] = [os.environ.get(SRC_ENV, str(ROOT / "src")), str(HERE)]

#: The keys of the ``--json`` line, besides ``events``.
KEYS = (
    "read_only_s", "cold_sync_s", "noop_sync_s", "one_change_sync_s",
    "before_cold_sync_s", "cold_speedup", "noop_to_read", "one_change_to_read",
    "peak_rss_mb", "workers_peak_rss_mb", "total_peak_rss_mb", "tree_bytes", "before_tree_bytes",
    "tree_bytes_saved", "tree_files",
    "kept_bytes", "before_kept_bytes", "sheets_requests_per_sync", "baseline_s",
    "jobs", "load_average",
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


#: How often the memory of a sync's worker processes is sampled.
SAMPLE_S = 0.2


class _MemorySampler:
    """Samples, every :data:`SAMPLE_S` seconds, the resident memory of this process's
    descendants (the fork server and the workers, read from ``/proc``): the highest
    total of this process and all of them, and the highest of one worker."""

    def __init__(self) -> None:
        self.total_kb = self.worker_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(SAMPLE_S):
            below = _descendants(me)
            sizes = [_rss_kb(pid) for pid in below]
            self.worker_kb = max([self.worker_kb, *sizes])
            self.total_kb = max(self.total_kb, _rss_kb(me) + sum(sizes))


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier}
        found += frontier
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


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
    jobs = {"jobs": int(os.environ[JOBS_ENV])} if os.environ.get(JOBS_ENV) else {}
    with _MemorySampler() as memory:
        timing, result = _timed(lambda: run_sync(config, XlsxSource(config.source), **jobs))
    return {
        "total_rss_mb": round(memory.total_kb / 1024, 1),
        "workers_rss_mb": round(memory.worker_kb / 1024, 1),
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
        jobs = {"jobs": int(os.environ[JOBS_ENV])} if os.environ.get(JOBS_ENV) else {}
        for _ in range(2):
            mark = len(emulator.requests())
            timing, _result = _timed(lambda: run_sync(config, source, **jobs))
            counts.append([r.kind for r in emulator.requests()[mark:]])
            seconds.append(timing["seconds"])
    finally:
        emulator.stop()
    return {"first": counts[0], "second": counts[1], "seconds": seconds}


PHASES: Mapping[str, Callable[[Path], dict[str, Any]]] = {
    "read": phase_read, "sync": phase_sync, "baseline": phase_baseline, "sheets": phase_sheets,
}


def run_phase(
    name: str, folder: Path, *, src: Path | None = None, jobs: int | None = None
) -> dict[str, Any]:
    """Run phase ``name`` in a fresh process (the package from ``src``, by default this
    tree's; syncs with ``jobs`` workers, by default the sync's own choice); its JSON
    answer plus its peak RSS. The children's peak (the workers') is ``workers_rss_mb``."""
    env = {**os.environ, TOKEN_ENV: "bench-members-token-0123456789"}
    env[SRC_ENV] = str(src or ROOT / "src")
    env.pop(JOBS_ENV, None)
    if jobs is not None:
        env[JOBS_ENV] = str(jobs)
    env["PYTHONPATH"] = os.pathsep.join(
        [env[SRC_ENV], str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]
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
    answer.setdefault("workers_rss_mb", 0.0)
    answer.setdefault("total_rss_mb", answer["rss_mb"])
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
    events: int, seed: int, folder: Path, say: Callable[[str], None], pdf: bool = False,
    *, jobs: int | None = None, before: str | None = BEFORE, naive: bool = False,
    sheets: bool = True,
) -> dict[str, Any]:
    """Every phase, in order; the figures and the per-phase details. ``before`` names
    the commit whose cold sync is measured on the same workbook (``None``: not measured);
    ``sheets`` measures the Sheets requests; ``naive`` runs ``baseline.py`` too."""
    load = os.getloadavg()[0]
    say(f"load average {os.getloadavg()}")
    if jobs is None:  # what ``campaign-sheets sync`` does: every core
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
    say(f"generating {events} actions: {prepare(folder, events, seed, pdf):.1f} s")
    details: dict[str, dict[str, Any]] = {}
    before_bytes: dict[str, int | None] = {"tree": None, "kept": None}
    if before is not None:
        details["before_cold_sync"], before_bytes = _before_cold_sync(folder, before, pdf)
        say(f"before_cold_sync ({before}): {_describe(details['before_cold_sync'])}")
    details["cold_sync"] = run_phase("sync", folder, jobs=jobs)
    say(f"cold_sync: {_describe(details['cold_sync'])}")
    tree = tree_usage(folder, "out")
    say(f"tree: {tree}")
    for label, phase in (("read_only", "read"), ("noop_sync", "sync")):
        details[label] = run_phase(phase, folder, jobs=jobs)
        say(f"{label}: {_describe(details[label])}")
    edited = edit_one_action(folder / "workbook.xlsx", events)
    details["one_change_sync"] = run_phase("sync", folder, jobs=jobs)
    say(f"one_change_sync ({edited} retitled): {_describe(details['one_change_sync'])}")
    if naive:
        details["baseline"] = run_phase("baseline", folder)
        say(f"baseline: {_describe(details['baseline'])}")
    if sheets:
        details["sheets"] = run_phase("sheets", folder, jobs=jobs)
        say(f"sheets: first sync {details['sheets']['first']}, "
            f"second {details['sheets']['second']}")
    seconds = {k: round(details[k]["seconds"], 3) for k in details if k != "sheets"}
    read = seconds["read_only"]
    figures = {
        "events": events,
        **{f"{k}_s": seconds.get(k) for k in
           ("read_only", "cold_sync", "noop_sync", "one_change_sync", "before_cold_sync",
            "baseline")},
        "cold_speedup": _ratio(seconds.get("before_cold_sync"), seconds["cold_sync"]),
        "noop_to_read": _ratio(seconds["noop_sync"], read),
        "one_change_to_read": _ratio(seconds["one_change_sync"], read),
        "peak_rss_mb": max(details[k]["rss_mb"] for k in
                           ("read_only", "cold_sync", "noop_sync", "one_change_sync")),
        "workers_peak_rss_mb": max(details[k]["workers_rss_mb"] for k in
                                   ("cold_sync", "noop_sync", "one_change_sync")),
        "total_peak_rss_mb": max(details[k]["total_rss_mb"] for k in
                                 ("cold_sync", "noop_sync", "one_change_sync")),
        "tree_bytes": tree["tree"], "before_tree_bytes": before_bytes["tree"],
        "tree_bytes_saved": (None if before_bytes["tree"] is None else
                             round(1 - tree["tree"] / before_bytes["tree"], 3)),
        "tree_files": tree["files"],
        "kept_bytes": tree["kept"], "before_kept_bytes": before_bytes["kept"],
        "sheets_requests_per_sync": len(details["sheets"]["second"]) if sheets else None,
        "jobs": jobs, "load_average": round(load, 2),
    }
    return {"figures": figures, "details": details}


def _ratio(top: float | None, bottom: float) -> float | None:
    return None if top is None else round(top / bottom, 2)


def _before_cold_sync(
    folder: Path, ref: str, pdf: bool
) -> tuple[dict[str, Any], dict[str, int | None]]:
    """The cold sync of commit ``ref`` (its ``src/`` exported by ``git archive``) on a
    copy of the workbook in ``folder/before``; its details and its tree's bytes."""
    code = folder / "before-code"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src", "templates", "config"],
        capture_output=True, check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    place = folder / "before"
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir()
    shutil.copy2(folder / "workbook.xlsx", place / "workbook.xlsx")
    (place / "events").write_text((folder / "events").read_text(encoding="utf-8"))
    (place / "config.toml").write_text(
        CONFIG.format(out="out", state="state.sqlite", token_env=TOKEN_ENV,
                      flyer_pdf=str(pdf).lower()), encoding="utf-8")
    detail = run_phase("sync", place, src=code / "src")
    usage = tree_usage(place, "out")
    return detail, {"tree": usage["tree"], "kept": usage["kept"]}


def tree_usage(folder: Path, name: str) -> dict[str, int]:
    """Bytes on disk of the tree shown at ``folder/name`` (allocated blocks, each inode
    once), its files, and the bytes of all a sync keeps there: every generation of
    the tree, the cache and the state."""
    shown = (folder / name).resolve()
    tree, files = _usage([shown])
    kept, _ = _usage([shown, *folder.glob(f".{name}.*"), folder / ".campaign-sheets-cache",
                      *folder.glob("state.sqlite*")])
    return {"tree": tree, "files": files, "kept": kept}


def _usage(roots: list[Path]) -> tuple[int, int]:
    seen: set[tuple[int, int]] = set()
    total = files = 0
    for root in roots:
        paths = [root] if root.is_file() else (p for p in root.rglob("*"))
        for path in paths:
            info = path.lstat()
            if (info.st_dev, info.st_ino) in seen or stat.S_ISDIR(info.st_mode):
                continue
            seen.add((info.st_dev, info.st_ino))
            total += info.st_blocks * 512
            files += 1
    return total, files


def _describe(detail: Mapping[str, Any]) -> str:
    shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in detail.items()}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--events N [--json] [--seed S] [--keep DIR] [--jobs N]
    [--before REF|none] [--naive-baseline] [--pdf]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--pdf", action="store_true",
                        help="make PDF flyers too (the pdf extra); by default none are made")
    parser.add_argument("--jobs", type=int, help="worker processes of the syncs "
                        "(by default every core, as campaign-sheets sync)")
    parser.add_argument("--before", default=BEFORE,
                        help=f"the commit whose cold sync is measured too (default {BEFORE}; "
                        "'none' to skip)")
    parser.add_argument("--naive-baseline", action="store_true",
                        help="run baseline.py, the naive rebuild, too")
    parser.add_argument("--phase", nargs=2, metavar=("NAME", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        _child(args.phase[0], Path(args.phase[1]))
        return 0
    options: dict[str, Any] = {
        "jobs": args.jobs, "before": None if args.before == "none" else args.before,
        "naive": args.naive_baseline,
    }
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = measure(args.events, args.seed, args.keep.resolve(), say, args.pdf, **options)
    else:
        with tempfile.TemporaryDirectory(prefix="campaign-bench-") as tmp:
            result = measure(args.events, args.seed, Path(tmp), say, args.pdf, **options)
    figures = result["figures"]
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key in ("events", *KEYS):
            print(f"{key:26} {figures[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
