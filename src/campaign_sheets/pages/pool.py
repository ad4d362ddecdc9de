"""The per-action work of a page build, in worker processes when there are some.

Each job is one action: its files in every tree it appears in, so its QR codes are
drawn once for both trees. Jobs go to the workers (:mod:`campaign_sheets.workers`) a
batch at a time, with the renderer, and come back in the order they were given; an
event's files are a pure function of its inputs, so the published tree is the same
byte for byte whatever the number of workers. Only a few batches are in flight at a
time: the files of a large tree never wait in memory for the publisher.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from ..workers import Workers
from .event_files import EventInputs, EventRenderer, RenderedFile, event_files

#: One part of a job: the tree's number, the event's inputs there, the names not to render.
Part = tuple[int, EventInputs, frozenset[str]]
#: One job: the parts of one action; its result, each part's files.
Job = tuple[Part, ...]
JobResult = list[list[RenderedFile]]

#: Actions sent to a worker at a time: enough to make a message worth its cost.
BATCH = 16
#: Below this many actions to render, the workers' start costs more than it saves.
PARALLEL_FROM = 64


def render_job(renderer: EventRenderer, job: Job) -> JobResult:
    """The files of one action, in every tree of the job."""
    return [event_files(renderer, tree, inputs, skip) for tree, inputs, skip in job]


def render_jobs(
    renderer: EventRenderer, jobs: Sequence[Job], workers: Workers | None
) -> Iterator[JobResult]:
    """Each job's files, in the order of ``jobs``: rendered by ``workers`` when there
    are more than one and enough jobs to be worth it, else here."""
    if workers is None or workers.count <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield render_job(renderer, job)
        return
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    for done in workers.in_order(partial(render_batch, renderer), batches):
        yield from done


def render_batch(renderer: EventRenderer, batch: Sequence[Job]) -> list[JobResult]:
    """The files of a batch of actions (what a worker is given)."""
    return [render_job(renderer, job) for job in batch]
