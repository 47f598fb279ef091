"""What a build will write, gathered before anything is written: for each edition, its view of the case
(through the session), each document (brief, case dossier, completeness report) as the parts it is assembled
from, and the data files.

``prepare_*`` (in jobs.py) are pure and cheap, so the whole plan is made in this process and each part's key
decides whether it is rendered at all. One output that cannot even be prepared (a broken template override)
is reported with its reason; the others go on.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dossier.models.loaded import Case
from dossier.pipeline import session
from dossier.pipeline.documents import Document, Placed, Where
from dossier.pipeline.jobs import (
    BriefPart,
    RenderJob,
    case_manifest,
    prepare_completeness_head,
    prepare_completeness_parts,
    prepare_dossier_front,
    prepare_dossier_index,
)
from dossier.pipeline.memo import BriefMemo, mentions
from dossier.rendering import context as ctx
from dossier.rendering import parts as part_views
from dossier.rendering.records import TocRow, part_anchor
from dossier.rendering.report import report_data, report_json
from dossier.rendering.templates import CompletenessParts, DossierContext

DOSSIER = "case-dossier.pdf"
COMPLETENESS = "completeness.pdf"


def plan(case: Case, editions, incidents, memo: BriefMemo | None = None) -> tuple[list[Document], dict[Path, str],
                                                                                  list[tuple[str, str]]]:
    """The documents of a build, the data files written directly, and the outputs that could not even be
    prepared (a broken template override, say) with the reason. Each brief is prepared from its scope (see
    memo.py), or read back from ``memo`` when its scope did not change."""
    memo = memo if memo is not None else BriefMemo(case.root / "out", None)
    documents: list[Document] = []
    data_files: dict[Path, str] = {}
    failures: list[tuple[str, str]] = []

    def attempt(rel: str, make, *args):
        """``make(*args)``, called now; an output that cannot be prepared must not stop the others."""
        try:
            return make(*args)
        except Exception as exc:
            failures.append((rel, f"{type(exc).__name__}: {exc}"))
            return None

    for edition in editions:
        seen = session.edition(case, edition)
        view, assessment, found = seen.case, seen.assessment, seen.patterns
        targets = incidents or [r.id for r in assessment.incidents]
        numbers = ctx.exhibit_numbers(view)  # once per edition, not once per brief
        links = mentions(view)
        briefs: dict[str, BriefPart] = {}
        for incident in targets:
            rel = f"{edition}/{incident}.pdf"
            part = attempt(rel, memo.brief, view, assessment, incident, numbers, links)
            if part is not None:
                briefs[incident] = part
                documents.append(Document(rel, [Placed(part.job)], part.manifest, part.job.build_date,
                                          label=f"{edition} brief {incident}"))
        if incidents:
            continue
        if len(briefs) == len(targets):  # else the dossier is not made: a brief it holds could not be prepared
            dossier = attempt(f"{edition}/{DOSSIER}", dossier_document, view, assessment, found, briefs)
            if dossier is not None:
                documents.append(dossier)
        else:
            failures.append((f"{edition}/{DOSSIER}", "a brief it holds could not be prepared"))
        report = attempt(f"{edition}/{COMPLETENESS}", completeness_document, view, assessment)
        if report is not None:
            documents.append(report)
        data_files[Path(edition) / "completeness.json"] = report_json(report_data(view, assessment, found))
    return documents, data_files, failures


def dossier_document(view: Case, assessment, found, briefs: dict[str, BriefPart]) -> Document:
    """The case dossier: its front, each incident's brief as a chapter (its anchors under its incident's id),
    the exhibit index."""
    context = ctx.dossier_context(view, assessment, found)
    annexes = {c.id: (briefs[c.id].numbers, briefs[c.id].annex) for c in context.chapters}
    index = prepare_dossier_index(view, part_views.index_context(view, annexes))
    parts = [Placed(briefs[c.id].job, c.id, nest=True) for c in context.chapters] + [Placed(index)]

    def front(own: Where, starts: list[int]) -> RenderJob:
        return prepare_dossier_front(view, dataclasses.replace(context, toc=_dossier_toc(context, own, starts)))

    build_date = context.meta.build_date
    return Document(f"{view.edition}/{DOSSIER}", parts, case_manifest(view, "case", build_date), build_date,
                    front=front, front_rel=f".parts/{view.edition}/front.pdf", label=f"{view.edition} case dossier",
                    guess=(6, {"summary": 2, "patterns": 3, "incidents": 5}))


def completeness_document(view: Case, assessment) -> Document:
    """The completeness report: its head, one section per incident, the case-wide warnings."""
    context = part_views.completeness_parts(view, assessment)
    parts = [Placed(job) for job in prepare_completeness_parts(view, context)]

    def front(own: Where, starts: list[int]) -> RenderJob:
        head = dataclasses.replace(context.head, toc=_completeness_toc(context, own, starts))
        return prepare_completeness_head(view, dataclasses.replace(context, head=head))

    build_date = context.meta.build_date
    return Document(f"{view.edition}/{COMPLETENESS}", parts, case_manifest(view, "completeness", build_date), build_date,
                    front=front, front_rel=f".parts/{view.edition}/completeness-head.pdf",
                    label=f"{view.edition} completeness report", guess=(2, {"first-gaps": 1}))


def _dossier_toc(context: DossierContext, own: Where, starts: list[int]) -> tuple[TocRow, ...]:
    """The dossier's contents: its chapters in the front (where their anchors fell), each incident's brief under
    the incidents and the exhibit index (where their parts start)."""
    here = {name: index + 1 for name, index in own[1].items()}
    s = context.sections
    rows = [TocRow(x.label, x.anchor, here.get(x.anchor, 0), 1) for x in (s.summary, s.patterns, s.incidents)]
    for c, page in zip(context.chapters, starts, strict=False):
        rows.append(TocRow(f"{c.when} · {c.title}", part_anchor(c.id, c.anchor), page, 2, here=False))
    rows.append(TocRow(s.exhibits.label, s.exhibits.anchor, starts[-1] if starts else 0, 1, here=False))
    return tuple(rows)


def _completeness_toc(context: CompletenessParts, own: Where, starts: list[int]) -> tuple[TocRow, ...]:
    """The report's contents: the gaps to close first, each incident's section with its counts, then the
    case-wide warnings."""
    rows = [TocRow("Gaps to close first", "first-gaps", own[1].get("first-gaps", -1) + 1, 1)]
    for inc, page in zip(context.incidents, starts, strict=False):
        counts = ctx.status_counts([cell for row in inc.rows if row.applicable for cell in row.cells])
        note = ", ".join(f"{c.n} {c.label.lower()}" for c in counts if c.n) or "no applicable charge"
        rows.append(TocRow(f"{inc.when} · {inc.title}", inc.anchor, page, 2, here=False, note=note))
    rows.append(TocRow("Warnings that concern no one incident", "case-warnings", starts[-1] if starts else 0, 1,
                       here=False))
    return tuple(rows)
