"""Worker processes for the per-action work of a build, on every core.

One pool serves a whole sync: the report files (pandas, matplotlib, the report
workbook) are made in one worker while the others render pages, and the syncing
process takes the results in order and publishes them. Workers start from a fork
server that has imported the page renderer once; each task brings what it needs,
so nothing is inherited from the syncing process (``fork`` would copy the locks of
its threads). On platforms without a fork server, fresh interpreters are started.

A worker that dies (killed, out of memory) makes :meth:`Workers.result` raise
:class:`~campaign_sheets.core.errors.BuildFailed`: nothing has been published then,
the last good tree stays, and the next sync builds again.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, TypeVar

from .core.errors import BuildFailed

T = TypeVar("T")
R = TypeVar("R")

#: Modules the fork server imports once (the page renderer, the sync's tasks, the report
#: workbook's writer), so that a new worker starts at once and its tasks import nothing.
PRELOAD = ["campaign_sheets.pages.pool", "campaign_sheets.sync",
           "campaign_sheets.rollup.report_xlsx"]
#: Tasks in flight per worker when results are taken in order.
AHEAD = 3


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Workers:
    """Up to ``count`` worker processes, started when the first task comes."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> Workers:
        """Have the fork server begin importing the page renderer now (about half a
        second), while this process goes on: begun before the build, that import is
        done by the time the first task starts a worker. The pool itself starts its
        workers as tasks come, as it would."""
        if _context().get_start_method() == "forkserver":
            multiprocessing.forkserver.ensure_running()
        return self

    def submit(self, call: Callable[..., R], *args: Any) -> Future[R]:
        """Run ``call(*args)`` in a worker."""
        pool = self._executor()
        # pickled here, in this thread: the pool pickles in a feeder thread of its own
        # while this process goes on building, and a cache the build fills meanwhile
        # (places looked up, renderings) would change under it
        task = pickle.dumps((call, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            return pool.submit(_run_pickled, task)
        except BrokenProcessPool as exc:
            raise _failed(exc) from exc

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.count, mp_context=_context(), initializer=watch_parent,
                initargs=(os.getpid(),))
        return self._pool

    def result(self, future: Future[R]) -> R:
        """What a task returned (its error, raised here); :class:`BuildFailed` when its
        worker died."""
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise _failed(exc) from exc

    def in_order(self, call: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``call(item)`` for each item, run in the workers a few at a time, the results
        in the order of the items."""
        waiting: deque[Future[R]] = deque()
        pending = iter(items)
        for item in pending:
            waiting.append(self.submit(call, item))
            if len(waiting) >= self.count * AHEAD:
                break
        while waiting:
            done = self.result(waiting.popleft())
            for item in pending:
                waiting.append(self.submit(call, item))
                break
            yield done

    def close(self) -> None:
        """Stop the workers (tasks not started are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _run_pickled(task: bytes) -> Any:
    """In a worker: the call and arguments :meth:`Workers.submit` pickled, run."""
    call, args = pickle.loads(task)
    return call(*args)


def watch_parent(syncing: int) -> None:
    """In a worker: leave as soon as the syncing process ``syncing`` is gone.

    A sync killed with SIGKILL cannot stop its workers, and its fork server outlives
    it: a worker's own parent is that server, so it is the syncing process that is
    watched. Left running, a worker would finish its task and write into the cache
    folder of a sync nobody waits for any more (while the folder is restored or
    removed), then wait for tasks forever.
    """
    threading.Thread(target=_leave_with, args=(syncing,), name="parent-watch",
                     daemon=True).start()


def _leave_with(syncing: int) -> None:
    try:
        # Linux: a descriptor that becomes readable the moment the process ends
        handle = os.pidfd_open(syncing)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
        os._exit(1)
    while _alive(syncing):
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: How often a worker looks whether the syncing process is still there (without pidfd).
_WATCH_SECONDS = 0.5


def _failed(exc: BaseException) -> BuildFailed:
    return BuildFailed("sync.worker_died", {"detail": str(exc) or type(exc).__name__})


def _context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (Linux, macOS), else fresh interpreters."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")
