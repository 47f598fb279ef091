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
from dossier.rendering.records import (
    ChapterRow,
    DossierSections,
    Exhibit,
    IndexRow,
    MatrixCell,
    Meta,
    StatusCount,
    TocRow,
)
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
    """``dossier-front.html``: the case dossier's cover, contents, the case, the patterns, and the page that opens
    its incidents (each incident's chapter is the pages of its brief)."""

    meta: Meta
    """The case and the edition."""
    summary: str
    """The case's summary, or ""."""
    patterns: PatternView
    """The patterns across incidents."""
    chapters: tuple[ChapterRow, ...]
    """Every incident, in date order: its chapter's heading in the contents."""
    counts: tuple[StatusCount, ...]
    """How many applicable elements have each status, over the case."""
    sections: DossierSections
    """The dossier's chapters: headings and anchors."""
    toc: tuple[TocRow, ...] = ()
    """The contents, with page numbers once the chapters are rendered (empty until then)."""


@dataclass(frozen=True)
class IndexContext:
    """``dossier-index.html``: the case dossier's exhibit index, and the exhibits no chapter shows."""

    meta: Meta
    """The case and the edition."""
    rows: tuple[IndexRow, ...]
    """Every exhibit of the edition, in the order of the incidents that first cite them."""
    unfiled: tuple[Exhibit, ...]
    """The exhibits shown in no incident's brief (a case-wide item no analysis cites), shown in full here."""
    sections: DossierSections
    """The dossier's chapters: headings and anchors."""


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
class CompletenessHeadContext:
    """``completeness-head.html``: the report's cover, its counts, the gaps to close first, and its contents."""

    meta: Meta
    """The case and the edition."""
    counts: tuple[StatusCount, ...]
    """How many applicable elements have each status."""
    first_gaps: tuple[Gap, ...]
    """The gaps to close first across the case (at most ``FIRST_GAPS``), in priority order."""
    gaps: int
    """How many gaps the case has in all (each incident's section lists its own)."""
    case_warnings: int
    """How many warnings concern no one incident (the last section lists them)."""
    toc: tuple[TocRow, ...] = ()
    """The contents, one row per incident with its counts, with page numbers once the parts are rendered."""


@dataclass(frozen=True)
class CompletenessIncidentContext:
    """``completeness-incident.html``: one incident's section of the completeness report."""

    meta: Meta
    """The case and the edition."""
    id: str
    """The incident's id."""
    anchor: str
    """Its section's anchor (the contents link to it)."""
    title: str
    """Its title."""
    when: str
    """Its date, in words."""
    rows: tuple[MatrixRow, ...]
    """Its norms and the status of each element."""
    gaps: tuple[Gap, ...]
    """Its gaps, in priority order."""
    warnings: tuple[str, ...]
    """The warnings that concern it (an item of it, the incident file), as printed."""
    first: bool
    """Whether it opens the incidents' sections."""


@dataclass(frozen=True)
class CompletenessWarningsContext:
    """``completeness-warnings.html``: the warnings that concern no one incident (the case, sources, norms, an
    item of several incidents or of none)."""

    meta: Meta
    """The case and the edition."""
    warnings: tuple[str, ...]
    """Those warnings, as printed."""
    total: int
    """How many warnings the edition has in all."""


@dataclass(frozen=True)
class CompletenessParts:
    """The completeness report of an edition as the build assembles it (not itself rendered): its head, one
    section per incident, the case-wide warnings."""

    meta: Meta
    """The case and the edition."""
    head: CompletenessHeadContext
    """Cover, counts, first gaps, contents."""
    incidents: tuple[CompletenessIncidentContext, ...]
    """One section per incident, in date order."""
    case_wide: CompletenessWarningsContext
    """The warnings no incident's section shows."""


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
    "dossier-index.html": IndexContext,
    "completeness-head.html": CompletenessHeadContext,
    "completeness-incident.html": CompletenessIncidentContext,
    "completeness-warnings.html": CompletenessWarningsContext,
    "report.html": ReportContext,
    "submission-special_procedures.html": SpecialProceduresContext,
    "submission-coi.html": InvestigativeContext,
    "submission-iiim.html": InvestigativeContext,
    "submission-mrm.html": MrmContext,
    "submission-upr.html": UprContext,
    "submission-treaty_body.html": TreatyBodyContext,
}
"""Every template rendered as a document, with the context record it receives. (``_macros.html``,
``_head.html``, ``_dossier_open.html``, ``_completeness_open.html`` and ``_submission.html`` are included by
them.)"""


def render(root: Path | None, name: str, context: object) -> str:
    """Render template ``name`` (the workspace's own first) with the fields of ``context`` as its variables."""
    expected = TEMPLATES[name]
    if not isinstance(context, expected):
        raise TypeError(f"{name} is rendered from a {expected.__name__}, not a {type(context).__name__}")
    variables = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}  # type: ignore[arg-type]
    return environment(tuple(template_dirs(root))).get_template(name).render(**variables)
