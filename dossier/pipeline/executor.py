"""Rendering the parts whose key changed, and assembling the documents whose parts, numbering or manifest changed:
in worker processes (or inline with one job), longest first; each result recorded in the build state, each
failure reported (under the document a reader knows, not the part) without stopping the others."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.atomic import OutputError, write_output
from dossier.pipeline.assemble import Piece, assemble, page_count
from dossier.pipeline.jobs import RenderJob, run_job
from dossier.pipeline.progress import BuildResult, Progress
from dossier.pipeline.state import BuildState


@dataclass(frozen=True)
class Assembly:
    """Everything assembling one document takes (a worker receives it): its parts, its overlay, its manifest."""

    rel: str
    pieces: tuple[Piece, ...]
    overlay: Path | None
    manifest: bytes
    created: str
    key: str
    label: str = ""


def _write_job(job: RenderJob, out: Path) -> tuple[tuple[str, ...], int]:
    """Worker: render and write one part atomically; returns the engine's warnings about it, and its pages."""
    pdf, notes = run_job(job)
    write_output(out, job.rel, pdf)
    return notes, page_count(pdf)


def _write_assembly(task: Assembly, out: Path) -> tuple[tuple[str, ...], None]:
    """Worker: assemble and write one document atomically."""
    write_output(out, task.rel, assemble(list(task.pieces), task.overlay, task.manifest,
                                         date.fromisoformat(task.created)))
    return (), None


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
    """Renders parts whose key changed and assembles documents, in worker processes or inline; records the
    results in the state. ``owner``: for a part, the document its failures and the engine's warnings are told
    under."""

    def __init__(self, out: Path, state: BuildState, force: bool, executor: Executor | None,
                 progress: Progress, owner: dict[str, str] | None = None):
        self.out, self.state, self.force, self.executor, self.progress = out, state, force, executor, progress
        self.owner = owner or {}
        self.result = BuildResult()
        self.failed: set[str] = set()

    def fail(self, rel: str, reason: str | Exception) -> None:
        """Record and tell that ``rel``, an output a reader knows, was not written (once, whatever else of it
        failed too)."""
        if any(r == rel for r, _ in self.result.failed):
            return
        text = reason if isinstance(reason, str) else str(reason) if isinstance(reason, OutputError) else \
            f"{type(reason).__name__}: {reason}"
        self.result.failed.append((rel, text))
        self.progress.failed(rel, reason)

    def has_failed(self, rel: str) -> bool:
        """Whether ``rel`` (an output, or a part) was not written in this build."""
        return rel in self.failed or any(r == rel for r, _ in self.result.failed)

    def fresh(self, rel: str, key: str) -> bool:
        return not self.force and self.state.fresh(rel, key)

    def render(self, jobs: Sequence[RenderJob], counted: bool = True) -> None:
        """Render those of ``jobs`` whose key changed, longest first. ``counted``: each advances the progress bar
        (a front part rendered again while its page numbers settle does not)."""
        todo = [j for j in jobs if not self.fresh(j.rel, j.key())]
        if counted:
            self.progress.skip(len(jobs) - len(todo))
        todo.sort(key=lambda j: -len(j.html))  # the longest first, so they do not finish last
        self._run([(j.rel, j.key(), j.label, _write_job, j) for j in todo], counted, document=False)

    def assemble(self, tasks: Sequence[Assembly]) -> None:
        """Assemble those of ``tasks`` whose key changed; they are the outputs the summary counts."""
        todo = []
        for task in tasks:
            if self.fresh(task.rel, task.key):
                self.result.skipped.append(task.rel)
                self.progress.skip(1)
            else:
                todo.append(task)
        self._run([(t.rel, t.key, t.label, _write_assembly, t) for t in todo], True, document=True)

    def _run(self, todo: list[tuple[str, str, str, Callable, object]], counted: bool, document: bool) -> None:
        if self.executor is None:
            for rel, key, label, work, arg in todo:
                self.progress.start(rel, label)
                self._finish(rel, key, label, counted, document, lambda w=work, a=arg: w(a, self.out))
            return
        futures: list[tuple[str, str, str, Future]] = [
            (rel, key, label, self.executor.submit(work, arg, self.out)) for rel, key, label, work, arg in todo]
        for rel, key, label, future in futures:
            self._finish(rel, key, label, counted, document, future.result)

    def _finish(self, rel: str, key: str, label: str, counted: bool, document: bool, get) -> None:
        told = self.owner.get(rel, rel)
        try:
            notes, pages = get()
        except Exception as exc:  # one failed output must not stop the others
            self.failed.add(rel)
            self.state.forget(rel)
            if isinstance(exc, OutputError) and exc.path != f"{self.out.name}/{told}":
                # told under the document a reader knows, and where its part could not be kept
                exc = OutputError(f"{self.out.name}/{told}", f"{exc.reason} (at {exc.path})")
            self.fail(told, exc)
            return
        self.state.record(rel, key, pages)
        for note in notes:
            if (told, note) not in self.result.warnings:  # several parts of one document may say the same
                self.result.warnings.append((told, note))
                self.progress.warned(told, note)
        if document:
            self.result.rendered.append(rel)
            self.progress.done(rel, label)
        elif counted:
            self.progress.advance(label or rel)
