"""Rendering the jobs whose key changed: in worker processes (or inline with one job), longest first; each
result recorded in the build state, each failure reported without stopping the others."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

from dossier.atomic import OutputError, write_output
from dossier.pipeline.jobs import RenderJob, run_job
from dossier.pipeline.progress import BuildResult, Progress
from dossier.pipeline.state import BuildState


def _write_job(job: RenderJob, out: Path) -> tuple[str, ...]:
    """Worker: render and write one output atomically; returns the engine's warnings about it."""
    pdf, notes = run_job(job)
    write_output(out, job.rel, pdf)
    return notes


def start_workers(jobs: int | None) -> Executor | None:
    """A pool of ``jobs`` worker processes (default: one per core), or None to render inline."""
    workers = max(1, jobs or os.cpu_count() or 1)
    if workers == 1:
        return None
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    # start the workers now, before the progress bar's thread exists: forking beside a running
    # thread can copy a lock it holds into the children
    executor.submit(os.getpid).result()
    return executor


class Renderer:
    """Renders jobs whose key changed, in worker processes or inline; records results in the state."""

    def __init__(self, out: Path, state: BuildState, force: bool, executor: Executor | None,
                 progress: Progress):
        self.out, self.state, self.force, self.executor, self.progress = out, state, force, executor, progress
        self.result = BuildResult()
        self.failed: set[str] = set()

    def fresh(self, job: RenderJob) -> bool:
        return not self.force and self.state.fresh(job.rel, job.key())

    def render(self, jobs: list[RenderJob], outputs: Sequence[RenderJob] = ()) -> None:
        """Render those of ``jobs`` and ``outputs`` that changed, longest first; only ``outputs`` (files a
        user reads, not dossier parts) are counted in the summary."""
        counted = {j.rel for j in outputs}
        everything = list(jobs) + list(outputs)
        todo = [j for j in everything if not self.fresh(j)]
        fresh_outputs = [j.rel for j in outputs if j not in todo]
        self.result.skipped.extend(fresh_outputs)
        self.progress.skip(len(fresh_outputs))
        todo.sort(key=lambda j: -len(j.html))  # the longest first, so they do not finish last
        if self.executor is None:
            for job in todo:
                self.progress.start(job.rel, job.label)
                self._finish(job, job.rel in counted, lambda j=job: _write_job(j, self.out))
            return
        futures: list[tuple[RenderJob, Future]] = [(j, self.executor.submit(_write_job, j, self.out)) for j in todo]
        for job, future in futures:
            self._finish(job, job.rel in counted, future.result)

    def _finish(self, job: RenderJob, count: bool, get) -> None:
        try:
            notes = get()
        except Exception as exc:  # one failed output must not stop the others
            self.failed.add(job.rel)
            self.state.forget(job.rel)
            self.result.failed.append((job.rel, str(exc) if isinstance(exc, OutputError) else
                                       f"{type(exc).__name__}: {exc}"))
            self.progress.failed(job.rel, exc)
            return
        self.state.record(job.rel, job.key())
        for note in notes:
            self.result.warnings.append((job.rel, note))
            self.progress.warned(job.rel, note)
        if count:
            self.result.rendered.append(job.rel)
            self.progress.done(job.rel, job.label)
