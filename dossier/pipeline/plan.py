"""What a build will write, gathered before anything is written: for each edition, its view of the case
(through the session), the render job of every brief and report, the case dossier's parts, the data files.

``prepare_*`` (in jobs.py) are pure and cheap, so the whole plan is made in this process and each job's key
decides whether it is rendered at all. One output that cannot even be prepared (a broken template override)
is reported with its reason; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.models.loaded import Case
from dossier.pipeline import session
from dossier.pipeline.jobs import RenderJob, prepare_brief, prepare_completeness, prepare_dossier_parts
from dossier.rendering import context as ctx
from dossier.rendering.report import report_data, report_json
from dossier.rendering.templates import DossierContext

DOSSIER = "case-dossier.pdf"


@dataclass
class DossierPlan:
    """One edition's case dossier: its view of the case, its context, and the parts after the front."""

    view: Case
    context: DossierContext
    parts: list[RenderJob]

    @property
    def rel(self) -> str:
        return f"{self.view.edition}/{DOSSIER}"


def plan(case: Case, editions, incidents) -> tuple[list[RenderJob], list[DossierPlan], dict[Path, str],
                                                  list[tuple[str, str]]]:
    """The render jobs of a build, the case dossiers to assemble, the data files written directly, and the
    outputs that could not even be prepared (a broken template override, say) with the reason."""
    jobs: list[RenderJob] = []
    dossiers: list[DossierPlan] = []
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
        for incident in targets:
            job = attempt(f"{edition}/{incident}.pdf", prepare_brief, view, assessment, incident, numbers)
            if job is not None:
                jobs.append(job)
        if incidents:
            continue
        dossier = attempt(f"{edition}/{DOSSIER}", _dossier_plan, view, assessment, found)
        if dossier is not None:
            dossiers.append(dossier)
        job = attempt(f"{edition}/completeness.pdf", prepare_completeness, view, assessment)
        if job is not None:
            jobs.append(job)
        data_files[Path(edition) / "completeness.json"] = report_json(report_data(view, assessment, found))
    return jobs, dossiers, data_files, failures


def _dossier_plan(view: Case, assessment, found) -> DossierPlan:
    context = ctx.dossier_context(view, assessment, found)
    return DossierPlan(view, context, prepare_dossier_parts(view, context))
