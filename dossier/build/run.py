"""`dossier build`: prepare every output, render the changed ones in parallel, write them atomically.

First gather all data, then write: the case is loaded and filtered per edition
once; each output's exact engine inputs are prepared in this process and hashed;
only outputs whose hash changed (or whose file is missing) go to the PDF engine,
in worker processes. The case dossier is assembled from cached parts (see
``assemble.py``). A failed output does not stop the others.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dossier.analysis.completeness import assess
from dossier.analysis.editions import apply_edition, may_show
from dossier.analysis.patterns import patterns
from dossier.build.assemble import assemble, page_anchors, parts_key
from dossier.build.atomic import OutputError, check_folders, clean_temporaries, is_output_file, write_output
from dossier.build.lock import build_lock
from dossier.build.render import (RenderJob, prepare_brief, prepare_completeness, prepare_dossier_front,
                                  prepare_dossier_parts, prepare_page_numbers, run_job)
from dossier.build.state import STATE_FILE, BuildState, load_state, save_state
from dossier.console import echo
from dossier.diagnostics import Diagnostic, InputError, UsageError, did_you_mean
from dossier.loading.case import Case
from dossier.rendering import context as ctx
from dossier.rendering.report import report_data, report_json

DOSSIER = "case-dossier.pdf"


@dataclass
class DossierPlan:
    """One edition's case dossier: its view of the case, its context, and the parts after the front."""

    view: Case
    context: ctx.DossierContext
    parts: list[RenderJob]

    @property
    def rel(self) -> str:
        return f"{self.view.edition}/{DOSSIER}"


@dataclass
class BuildResult:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def _write_job(job: RenderJob, out: Path) -> str:
    """Worker: render and write one output atomically; returns its path under out/."""
    write_output(out, job.rel, run_job(job))
    return job.rel


def plan(case: Case, editions, incidents) -> tuple[list[RenderJob], list[DossierPlan], dict[Path, str],
                                                  list[tuple[str, str]]]:
    """The render jobs of a build, the case dossiers to assemble, the data files written directly, and the
    outputs that could not even be prepared (a broken template override, say) with the reason."""
    jobs: list[RenderJob] = []
    dossiers: list[DossierPlan] = []
    data_files: dict[Path, str] = {}
    failures: list[tuple[str, str]] = []

    def attempt(rel: str, make):
        try:
            return make()
        except Exception as exc:  # one output that cannot be prepared must not stop the others
            failures.append((rel, f"{type(exc).__name__}: {exc}"))
            return None

    for edition in editions:
        view = apply_edition(case, edition)
        assessment = assess(view)
        targets = incidents or [r.id for r in assessment.incidents]
        numbers = ctx.exhibit_numbers(view)  # once per edition, not once per brief
        for incident in targets:
            job = attempt(f"{edition}/{incident}.pdf", lambda i=incident: prepare_brief(view, assessment, i, numbers))
            if job is not None:
                jobs.append(job)
        if incidents:
            continue
        found = patterns(view)

        def dossier_plan():
            context = ctx.dossier_context(view, assessment, found)
            return DossierPlan(view, context, prepare_dossier_parts(view, context))

        dossier = attempt(f"{edition}/{DOSSIER}", dossier_plan)
        if dossier is not None:
            dossiers.append(dossier)
        job = attempt(f"{edition}/completeness.pdf", lambda: prepare_completeness(view, assessment))
        if job is not None:
            jobs.append(job)
        data_files[Path(edition) / "completeness.json"] = report_json(report_data(view, assessment, found))
    return jobs, dossiers, data_files, failures


class _Renderer:
    """Renders jobs whose key changed, in worker processes or inline; records results in the state."""

    def __init__(self, out: Path, state: BuildState, force: bool, executor: Executor | None, progress):
        self.out, self.state, self.force, self.executor, self.progress = out, state, force, executor, progress
        self.result = BuildResult()
        self.failed: set[str] = set()

    def fresh(self, job: RenderJob) -> bool:
        return not self.force and self.state.fresh(job.rel, job.key())

    def render(self, jobs: list[RenderJob], outputs: list[RenderJob] = ()) -> None:
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
                self.progress.start(job.rel)
                self._finish(job, job.rel in counted, lambda j=job: _write_job(j, self.out))
            return
        futures: list[tuple[RenderJob, Future]] = [(j, self.executor.submit(_write_job, j, self.out)) for j in todo]
        for job, future in futures:
            self._finish(job, job.rel in counted, future.result)

    def _finish(self, job: RenderJob, count: bool, get) -> None:
        try:
            get()
        except Exception as exc:  # one failed output must not stop the others
            self.failed.add(job.rel)
            self.state.forget(job.rel)
            self.result.failed.append((job.rel, str(exc) if isinstance(exc, OutputError) else
                                       f"{type(exc).__name__}: {exc}"))
            self.progress.failed(job.rel, exc)
            return
        self.state.record(job.rel, job.key())
        if count:
            self.result.rendered.append(job.rel)
            self.progress.done(job.rel)


