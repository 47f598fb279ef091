"""Submissions to UN bodies in a build: for each, its view of the case (``session.submission``), the render job
of its PDF (the same machinery as the briefs: incremental by key, atomic, PDF/A with the manifest attached), and
for a CoI or IIIM submission the hand-over package written beside it:

    out/submissions/<id>/<id>.pdf
    out/submissions/<id>/exhibits/exh-NNN-<item>.<ext>   the exhibit files the submission cites
    out/submissions/<id>/manifest.json                   the manifest the PDF embeds
    out/submissions/<id>/custody.json                    the chain of custody of each item cited
    out/submissions/<id>/SHA256SUMS                      every file above, for `sha256sum -c SHA256SUMS`

A file left in a package folder by an earlier build that the package no longer holds (the exhibit of a witness
who withdrew consent, say) is removed. Also: the checks before sending (``checked``), with the word limit
counted on the rendered text.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from dossier.analysis.presend import presend_checks
from dossier.atomic import OutputError, is_output_file, write_output
from dossier.diagnostics import Diagnostic, InputError, UsageError, did_you_mean
from dossier.models.loaded import Case
from dossier.pipeline import session
from dossier.pipeline.documents import Document, Placed
from dossier.pipeline.jobs import RenderJob, _roots
from dossier.pipeline.manifest import canonical_sha256, make_manifest, manifest_bytes
from dossier.rendering.env import read_asset
from dossier.rendering.submission import package_files, submission_context, template_name, word_count
from dossier.rendering.submission_records import InvestigativeContext
from dossier.rendering.templates import render

FOLDER = "submissions"
PACKAGE_BODIES = ("coi", "iiim")


@dataclass
class SubmissionPlan:
    """One submission's outputs: the PDF (one part, its pages numbered by itself, the manifest attached), and the
    package files (path under the submission's folder -> bytes, or the exhibit file to copy)."""

    id: str
    document: Document
    words: int
    word_limit: int
    package: dict[str, bytes | Path] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.id}"

    @property
    def rel(self) -> str:
        """The PDF, under out/."""
        return self.document.rel

    @property
    def job(self) -> RenderJob:
        """The PDF's one part, as the engine renders it."""
        return self.document.parts[0].job


