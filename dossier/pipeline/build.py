"""`dossier build`: under the workspace's lock, plan every output, render the changed ones, assemble the
case dossiers, save the state. First gather all data, then write; a failed output does not stop the others.
"""

from __future__ import annotations

import time
from pathlib import Path

from dossier.analysis.editions import may_show
from dossier.analysis.submission_view import submission_view
from dossier.atomic import OutputError, check_folders, clean_temporaries, is_output_file, write_output
from dossier.console import echo
from dossier.diagnostics import Diagnostic, InputError, UsageError, did_you_mean
from dossier.models.loaded import Case
from dossier.pipeline.documents import build_documents
from dossier.pipeline.executor import Renderer, start_workers
from dossier.pipeline.lock import build_lock
from dossier.pipeline.memo import BriefMemo
from dossier.pipeline.plan import plan
from dossier.pipeline.progress import Progress
from dossier.pipeline.state import STATE_FILE, load_state, save_state
from dossier.pipeline.submissions import FOLDER, plan_submissions, write_package


def changed_exhibits(case: Case, editions, submissions=()) -> list[Diagnostic]:
    """Errors for the exhibit files, shown in one of ``editions`` or ``submissions``, whose bytes differ from the
    sha256 on record: no output may embed, cite or hand over such a file until the change is reviewed and the hash
    updated."""
    shown = {item_id for edition in editions for item_id, item in case.items.items() if may_show(item, edition)}
    shown |= {item_id for sub in submissions for item_id in submission_view(case, sub).items}
    return [Diagnostic("error", "hash-mismatch",
                       f"{w.message}; nothing is built with it until the change is reviewed: if the new file is the "
                       "right one (a face-blurred copy, say), record its hash with `dossier hash --update`",
                       w.location, w.field, w.subjects, w.item)
            for w in case.warnings if w.code == "hash-mismatch" and shown.intersection(w.subjects)]


def run_build(case: Case, editions, incidents, jobs: int | None, force: bool, quiet: bool,
              wait: bool = False, submissions=()) -> bool:
    """Build the outputs; True when every output was written. Holds the workspace's build lock throughout;
    raises OutputError when another build holds it (unless ``wait``) or out/ cannot be written safely, and
    InputError when an exhibit shown in these editions no longer matches its recorded hash."""
    refused = changed_exhibits(case, editions, submissions)
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
        check_folders(out, [*editions, ".parts", *(f".parts/{e}" for e in editions),
                            *([FOLDER, f".parts/{FOLDER}"] if submissions else []),
                            *(f"{FOLDER}/{s}" for s in submissions)])
        clean_temporaries(out)
        return _run_locked(case, out, list(editions), list(incidents), jobs, force, quiet, started,
                           list(submissions))


def _run_locked(case: Case, out: Path, editions: list[str], incidents: list[str], jobs: int | None, force: bool,
                quiet: bool, started: float, submissions: list[str]) -> bool:
    """The build itself, once the lock is held and out/'s folders are known to be no links."""
    state = load_state(out)  # kept with --force too: what is not rebuilt now stays reusable
    memo = BriefMemo(out, state, read=not force)
    documents, data_files, unprepared = plan(case, editions, incidents, memo)
    sub_plans, sub_unprepared = plan_submissions(case, submissions)
    documents += [p.document for p in sub_plans]
    failures: list[tuple[str, str | OutputError]] = [*unprepared, *sub_unprepared]
    for rel, text in data_files.items():
        data = text.encode("utf-8")
        if force or not is_output_file(out / rel) or (out / rel).read_bytes() != data:
            try:
                write_output(out, rel.as_posix(), data)
            except OutputError as exc:  # reported with the others; the PDFs are still tried
                failures.append((rel.as_posix(), exc))
    memo.save()  # the briefs prepared anew, kept for the next build (after the files a reader opens)
    executor = start_workers(jobs)
    parts = {p.job.rel for d in documents for p in d.parts}
    progress = Progress(len(parts) + sum(1 for d in documents if d.front) + len(documents), quiet)
    owner: dict[str, str] = {}
    for doc in documents:  # a part is told under the first document that holds it (a brief's, under the brief)
        for p in doc.parts:
            owner.setdefault(p.job.rel, doc.rel)
        if doc.front_rel:
            owner.setdefault(doc.front_rel, doc.rel)
    renderer = Renderer(out, state, force, executor, progress, owner)
    for rel, reason in failures:
        state.forget(rel)  # tried again next time
        renderer.fail(rel, reason)
    try:
        build_documents(renderer, documents)
        for sub in sub_plans:
            if renderer.has_failed(sub.rel):
                continue  # no package beside a PDF that was not written
            try:
                write_package(out, sub, force)
            except OutputError as exc:
                renderer.fail(f"{sub.folder}/", exc)
    finally:
        if executor is not None:
            executor.shutdown()
        try:
            save_state(state)
        except OutputError as exc:  # a full disk: the outputs written stand; the next build renders again
            renderer.fail(STATE_FILE, exc)
        renderer.result.seconds = time.monotonic() - started
        progress.close(renderer.result)
    return not renderer.result.failed