def changed_exhibits(case: Case, editions) -> list[Diagnostic]:
    """Errors for the exhibit files, shown in one of ``editions``, whose bytes differ from the sha256 on record:
    no output may embed or cite such a file until the change is reviewed and the hash updated."""
    shown = {item_id for edition in editions for item_id, item in case.items.items() if may_show(item, edition)}
    return [Diagnostic("error", "hash-mismatch",
                       f"{w.message}; nothing is built with it until the change is reviewed: if the new file is the "
                       "right one (a face-blurred copy, say), record its hash with `dossier hash --update`",
                       w.location, w.field, w.subjects)
            for w in case.warnings if w.code == "hash-mismatch" and shown.intersection(w.subjects)]


def run_build(case: Case, editions, incidents, jobs: int | None, force: bool, quiet: bool,
              wait: bool = False) -> bool:
    """Build the outputs; True when every output was written. Holds the workspace's build lock throughout;
    raises OutputError when another build holds it (unless ``wait``) or out/ cannot be written safely, and
    InputError when an exhibit shown in these editions no longer matches its recorded hash."""
    refused = changed_exhibits(case, editions)
    if refused:
        raise InputError(refused)
    for incident in incidents:
        if incident not in case.incidents:
            raise UsageError(f"unknown incident '{incident}'{did_you_mean(incident, case.incidents)}")
    out = case.root / "out"

    def waiting(holder: str) -> None:
        if not quiet:
            echo(f"waiting for another build ({holder}) to finish writing {out.name}/", err=True)

    with build_lock(out, wait, waiting):
        started = time.monotonic()  # the summary's time is the build's, not the wait for another one
        # a symbolic link on the way to a folder the build writes is refused before anything is rendered
        check_folders(out, [*editions, ".parts", *(f".parts/{e}" for e in editions)])
        clean_temporaries(out)
        return _run_locked(case, out, list(editions), list(incidents), jobs, force, quiet, started)


def _run_locked(case: Case, out: Path, editions: list[str], incidents: list[str], jobs: int | None, force: bool,
                quiet: bool, started: float) -> bool:
    """The build itself, once the lock is held and out/'s folders are known to be no links."""
    render_jobs, dossiers, data_files, unprepared = plan(case, editions, incidents)
    failures: list[tuple[str, str | OutputError]] = list(unprepared)
    for rel, text in data_files.items():
        data = text.encode("utf-8")
        if force or not is_output_file(out / rel) or (out / rel).read_bytes() != data:
            try:
                write_output(out, rel.as_posix(), data)
            except OutputError as exc:  # reported with the others; the PDFs are still tried
                failures.append((rel.as_posix(), exc))
    state = load_state(out)  # kept with --force too: what is not rebuilt now stays reusable
    workers = max(1, jobs or os.cpu_count() or 1)
    executor = None
    if workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        # start the workers now, before the progress bar's thread exists: forking beside a running
        # thread can copy a lock it holds into the children
        executor.submit(os.getpid).result()
    progress = _Progress(len(render_jobs) + len(dossiers), quiet)
    renderer = _Renderer(out, state, force, executor, progress)
    for rel, reason in failures:
        state.forget(rel)  # tried again next time
        renderer.result.failed.append((rel, str(reason)))
        progress.failed(rel, reason)
    try:
        renderer.render([p for d in dossiers for p in d.parts], outputs=render_jobs)
        _build_dossiers(renderer, dossiers)
    finally:
        if executor is not None:
            executor.shutdown()
        try:
            save_state(state)
        except OutputError as exc:  # a full disk: the outputs written stand; the next build renders again
            renderer.result.failed.append((STATE_FILE, str(exc)))
            progress.failed(STATE_FILE, exc)
        renderer.result.seconds = time.monotonic() - started
        progress.close(renderer.result)
    return not renderer.result.failed


