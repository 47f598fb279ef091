"""The contexts of the parts a build assembles into one document: the case dossier's exhibit index (where each
chapter shows an exhibit, under its brief's own number) and the completeness report's sections (one per
incident, and the warnings that concern no one incident)."""

from __future__ import annotations

from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.rendering.context import gap_view, make_meta
from dossier.rendering.exhibits import exhibit_numbers, make_exhibit
from dossier.rendering.labels import COUNT_LABELS, STATUS_SYMBOLS, TYPE_LABELS, grade, status_label
from dossier.rendering.records import (
    DOSSIER_SECTIONS,
    FIRST_GAPS,
    LINK_SCHEME,
    Appearance,
    IndexRow,
    MatrixCell,
    StatusCount,
    part_anchor,
)
from dossier.rendering.templates import (
    CompletenessHeadContext,
    CompletenessIncidentContext,
    CompletenessParts,
    CompletenessWarningsContext,
    IndexContext,
    MatrixRow,
)
from dossier.rendering.views import Gap


def index_context(case: Case, annexes: dict[str, tuple[dict[str, int], tuple[str, ...]]]) -> IndexContext:
    """The case dossier's exhibit index: every exhibit of the edition (in exhibit order) and where each chapter
    shows it under its brief's own number. ``annexes``: for each incident in date order, its brief's numbers
    and the items of its annex."""
    shown: dict[str, list[Appearance]] = {}
    for incident_id, (numbers, annex) in annexes.items():
        for item_id in annex:
            target = part_anchor(incident_id, f"exh-{item_id}")
            shown.setdefault(item_id, []).append(
                Appearance(incident_id, f"Exh. {numbers[item_id]}", f"{LINK_SCHEME}{target}"))
    order = exhibit_numbers(case)
    rows, unfiled = [], []
    for item_id in sorted(order, key=order.__getitem__):
        item = case.items[item_id]
        source = case.sources.get(item.source)
        rows.append(IndexRow(item_id, TYPE_LABELS[item.type],
                             f"{source.name if source else item.source}, {grade(source, item.credibility)}",
                             item.date.isoformat(), tuple(shown.get(item_id, ()))))
        if item_id not in shown:
            unfiled.append(make_exhibit(case, item, order[item_id]))
    return IndexContext(make_meta(case), tuple(rows), tuple(unfiled), DOSSIER_SECTIONS)


def completeness_parts(case: Case, assessment: Assessment) -> CompletenessParts:
    """The completeness report in its parts: each incident's matrix, gaps and warnings in a section of its own, so
    an edit re-renders the sections it changes; the head lists the gaps to close first across the case."""
    meta = make_meta(case)
    gaps: dict[str, list[Gap]] = {}
    for g in assessment.gaps:  # in priority order
        gaps.setdefault(g.incident, []).append(gap_view(g))
    warned: dict[str, list[str]] = {}
    case_wide = []
    for w in case.warnings:
        concerned = _incidents_of(case, w)
        if len(concerned) == 1:
            warned.setdefault(concerned[0], []).append(w.format())
        else:
            case_wide.append(w.format())
    sections = []
    for n, inc in enumerate(assessment.incidents):
        rows = tuple(MatrixRow(inc.id, inc.title, ch.norm, ch.applicable, ch.reason, tuple(
            MatrixCell(el.id, el.status, STATUS_SYMBOLS[el.status], status_label(el.status, el.basis))
            for el in ch.elements)) for ch in inc.charges)
        sections.append(CompletenessIncidentContext(
            meta, inc.id, f"inc-{inc.id}", inc.title, case.incidents[inc.id].when(), rows,
            tuple(gaps.get(inc.id, ())), tuple(warned.get(inc.id, ())), n == 0))
    counts = tuple(StatusCount(s, COUNT_LABELS[s], n) for s, n in assessment.counts().items())
    head = CompletenessHeadContext(meta, counts, tuple(gap_view(g) for g in assessment.gaps[:FIRST_GAPS]),
                                   len(assessment.gaps), len(case_wide))
    return CompletenessParts(meta, head, tuple(sections),
                             CompletenessWarningsContext(meta, tuple(case_wide), len(case.warnings)))


def _incidents_of(case: Case, warning) -> list[str]:
    """The incidents a warning concerns: those it names, and those of the item it is about."""
    found = {s for s in warning.subjects if s in case.incidents}
    item = case.items.get(warning.item) if warning.item else None
    if item is not None:
        found.update(i for i in item.incidents if i in case.incidents)
    return sorted(found)
