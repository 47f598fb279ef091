"""`dossier build`: prepare every output, render the changed ones in parallel, write them atomically.

First gather all data, then write: the case is loaded and filtered per edition
once; each output's exact engine inputs are prepared in this process and hashed;
only outputs whose hash changed (or whose file is missing) go to the PDF engine,
in worker processes. A failed output does not stop the others.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from dossier.analysis.completeness import assess
from dossier.analysis.editions import apply_edition
from dossier.analysis.patterns import patterns
from dossier.build.atomic import clean_temporaries, write_bytes_atomic, write_text_atomic
from dossier.build.render import RenderJob, prepare_brief, prepare_completeness, prepare_dossier, run_job
from dossier.build.state import load_state, save_state
from dossier.diagnostics import UsageError, did_you_mean
from dossier.loading.case import Case
from dossier.rendering.report import report_data, report_json


@dataclass
class BuildResult:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def _write_job(job: RenderJob, out: Path) -> str:
    """Worker: render and write one output atomically; returns its relative path."""
    write_bytes_atomic(out / job.edition / job.name, run_job(job))
    return f"{job.edition}/{job.name}"


def plan(case: Case, editions, incidents) -> tuple[list[RenderJob], dict[Path, str]]:
    """The render jobs of a build, and the small data files written directly."""
    jobs: list[RenderJob] = []
    data_files: dict[Path, str] = {}
    for edition in editions:
        view = apply_edition(case, edition)
        assessment = assess(view)
        targets = incidents or [r.id for r in assessment.incidents]
        jobs.extend(prepare_brief(view, assessment, i) for i in targets)
        if not incidents:
            found = patterns(view)
            jobs.append(prepare_dossier(view, assessment, found))
            jobs.append(prepare_completeness(view, assessment))
            data_files[Path(edition) / "completeness.json"] = report_json(report_data(view, assessment, found))
    return jobs, data_files


def run_build(case: Case, editions, incidents, jobs: int | None, force: bool, quiet: bool) -> bool:
    """Build the outputs; True when every output was written."""
    started = time.monotonic()
    for incident in incidents:
        if incident not in case.incidents:
            raise UsageError(f"unknown incident '{incident}'{did_you_mean(incident, case.incidents)}")
    out = case.root / "out"
    out.mkdir(exist_ok=True)
    clean_temporaries(out)
    render_jobs, data_files = plan(case, list(editions), list(incidents))
    for rel, text in data_files.items():
        path = out / rel
        if force or not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
    state = {} if force else load_state(out)
    result = BuildResult()
    todo = []
    for job in render_jobs:
        rel = f"{job.edition}/{job.name}"
        key = job.key()
        if state.get(rel) == key and (out / rel).is_file():
            result.skipped.append(rel)
        else:
            todo.append((job, key))
    todo.sort(key=lambda jk: -len(jk[0].html))  # longest first, so the big dossiers do not finish last
    keys = {f"{j.edition}/{j.name}": k for j, k in todo}
    progress = _Progress(len(render_jobs), len(result.skipped), quiet)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    try:
        if workers == 1 or len(todo) <= 1:
            for job, _ in todo:
                progress.start(f"{job.edition}/{job.name}")
                _finish(result, state, keys, out, job, lambda j=job: _write_job(j, out), progress)
        else:
            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = {pool.submit(_write_job, job, out): job for job, _ in todo}
                for future in as_completed(futures):
                    job = futures[future]
                    _finish(result, state, keys, out, job, future.result, progress)
    finally:
        save_state(out, state)
        result.seconds = time.monotonic() - started
        progress.close(result)
    return not result.failed


def _finish(result: BuildResult, state: dict, keys: dict, out: Path, job: RenderJob, get, progress) -> None:
    rel = f"{job.edition}/{job.name}"
    try:
        get()
    except Exception as exc:  # one failed output must not stop the others
        result.failed.append((rel, f"{type(exc).__name__}: {exc}"))
        state.pop(rel, None)
        progress.failed(rel, exc)
        return
    result.rendered.append(rel)
    state[rel] = keys[rel]
    progress.done(rel)


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise, nothing with --quiet."""

    def __init__(self, total: int, skipped: int, quiet: bool):
        self.quiet, self.bar, self.task = quiet, None, None
        self.total, self.skipped = total, skipped
        if quiet:
            return
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("[bold]building[/bold]"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("{task.description}"), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total, completed=skipped)

    def start(self, rel: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=rel)

    def done(self, rel: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=rel)
        elif not self.quiet:
            print(f"rendered out/{rel}", file=sys.stderr)

    def failed(self, rel: str, exc: Exception) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1)
        print(f"out/{rel}: error: could not render: {type(exc).__name__}: {exc}", file=sys.stderr)

    def close(self, result: BuildResult) -> None:
        if self.bar is not None:
            self.bar.stop()
        if not self.quiet or result.failed:
            line = (f"built {len(result.rendered)} rendered, {len(result.skipped)} unchanged, "
                    f"{len(result.failed)} failed in {result.seconds:.1f} s")
            print(line, file=sys.stderr)