def _build_dossiers(renderer: _Renderer, dossiers: list[DossierPlan]) -> None:
    """Render each dossier's front part with the contents' page numbers, then assemble what changed."""
    out = renderer.out
    ready = []
    for dossier in dossiers:
        if any(p.rel in renderer.failed for p in dossier.parts):
            renderer.result.failed.append((dossier.rel, "a part of the dossier could not be rendered"))
            renderer.progress.failed(dossier.rel, "a part of the dossier could not be rendered")
        else:
            ready.append(dossier)
    parts = {d.rel: [page_anchors(out / p.rel) for p in d.parts] for d in ready}
    fronts: dict[str, RenderJob] = {}
    guesses: dict[str, tuple[int, dict[str, int]]] = {}
    for dossier in ready:
        path = out / f".parts/{dossier.view.edition}/front.pdf"
        guesses[dossier.rel] = _anchors_or_guess(path)
    unsettled = list(ready)
    for _attempt in range(4):  # the contents' numbers depend on the front's own length: converge
        if not unsettled:
            break
        for dossier in unsettled:
            toc = _toc(dossier.context, guesses[dossier.rel], parts[dossier.rel])
            fronts[dossier.rel] = prepare_dossier_front(dossier.view, dataclasses.replace(dossier.context, toc=toc))
        renderer.render([fronts[d.rel] for d in unsettled])
        still = []
        for dossier in unsettled:
            front = fronts[dossier.rel]
            if front.rel in renderer.failed:
                continue
            actual = page_anchors(out / front.rel)
            if actual != guesses[dossier.rel]:
                guesses[dossier.rel] = actual
                still.append(dossier)
        unsettled = still
    numbers = {}
    for dossier in ready:
        front = fronts.get(dossier.rel)
        if front is None or front.rel in renderer.failed:
            renderer.result.failed.append((dossier.rel, "the front part could not be rendered"))
            continue
        total = guesses[dossier.rel][0] + sum(n for n, _ in parts[dossier.rel])
        numbers[dossier.rel] = prepare_page_numbers(total, front.build_date)
    renderer.render(list({j.rel: j for j in numbers.values()}.values()))
    for dossier in ready:
        if dossier.rel in numbers:
            _assemble(renderer, dossier, fronts[dossier.rel], numbers[dossier.rel])


def _assemble(renderer: _Renderer, dossier: DossierPlan, front: RenderJob, numbers: RenderJob) -> None:
    out, rel = renderer.out, dossier.rel
    if numbers.rel in renderer.failed:
        renderer.result.failed.append((rel, "the page numbers could not be rendered"))
        return
    key = parts_key(front.key(), numbers.key(), *(p.key() for p in dossier.parts))
    if not renderer.force and renderer.state.fresh(rel, key):
        renderer.result.skipped.append(rel)
        renderer.progress.skip(1)
        return
    renderer.progress.start(rel)
    try:
        write_output(out, rel, assemble(out / front.rel, [out / p.rel for p in dossier.parts], out / numbers.rel))
    except Exception as exc:  # noqa: BLE001 - reported, the build goes on
        renderer.result.failed.append((rel, str(exc) if isinstance(exc, OutputError) else
                                       f"{type(exc).__name__}: {exc}"))
        renderer.progress.failed(rel, exc)
        return
    renderer.state.record(rel, key)
    renderer.result.rendered.append(rel)
    renderer.progress.done(rel)


def _anchors_or_guess(path: Path) -> tuple[int, dict[str, int]]:
    """The front part's page count and anchors from its last rendering, a first guess if it is absent or damaged
    (it is rendered again either way when the contents' numbers change)."""
    try:
        return page_anchors(path) if is_output_file(path) else _FIRST_GUESS
    except Exception:  # noqa: BLE001 - a damaged part is only a worse guess
        return _FIRST_GUESS


_FIRST_GUESS = (6, {"summary": 2, "patterns": 3})


def _toc(context: ctx.DossierContext, front: tuple[int, dict[str, int]],
         parts: list[tuple[int, dict[str, int]]]) -> tuple[tuple[str, str, int, int], ...]:
    """Contents rows (label, anchor, page, level) from where each anchor landed in its part."""
    where: dict[str, int] = {name: index + 1 for name, index in front[1].items()}
    offset = front[0]
    for count, anchors in parts:
        for name, index in anchors.items():
            where.setdefault(name, offset + index + 1)
        offset += count
    rows = [("1. The case", "summary", 1), ("2. Pattern analysis", "patterns", 1),
            ("3. The incidents", "incidents", 1)]
    rows += [(f"{inc.when} · {inc.title}", inc.anchor, 2) for inc in context.incidents]
    rows.append(("4. Exhibit index", "exhibits", 1))
    return tuple((label, anchor, where.get(anchor, 0), level) for label, anchor, level in rows)


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise, nothing with --quiet.

    Every line goes through ``console.echo``: a failure's reason quotes exception text, which can hold
    values from the workspace (a template name, a file name). While the bar runs, rich shows those lines
    above it."""

    def __init__(self, total: int, quiet: bool):
        self.quiet, self.bar, self.task = quiet, None, None
        if quiet:
            return
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("[bold]building[/bold]"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("{task.description}"), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def skip(self, n: int) -> None:
        if self.bar is not None and n:
            self.bar.update(self.task, advance=n)

    def start(self, rel: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=rel)

    def done(self, rel: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=rel)
        elif not self.quiet:
            echo(f"rendered out/{rel}", err=True)

    def failed(self, rel: str, exc: Exception | str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1)
        if isinstance(exc, OutputError):  # it names the file or folder itself: out/un/X.pdf: error: cannot write...
            echo(str(exc), err=True)
            return
        reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        echo(f"out/{rel}: error: could not render: {reason}", err=True)

    def close(self, result: BuildResult) -> None:
        if self.bar is not None:
            self.bar.stop()
        if not self.quiet or result.failed:
            line = (f"built {len(result.rendered)} rendered, {len(result.skipped)} unchanged, "
                    f"{len(result.failed)} failed in {result.seconds:.1f} s")
            echo(line, err=True)