def prepare_submission(case: Case, submission_id: str) -> SubmissionPlan:
    """The render job and package of one submission, from its own view of the case."""
    sub = case.submissions[submission_id]
    seen = session.submission(case, submission_id)
    view = seen.case
    context = submission_context(view, seen.assessment, sub)
    html = render(case.root, template_name(sub), context)
    meta = context.meta  # type: ignore[attr-defined]
    cited = list(view.items)  # the view holds only the submission's incidents' items and the case-wide ones
    norms = {n for inc in sub.incidents for n in view.charges_of(view.incidents[inc])}
    manifest = make_manifest(view, "submission", sub.id, cited, norms, meta.build_date, sub.incidents)
    manifest["submission"] = {"id": sub.id, "body": sub.body, "sha256": canonical_sha256(sub)}
    data = manifest_bytes(manifest)
    job = RenderJob(view.edition, f"{sub.id}.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                    meta.build_date, f".parts/{FOLDER}", f"submission {sub.id}")
    document = Document(f"{FOLDER}/{sub.id}/{sub.id}.pdf", [Placed(job)], data, meta.build_date, numbered=False,
                        label=f"submission {sub.id}")
    plan = SubmissionPlan(sub.id, document, word_count(html), context.submission.word_limit)  # type: ignore[attr-defined]
    if sub.body in PACKAGE_BODIES and isinstance(context, InvestigativeContext):
        plan.package["manifest.json"] = data
        shipped = package_files(view, context.incidents)
        files = {item_id: name for item_id, name, _ in shipped}
        plan.package.update({name: path for _, name, path in shipped})
        custody, done = [], set()
        for ex in (ex for iv in context.incidents for ex in iv.exhibits):  # every item cited, with a file or not
            if ex.id in done:
                continue
            done.add(ex.id)
            item = view.items[ex.id]
            custody.append({"exhibit": ex.label, "item": ex.id, "file": files.get(ex.id),
                            "recorded_sha256": item.file.sha256 if item.file else None,
                            "chain_of_custody": [{"on": c.on.isoformat(), "held_by": c.by, "action": c.action,
                                                  "note": c.note} for c in item.chain_of_custody]})
        plan.package["custody.json"] = (json.dumps({"submission": sub.id, "items": custody}, ensure_ascii=False,
                                                   indent=1) + "\n").encode("utf-8")
    return plan


def checked(case: Case) -> Case:
    """The case with each submission's checks before sending added to its warnings. Raises InputError when a
    submission exceeds its word limit (counted on the text the body receives), with every problem found."""
    found: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for sub_id, sub in case.submissions.items():
        seen = session.submission(case, sub_id)
        found += case.case.keeps(presend_checks(case, seen.case, seen.assessment, sub))
        context = submission_context(seen.case, seen.assessment, sub)
        limit = context.submission.word_limit  # type: ignore[attr-defined]
        if limit:
            words = word_count(render(case.root, template_name(sub), context))
            if words > limit:
                field_ = "word_limit" if sub.word_limit is not None else "body"
                errors.append(Diagnostic(
                    "error", "word-limit", f"the submission has {words:,} words, over the limit of {limit:,} for "
                    f"{'a joint' if sub.joint else 'a'} {sub.body} submission: shorten the incidents' summaries, "
                    "or submit fewer incidents", case.loc("submission", sub_id, field_), field_, (sub_id,), sub_id))
    if errors:
        raise InputError(errors + [w for w in case.warnings] + found)
    if not found:
        return case
    return case.replace(warnings=tuple(sorted(case.warnings + tuple(found), key=Diagnostic.sort_key)))


def chosen(case: Case, submissions) -> list[str]:
    """The submissions a build makes: those named (each must exist), else every one."""
    for sub_id in submissions:
        if sub_id not in case.submissions:
            raise UsageError(f"unknown submission '{sub_id}'{did_you_mean(sub_id, case.submissions)}")
    return list(submissions) or sorted(case.submissions)


def plan_submissions(case: Case, ids: list[str]) -> tuple[list[SubmissionPlan], list[tuple[str, str]]]:
    """The plans of ``ids``, and those that could not be prepared (a broken template override) with the reason."""
    plans, failures = [], []
    for sub_id in ids:
        try:
            plans.append(prepare_submission(case, sub_id))
        except Exception as exc:  # one submission that cannot be prepared must not stop the others
            failures.append((f"{FOLDER}/{sub_id}/{sub_id}.pdf", f"{type(exc).__name__}: {exc}"))
    return plans, failures


def write_package(out: Path, plan: SubmissionPlan, force: bool) -> None:
    """Write a submission's package beside its PDF (after the PDF), then SHA256SUMS of all of it; remove what
    an earlier build left that the package no longer holds. Raises OutputError."""
    if not plan.package:
        return
    sums: dict[str, str] = {}
    pdf = out / plan.rel
    if is_output_file(pdf):
        sums[pdf.name] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    for rel, content in sorted(plan.package.items()):
        data = content if isinstance(content, bytes) else content.read_bytes()
        target = out / plan.folder / rel
        if force or not is_output_file(target) or target.read_bytes() != data:
            write_output(out, f"{plan.folder}/{rel}", data)
        sums[rel] = hashlib.sha256(data).hexdigest()
    text = "".join(f"{digest}  {rel}\n" for rel, digest in sorted(sums.items()))
    write_output(out, f"{plan.folder}/SHA256SUMS", text.encode("utf-8"))
    _remove_stale(out / plan.folder, {*sums, "SHA256SUMS"})


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Remove every file under ``folder`` not in ``keep`` (paths relative to it), following no link."""
    for top, _dirs, files, fd in os.fwalk(folder, follow_symlinks=False):
        rel_top = Path(top).relative_to(folder).as_posix()
        for name in files:
            rel = name if rel_top == "." else f"{rel_top}/{name}"
            if rel not in keep and not name.startswith(".tmp-"):
                try:
                    os.unlink(name, dir_fd=fd)
                except OSError as exc:
                    raise OutputError(f"{folder.parent.parent.name}/{FOLDER}/{folder.name}/{rel}",
                                      f"cannot remove a file the package no longer holds ({exc.strerror})") from None


