"""The per-action work of a build over every core: worker processes render events,
the one process that publishes takes their files in order.

Each job is one action: its files in every tree it appears in, so its QR codes are
drawn once for both trees. Results come back in the order the jobs were given, and
an event's files are a pure function of its inputs, so the published tree is the
same byte for byte whatever the number of workers. Only a few batches are in flight
at a time: the files of a large tree never wait in memory for the publisher.

Workers start from a fork server that has imported this module (and so jinja2,
qrcode, numpy) once; nothing is inherited from the syncing process but what is sent
(``fork`` would copy its threads' locks). A worker that dies (killed, out of memory)
stops the build with :class:`~campaign_sheets.core.errors.BuildFailed`: nothing is
published, the last good tree stays, and the next sync builds again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..core.errors import BuildFailed
from .event_files import EventInputs, EventRenderer, RenderedFile, event_files

#: One part of a job: the tree's number, the event's inputs there, the names not to render.
Part = tuple[int, EventInputs, frozenset[str]]
#: One job: the parts of one action; its result, each part's files.
Job = tuple[Part, ...]
JobResult = list[list[RenderedFile]]

#: Actions sent to a worker at a time: enough to make a message worth its cost.
BATCH = 16
#: Batches in flight per worker: the workers never wait, the memory stays small.
AHEAD = 3
#: Below this many actions to render, starting workers costs more than it saves.
PARALLEL_FROM = 64

_renderer: EventRenderer | None = None


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def render_job(renderer: EventRenderer, job: Job) -> JobResult:
    """The files of one action, in every tree of the job."""
    return [event_files(renderer, tree, inputs, skip) for tree, inputs, skip in job]


def render_jobs(
    renderer: EventRenderer, jobs: Sequence[Job], workers: int
) -> Iterator[JobResult]:
    """Each job's files, in the order of ``jobs``; with ``workers`` > 1 (and enough
    jobs to be worth it) rendered by that many worker processes."""
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield render_job(renderer, job)
        return
    yield from _in_workers(renderer, jobs, workers)


def _in_workers(
    renderer: EventRenderer, jobs: Sequence[Job], workers: int
) -> Iterator[JobResult]:
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    workers = min(workers, len(batches))
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start, initargs=(renderer,)
    )
    waiting: deque[Future[list[JobResult]]] = deque()
    try:
        upcoming = iter(batches)
        for batch in upcoming:
            waiting.append(pool.submit(_render_batch, batch))
            if len(waiting) >= workers * AHEAD:
                break
        while waiting:
            done = waiting.popleft().result()
            for batch in upcoming:
                waiting.append(pool.submit(_render_batch, batch))
                break
            yield from done
    except BrokenProcessPool as exc:
        raise BuildFailed("pages.worker_died", {"detail": str(exc)}) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (Linux, macOS), else fresh interpreters."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # the server imports the renderer once; each worker is a fork of it
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _start(renderer: EventRenderer) -> None:
    global _renderer
    _renderer = renderer


def _render_batch(batch: Sequence[Job]) -> list[JobResult]:
    assert _renderer is not None, "the worker was started without its renderer"
    return [render_job(_renderer, job) for job in batch]
