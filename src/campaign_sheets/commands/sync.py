"""``campaign-sheets sync``: read, validate, build, publish atomically, write back."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ..core.config import Config
from ..core.errors import BuildFailed, PublishRefused, SourceError, error_text
from ..core.problems import Severity, render_message
from ..sync import SyncResult, run_sync
from ..workers import default_jobs
from .common import add_config_options, config_from_args, print_problems, sources_from_config


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sync``."""
    parser = sub.add_parser(
        "sync",
        help="build and publish every output from the sheet",
        description="Read the sheet once, validate it, build the calendar feeds, pages, "
        "flyers, QR codes and reports, publish them atomically into the output folder, and "
        "write blank IDs and the 集計 tab back. Rows with errors are left out (they keep "
        "their last published version): exit status 1.",
    )
    add_config_options(parser)
    parser.add_argument("--out", help="output folder (default: public/)")
    parser.add_argument("--templates", type=Path,
                        help="folder of templates overriding the bundled ones")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change, write nothing")
    parser.add_argument("--force", action="store_true",
                        help="publish even when more than half of the events would vanish")
    parser.add_argument("--every", type=float, metavar="MINUTES",
                        help="keep syncing every MINUTES until stopped")
    parser.add_argument("--quiet", action="store_true", help="print only problems and errors")
    parser.add_argument("--jobs", type=_jobs, default=default_jobs(), metavar="N",
                        help="worker processes for pages, QR codes and reports "
                             "(default: the cores, %(default)s here; 1: none)")
    parser.set_defaults(run=run)


def _jobs(text: str) -> int:
    """A number of worker processes: a whole number, at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def run(args: argparse.Namespace) -> int:
    """Exit 0 when all rows were published, 1 when any row had an error or publishing
    was refused or the source could not be read."""
    config = config_from_args(args)
    if args.templates:
        config = config.with_overrides(templates=args.templates.resolve())
    if args.every:
        return _run_forever(config, args)
    return _run_once(config, args, sys.stdout)


def _run_once(config: Config, args: argparse.Namespace, out: TextIO) -> int:
    lang = config.lang
    progress = _progress(lang) if sys.stderr.isatty() and not args.quiet else None
    try:
        result = run_sync(
            config, sources_from_config(config), dry_run=args.dry_run, force=args.force,
            progress=progress, jobs=args.jobs,
        )
    except (SourceError, PublishRefused, BuildFailed) as exc:
        print(f"campaign-sheets: {error_text(exc, lang)}", file=sys.stderr)
        return 1
    print_problems(list(result.problems), "text", lang, sys.stderr)
    if not args.quiet:
        for line in summary_lines(result, config):
            print(line, file=out)
    return 1 if result.has_errors else 0


def summary_lines(result: SyncResult, config: Config) -> list[str]:
    """The short summary a person reads after a sync."""
    lang = config.lang
    errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
    c, pub = result.changes, result.publish
    lines = [render_message("sync.summary", {
        "events": result.events, "added": len(c.added), "changed": len(c.changed),
        "cancelled": len(c.cancelled), "removed": len(c.removed),
        "written": len(pub.added) + len(pub.changed), "unchanged": len(pub.unchanged),
        "deleted": len(pub.removed), "errors": errors,
        "warnings": len(result.problems) - errors,
    }, lang)]
    if result.dry_run:
        lines.append(render_message("sync.dry_run", {}, lang))
        lines += [f"  + {p}" for p in pub.added] + [f"  ~ {p}" for p in pub.changed]
        lines += [f"  - {p}" for p in pub.removed]
    if not result.members_tree:
        lines.append(render_message(
            "sync.no_members_token", {"env": config.members.token_env}, lang))
    if result.kept_last_good:
        lines.append(render_message("sync.kept_last_good", {
            "count": len(result.kept_last_good), "ids": ", ".join(result.kept_last_good)}, lang))
    if result.write is not None:
        written, skipped = len(result.write.written), len(result.write.skipped)
        if written:
            lines.append(render_message("sync.ids_assigned", {"count": written}, lang))
        if skipped:
            lines.append(render_message("sync.ids_skipped", {"count": skipped}, lang))
        if result.write.rollup_written:
            lines.append(render_message("sync.rollup_written", {}, lang))
    if not config.write_back:
        lines.append(render_message("sync.example_read_only", {}, lang))
    lines.append(render_message("sync.out", {"out": config.out}, lang))
    return lines


def _progress(lang: str) -> Callable[[str], None]:
    started = time.monotonic()

    def show(stage: str) -> None:
        print(f"[{time.monotonic() - started:5.1f}s] {stage}…", file=sys.stderr, flush=True)

    return show


def _run_forever(config: Config, args: argparse.Namespace) -> int:
    """Sync every ``--every`` minutes; a failed sync (network, quota, a refused publish)
    is reported and retried at the next turn, so one bad moment never stops the loop.

    SIGTERM (``systemctl stop``, ``kill``) stops it like Ctrl-C (SIGINT): exit 0. A turn
    cut short is safe: the tree, the state store and the workbook are each replaced
    atomically.
    """
    interval = max(args.every, 0.05) * 60
    previous = _stop_on_sigterm()
    try:
        while True:
            started = time.monotonic()
            try:
                _run_once(config, args, sys.stdout)
            except Exception as exc:
                print(render_message("sync.retry", {
                    "error": error_text(exc, config.lang), "minutes": args.every,
                }, config.lang), file=sys.stderr)
            sys.stdout.flush()
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm() -> Any:
    """Make SIGTERM raise :class:`KeyboardInterrupt` (as SIGINT does); the handler it
    replaced, or ``None`` outside the main thread where handlers cannot be set."""
    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, interrupt)
