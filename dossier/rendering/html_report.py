"""The completeness report as one self-contained HTML page (no external resources) a reviewer can filter."""

from __future__ import annotations

from dossier.models.results import Assessment, Patterns
from dossier.models.loaded import Case
from dossier.rendering import context as ctx
from dossier.rendering.env import render


def report_html(case: Case, assessment: Assessment, patterns: Patterns) -> str:
    numbers = ctx.exhibit_numbers(case)
    incidents = tuple(ctx.make_incident_view(case, assessment, r.id, numbers) for r in assessment.incidents)
    completeness = ctx.completeness_context(case, assessment)
    norms = sorted({ch.norm for inc in incidents for ch in inc.charges})
    return render(case.root, "report.html", meta=completeness.meta, incidents=incidents, gaps=completeness.gaps,
                  warnings=completeness.warnings, counts=completeness.counts, norms=norms,
                  statuses=tuple(ctx.STATUS_LABELS.items()))
