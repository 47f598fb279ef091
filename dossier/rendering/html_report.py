"""The completeness report as one self-contained HTML page (no external resources) a reviewer can filter."""

from __future__ import annotations

from dossier.models.loaded import Case
from dossier.models.results import Assessment, Patterns
from dossier.rendering.context import report_context
from dossier.rendering.templates import render


def report_html(case: Case, assessment: Assessment, patterns: Patterns) -> str:
    """The page, from the edition's view and its assessment (``patterns`` is kept for a richer page)."""
    return render(case.root, "report.html", report_context(case, assessment))
