"""What each template receives, and the one way to render it: a registry of templates, each with the context
record it is rendered from, and :func:`render`.

Templates are looked up in the workspace's ``templates/`` first, then the built-in ones (``env.py``); every
field of the context record becomes a variable of the template, and nothing else does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from dossier.rendering.env import environment, template_dirs
from dossier.rendering.records import DossierSections, Exhibit, MatrixCell, Meta, StatusCount, TocRow
from dossier.rendering.submission_records import (
    InvestigativeContext,
    MrmContext,
    SpecialProceduresContext,
    TreatyBodyContext,
    UprContext,
)
from dossier.rendering.views import Gap, IncidentView, PatternView


@dataclass(frozen=True)
class BriefContext:
    """``brief.html``: one incident's brief."""

    meta: Meta
    """The case and the edition."""
    incident: IncidentView
    """The incident."""


@dataclass(frozen=True)
class DossierContext:
    """``dossier-front.html``: the case dossier's cover, contents, the case and the patterns (the chapters
    and the exhibit parts are rendered from the records below it)."""

    meta: Meta
    """The case and the edition."""
    summary: str
    """The case's summary, or ""."""
    patterns: PatternView
    """The patterns across incidents."""
    incidents: tuple[IncidentView, ...]
    """Every incident, in date order."""
    exhibits: tuple[Exhibit, ...]
    """Every exhibit of the edition, in exhibit order."""
    counts: tuple[StatusCount, ...]
    """How many applicable elements have each status, over the case."""
    sections: DossierSections
    """The dossier's chapters: headings and anchors."""
    toc: tuple[TocRow, ...] = ()
    """The contents, with page numbers once the chapters are rendered (empty until then)."""


@dataclass(frozen=True)
class ChapterContext:
    """``dossier-chapter.html``: one incident's chapter of the case dossier."""

    meta: Meta
    """The case and the edition."""
    inc: IncidentView
    """The incident."""
    first: bool
    """Whether it is the first chapter (it opens the incidents' part)."""
    sections: DossierSections
    """The dossier's chapters: headings and anchors."""


@dataclass(frozen=True)
class IndexContext:
    """``dossier-index.html``: the case dossier's exhibit index."""

    meta: Meta
    """The case and the edition."""
    exhibits: tuple[Exhibit, ...]
    """Every exhibit, in exhibit order."""
    sections: DossierSections
    """The dossier's chapters: headings and anchors."""


@dataclass(frozen=True)
class ExhibitsContext:
    """``dossier-exhibits.html``: the exhibits filed under one incident in the case dossier."""

    meta: Meta
    """The case and the edition."""
    incident: IncidentView
    """The incident they are filed under."""
    exhibits: tuple[Exhibit, ...]
    """The exhibits, in exhibit order."""


@dataclass(frozen=True)
class MatrixRow:
    """One incident and norm of the completeness matrix."""

    incident: str
    """The incident's id."""
    incident_title: str
    """Its title."""
    norm: str
    """The norm's id."""
    applicable: bool
    """Whether the norm applies."""
    reason: str
    """Why it applies or not."""
    cells: tuple[MatrixCell, ...]
    """Each element's status."""


@dataclass(frozen=True)
class CompletenessContext:
    """``completeness.html``: the matrix, the gaps in priority order, the warnings."""

    meta: Meta
    """The case and the edition."""
    rows: tuple[MatrixRow, ...]
    """The matrix."""
    gaps: tuple[Gap, ...]
    """The gaps."""
    warnings: tuple[str, ...]
    """Every warning of the edition, as printed."""
    counts: tuple[StatusCount, ...]
    """How many applicable elements have each status."""


@dataclass(frozen=True)
class ReportContext:
    """``report.html``: the completeness report as one page a reviewer can filter."""

    meta: Meta
    """The case and the edition."""
    incidents: tuple[IncidentView, ...]
    """Every incident, with its analysis."""
    gaps: tuple[Gap, ...]
    """The gaps."""
    warnings: tuple[str, ...]
    """Every warning of the edition, as printed."""
    counts: tuple[StatusCount, ...]
    """How many applicable elements have each status."""
    norms: tuple[str, ...]
    """The norms charged anywhere, for the filter."""
    statuses: tuple[StatusCount, ...]
    """Each status with its label, for the filter (``n`` unused)."""


TEMPLATES: dict[str, type] = {
    "brief.html": BriefContext,
    "dossier-front.html": DossierContext,
    "dossier-chapter.html": ChapterContext,
    "dossier-index.html": IndexContext,
    "dossier-exhibits.html": ExhibitsContext,
    "completeness.html": CompletenessContext,
    "report.html": ReportContext,
    "submission-special_procedures.html": SpecialProceduresContext,
    "submission-coi.html": InvestigativeContext,
    "submission-iiim.html": InvestigativeContext,
    "submission-mrm.html": MrmContext,
    "submission-upr.html": UprContext,
    "submission-treaty_body.html": TreatyBodyContext,
}
"""Every template rendered as a document, with the context record it receives. (``_macros.html``,
``_head.html``, ``_dossier_open.html`` and ``_submission.html`` are included by them.)"""


def render(root: Path | None, name: str, context: object) -> str:
    """Render template ``name`` (the workspace's own first) with the fields of ``context`` as its variables."""
    expected = TEMPLATES[name]
    if not isinstance(context, expected):
        raise TypeError(f"{name} is rendered from a {expected.__name__}, not a {type(context).__name__}")
    variables = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}  # type: ignore[arg-type]
    return environment(tuple(template_dirs(root))).get_template(name).render(**variables)
