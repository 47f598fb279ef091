"""Builders of the template context (``views.py``): from an edition's view of the case and what analysis found
on it, every label, number, rounding, ordering and chart a template prints."""

from __future__ import annotations

from datetime import UTC, datetime, time

from markupsafe import Markup

from dossier import __version__
from dossier.models import Incident
from dossier.models.item import WitnessStatement
from dossier.models.loaded import Case
from dossier.models.results import Assessment, ChargeResult, ElementResult, Patterns
from dossier.models.submission import out_of_mandate
from dossier.rendering import charts
from dossier.rendering.alleged import human_rights_engaged, perpetrator_lines, victim_lines, victim_text
from dossier.rendering.dates import DATE_WORDS, build_date, dated
from dossier.rendering.exhibits import citation, exhibit_numbers, make_exhibit
from dossier.rendering.labels import (
    COUNT_LABELS,
    CRIME_BASE_NOTE,
    EDITION_MARKINGS,
    EDITION_TITLES,
    MEANS_LABELS,
    REPORTING_KINDS,
    STANDARD_LABELS,
    STANDARD_NOTES,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    TYPE_LABELS,
    basis_text,
    long_date,
    medical_words,
    pattern_opening,
    status_label,
    unassessed,
)
from dossier.rendering.records import (
    DOSSIER_SECTIONS,
    ChapterRow,
    ChronologyRow,
    Meta,
    NotifiedRow,
    PartyRow,
    RepeatRow,
    Row,
    StatusCount,
)
from dossier.rendering.templates import BriefContext, DossierContext, ReportContext
from dossier.rendering.views import (
    AttributionView,
    ChargeView,
    ElementView,
    Gap,
    IncidentView,
    InferenceView,
    PatternView,
    UnSummary,
)

__all__ = ["DATE_WORDS", "brief_context", "build_date", "dated", "dossier_context", "exhibit_numbers",
           "make_exhibit", "make_incident_view", "make_meta", "report_context"]


def threshold_text(case: Case) -> str:
    return case.case.threshold().phrase()


def make_meta(case: Case) -> Meta:
    c = case.case
    day, date_of = dated(case)
    return Meta(
        program=f"dossier {__version__}", case_id=c.id, case_title=c.title, prepared_by=c.prepared_by or "",
        language=c.language, edition=case.edition, edition_title=EDITION_TITLES[case.edition],
        marking=EDITION_MARKINGS[case.edition], build_date=day.isoformat(), build_date_long=long_date(day),
        build_date_note=DATE_WORDS[date_of][1], date_of=date_of,
        date_words=f"{DATE_WORDS[date_of][0]} {long_date(day)}",
        standard=c.standard_of_proof, standard_label=STANDARD_LABELS[c.standard_of_proof],
        standard_note=STANDARD_NOTES[c.standard_of_proof], threshold_text=threshold_text(case),
        classification=("Non-international armed conflict (NIAC)" if c.conflict.classification == "NIAC"
                        else "International armed conflict (IAC)"),
        conflict_description=c.conflict.description or "", withheld=case.withheld,
        parties=tuple(PartyRow(p.id, p.name, ", ".join(p.treaties) or "none recorded") for p in c.parties),
    )


def _basis_text(case: Case, el: ElementResult) -> str:
    finding = el.assessment.finding if el.assessment else ""
    not_shown = bool(el.assessment and el.assessment.on_material_not_shown)
    return basis_text(el.status, el.basis, el.screen or el.status, STANDARD_LABELS[case.case.standard_of_proof],
                      finding, not_shown, case.edition)


def _reasoning(el: ElementResult) -> str:
    a = el.assessment
    if a is None or el.basis != "assessment" or a.on_material_not_shown:
        return ""
    return a.reasoning + (f" (assessed on {a.on})" if a.on else "")


def _element_view(case: Case, numbers: dict[str, int], norm: str, el: ElementResult) -> ElementView:
    notes = {(i, s): n for i, s, n in el.notes}
    supporting = tuple(citation(case, numbers, i, notes.get((i, "supports"), "")) for i in el.supporting)
    kinds = {case.sources[case.items[i].source].kind for i in el.supporting if case.items[i].source in case.sources}
    return ElementView(
        ref=f"{norm}/{el.id}", id=el.id, text=el.text.strip(), kind=el.kind, status=el.status,
        status_label=status_label(el.status, el.basis), symbol=STATUS_SYMBOLS[el.status], supporting=supporting,
        contradicting=tuple(citation(case, numbers, i, notes.get((i, "contradicts"), "")) for i in el.contradicting),
        independent_sources=el.independent_sources, explanation=el.explanation,
        inferences=tuple(InferenceView(f"Exh. {numbers[x.item]}", f"exh-{x.item}", x.reason, x.caveat)
                         for x in el.inferences),
        suggested=tuple(TYPE_LABELS[t].lower() for t in el.suggested_types)
        if el.status != "established" and el.needed else (),
        reporting_only=bool(kinds) and kinds <= REPORTING_KINDS,
        basis=el.basis, basis_text=_basis_text(case, el), reasoning=_reasoning(el), needed=el.needed,
        alternative=el.alternative,
    )


def _attribution_view(case: Case, numbers: dict[str, int], el: ElementResult) -> AttributionView:
    parties = {p.id: p.name for p in case.case.parties}
    notes = {(i, s): n for i, s, n in el.notes}
    label = {"established": "Attribution established (counsel)" if el.basis == "assessment" else
             "Attribution corroborated on the screen", "partial": "Attribution not established: partly supported",
             "contested": "Attribution contested", "missing": "Attribution not established: no item attributes it"}
    return AttributionView(
        el.id, parties.get(el.id, el.id), el.status, label[el.status], STATUS_SYMBOLS[el.status],
        _basis_text(case, el), tuple(citation(case, numbers, i, notes.get((i, "supports"), "")) for i in el.supporting),
        tuple(citation(case, numbers, i, notes.get((i, "contradicts"), "")) for i in el.contradicting),
        el.explanation, _reasoning(el), el.basis)


ATTRIBUTION_PHRASES = {
    ("established", "assessment"): "attribution established by counsel's reasoned assessment",
    ("partial", "screen"): "attribution not established (partly supported)",
    ("partial", "assessment"): "attribution not established (counsel found it not met)",
    ("contested", "screen"): "attribution contested",
    ("contested", "assessment"): "attribution contested (counsel's assessment)",
    ("missing", "screen"): "attribution not established (no item attributes the attack to it)",
    ("missing", "assessment"): "attribution not established (counsel found it not met)",
}


def alleged_perpetrators(case: Case, attribution: tuple[AttributionView, ...], attributed: list[str]) -> str:
    """The parties the attack is attributed to, each with its attribution status: none is called the perpetrator
    on a status short of established."""
    shown = [a for a in attribution if a.party in attributed] or list(attribution)
    if not shown:
        return "not identified"
    phrases = {**ATTRIBUTION_PHRASES,
               ("established", "screen"): f"attribution corroborated on the screen, {unassessed(case.edition)}"}
    return "; ".join(f"{a.name}: {phrases[(a.status, a.basis)]}" for a in shown)


def status_counts(elements) -> tuple[StatusCount, ...]:
    """How many of ``elements`` (anything with a ``status``) have each status, in the order of the counts' labels."""
    return tuple(StatusCount(s, COUNT_LABELS[s], sum(1 for e in elements if e.status == s)) for s in COUNT_LABELS)


def _basis_counts(elements) -> tuple[Row, ...]:
    assessed = sum(1 for e in elements if e.basis == "assessment")
    return (Row("Resting on counsel's reasoned assessment", str(assessed)),
            Row("Resting on the corroboration screen alone (a count, not a finding)", str(len(elements) - assessed)))


def _charge_view(case: Case, numbers: dict[str, int], charge: ChargeResult) -> ChargeView:
    norm = case.norms[charge.norm]
    elements = tuple(_element_view(case, numbers, charge.norm, el) for el in charge.elements)
    named = [w for w in ("ICRC", "Geneva", "Protocol", "Rome Statute", "Convention") if w in norm.instrument]
    citation = norm.provision if any(w in norm.provision for w in named) else f"{norm.instrument}, {norm.provision}"
    return ChargeView(charge.norm, norm.title, norm.instrument, norm.provision, citation, norm.kind,
                      (norm.summary or "").strip(), charge.applicable, charge.reason, elements, status_counts(elements),
                      CRIME_BASE_NOTE if norm.kind == "crime" else "")


ROUNDED_TO = 0.1
"""The degrees a protected site's coordinates are rounded to outside the internal edition (editions.py)."""


def _rounded_to(case: Case, incident: Incident) -> float:
    """How coarse the incident's position is in this edition: ``ROUNDED_TO``, or 0 for the recorded one."""
    return ROUNDED_TO if incident.location.protect and case.edition != "internal" else 0.0


def _marker(case: Case, incident: Incident, current: bool) -> charts.Marker:
    loc = incident.location
    return charts.Marker(incident.id, loc.place, loc.lat, loc.lon, current, _rounded_to(case, incident))


def _coordinates(case: Case, incident: Incident) -> tuple[str, str]:
    loc = incident.location
    if _rounded_to(case, incident):
        return f"{loc.lat:.1f}, {loc.lon:.1f}", "rounded to 0.1 degree to protect the site"
    note = f"precision about {loc.precision_m:g} m" if loc.precision_m else ""
    if loc.protect:
        note = (note + "; " if note else "") + "protected: exact only in the internal edition"
    return f"{loc.lat!r}, {loc.lon!r}", note  # exactly as recorded


def _chronology(case: Case, incident: Incident, numbers: dict[str, int]) -> tuple[tuple[ChronologyRow, ...], list]:
    rows: list[tuple[str, str, str, str]] = []  # (sort key, when, kind, text)
    events: list[charts.TimelineEvent] = []
    strike = incident.moment_utc()
    if strike is not None:
        rows.append((strike.isoformat()[:16], f"{incident.date} {incident.time} local "
                     f"({strike.strftime('%H:%M')} UTC)", "strike", incident.title))
    elif incident.date and incident.time:
        rows.append((f"{incident.date}T{incident.time}", f"{incident.date} {incident.time} (local)", "strike",
                     incident.title))
    else:
        rows.append((incident.start.isoformat(), incident.when(), "strike", incident.title))
    for event in incident.chronology:
        rows.append((f"{event.on}T{event.time or ''}", f"{event.on}" + (f" {event.time}" if event.time else ""),
                     "event", event.text))
    for item in case.items_of(incident.id):
        label = f"Exh. {numbers[item.id]}"
        for kind, block_name, attr, text in (
                ("intercept", "intercept", "at", "radio intercept"),
                ("sighting", "sighting", "at", "aircraft sighted"),
                ("imagery", "imagery", "captured_at", "image captured")):
            block = getattr(item, block_name, None)
            if block is not None:
                at = getattr(block, attr).astimezone(UTC)
                extra = f" ({block.phase})" if kind == "imagery" else (
                    f" ({block.aircraft})" if getattr(block, "aircraft", None) else "")
                rows.append((at.isoformat()[:16], charts.utc_minute(at), kind,
                             f"{text}{extra}, {label}"))
                events.append(charts.TimelineEvent(at, f"{text}{extra} ({label})", kind))
        block = getattr(item, "deconfliction", None)
        if block is not None:
            rows.append((block.shared_on.isoformat(), block.shared_on.isoformat(), "notification",
                         f"coordinates shared with {', '.join(block.recipients)}, {label}"))
        interview = item.interview if isinstance(item, WitnessStatement) else None
        if isinstance(item, WitnessStatement) and interview is not None and interview.on:
            rows.append((interview.on.isoformat(), interview.on.isoformat(), "witness",
                         f"witness {item.witness.pseudonym or ''} interviewed, {label}".replace("  ", " ")))
    rows.sort(key=lambda r: r[0])
    if strike is not None:
        events.append(charts.TimelineEvent(strike, "strike", "strike"))
    elif incident.date and events:
        # no time or no UTC offset: the strike cannot be placed on the UTC axis more precisely than its day
        events.append(charts.TimelineEvent(datetime.combine(incident.date, time(12, 0), tzinfo=UTC),
                                           "strike (day only: no time or UTC offset)", "strike"))
    return tuple(ChronologyRow(w, k, t) for _, w, k, t in rows), events


def _un_summary(case: Case, incident: Incident, charges: tuple[ChargeView, ...],
                attribution: tuple[AttributionView, ...]) -> UnSummary:
    sub = case.case.submission
    return UnSummary(
        victims=victim_lines(incident),
        perpetrators=perpetrator_lines(case, attribution, incident.attack.attributed_to),
        when_where=f"{incident.when()}, {incident.location.place}"
                   + (f", {incident.location.region}" if incident.location.region else ""),
        circumstances=incident.summary.strip(),
        characterisation=tuple(f"may amount to: {ch.title} ({ch.provision})" if ch.kind == "crime" else
                               f"may breach: {ch.title} ({ch.provision})" for ch in charges if ch.applicable) + tuple(
            f"may engage, in human-rights law: {case.norms[n].title} ({case.norms[n].provision})"
            for n in human_rights_engaged([incident]) if n in case.norms and n not in {ch.norm for ch in charges}),
        # a request the Special Procedures do not act on (forwarding files to the IIIM, say) is not put to them
        requests=tuple(r for r in sub.requests if out_of_mandate("special_procedures", r) is None) if sub else (),
        confidential=tuple(sub.confidential) if sub else (),
        reporting_only=tuple(el.ref for ch in charges for el in ch.elements if el.reporting_only),
    )


def make_incident_view(case: Case, assessment: Assessment, incident_id: str, numbers: dict[str, int]) -> IncidentView:
    incident = case.incidents[incident_id]
    result = next(r for r in assessment.incidents if r.id == incident_id)
    charges = tuple(_charge_view(case, numbers, ch) for ch in result.charges)
    coordinates, note = _coordinates(case, incident)
    facility = incident.facility
    casualties = []
    if incident.casualties:
        for key, label in (("killed", "Killed"), ("injured", "Injured"),
                           ("medical_staff_killed", "Medical staff killed"), ("children_killed", "Children killed")):
            value = getattr(incident.casualties, key)
            if value is not None:
                casualties.append(Row(label, str(value)))
    chronology, events = _chronology(case, incident, numbers)
    markers = [_marker(case, i, i.id == incident_id) for i in case.incidents.values()]
    gaps = tuple(gap_view(g) for g in assessment.gaps if g.incident == incident_id)
    attribution = tuple(_attribution_view(case, numbers, a) for a in result.attribution)
    applicable = [el for ch in result.charges if ch.applicable for el in ch.elements]
    # the incident's items, and the case-wide items its analysis cites (they name no incident)
    case_wide = {i for ch in result.charges for el in ch.elements for i in el.case_wide}
    items = sorted([*case.items_of(incident_id), *(case.items[i] for i in sorted(case_wide))],
                   key=lambda i: numbers[i.id])
    return IncidentView(
        id=incident.id, anchor=f"inc-{incident.id}", title=incident.title, when=incident.when(),
        place=incident.location.place, region=incident.location.region or "", coordinates=coordinates,
        coordinates_note=note,
        facility=tuple(Row(k, v) for k, v in (
            ("Facility", facility.name if facility else ""),
            ("Kind", (facility.kind.replace("_", " ") + (", medical" if facility.medical else "")) if facility else ""),
            ("Operator", facility.operator if facility else "")) if v),
        attack=tuple(Row(k, v) for k, v in (
            ("Means", ", ".join(MEANS_LABELS[m] for m in incident.attack.means)),
            ("Alleged perpetrators", alleged_perpetrators(case, attribution, incident.attack.attributed_to)),
            ("Description", incident.attack.description or "")) if v),
        casualties=tuple(casualties), summary=incident.summary.strip(), chronology=chronology,
        timeline_svg=Markup(charts.timeline(events, f"Timeline of {incident.id}")) if events else Markup(""),
        locator_svg=Markup(charts.locator(markers, f"Location of {incident.id} among the case's incidents")),
        charges=charges, gaps=gaps,
        exhibits=tuple(make_exhibit(case, item, numbers[item.id]) for item in items),
        un=_un_summary(case, incident, charges, attribution) if case.edition == "un" else None,
        attribution=attribution, basis_counts=_basis_counts(applicable), own_conflict=result.own_conflict,
        victims=tuple(victim_text(v, internal=case.edition == "internal") for v in incident.victims),
        cover_rows=(Row("Alleged perpetrators", alleged_perpetrators(case, attribution,
                                                                     incident.attack.attributed_to)),
                    *_basis_counts(applicable)),
    )


def brief_context(case: Case, assessment: Assessment, incident_id: str,
                  numbers: dict[str, int] | None = None) -> BriefContext:
    numbers = numbers if numbers is not None else exhibit_numbers(case)
    return BriefContext(make_meta(case), make_incident_view(case, assessment, incident_id, numbers))


def _pattern_view(case: Case, p: Patterns) -> PatternView:
    labels = {"killed": "Killed", "injured": "Injured", "medical_staff_killed": "Medical staff killed",
              "children_killed": "Children killed"}
    alone = len(case.incidents) == 1  # one incident is shown and labelled; its map is no wider than a brief's
    markers = [_marker(case, i, alone) for i in case.incidents.values()]
    period = "" if not p.incidents else str(p.first) if p.first == p.last else f"{p.first} to {p.last}"
    return PatternView(
        incidents=p.incidents, period=period, medical_incidents=p.medical_incidents,
        opening=pattern_opening(p.incidents, period, p.first == p.last, p.medical_incidents),
        medical_words=medical_words(p.incidents, p.medical_incidents),
        month_svg=Markup(charts.month_chart(list(p.by_month), "Incidents by month")),
        party_svg=Markup(charts.hbar_chart(list(p.by_party), "Incidents by party")),
        means_svg=Markup(charts.hbar_chart([(MEANS_LABELS.get(m, m), n) for m, n in p.by_means],
                                           "Incidents by means")),
        kind_svg=Markup(charts.hbar_chart([(k.replace("_", " "), n) for k, n in p.by_facility_kind],
                                          "Incidents by kind of object")),
        locator_svg=Markup(charts.locator(markers, "Incidents by location", *((300, 220) if alone else (660, 300)))),
        notified=tuple(NotifiedRow(n.incident, n.facility, n.shared_on, ", ".join(n.recipients), str(n.days_before),
                                   "yes" if n.to_attacker else "no") for n in p.notified),
        repeats=tuple(RepeatRow(r.facility, ", ".join(r.incidents), ", ".join(r.dates),
                                ", ".join(f"{d} days" for d in r.intervals_days)) for r in p.repeats),
        totals=tuple(Row(labels[k], str(v)) for k, v in p.totals),
        jointly_attributed=len(p.jointly_attributed), incidents_word="incident" if p.incidents == 1 else "incidents",
    )


def dossier_context(case: Case, assessment: Assessment, patterns: Patterns) -> DossierContext:
    """The front of the case dossier; its chapters are the incidents' briefs, rendered once for both."""
    chapters = tuple(ChapterRow(r.id, f"inc-{r.id}", case.incidents[r.id].title, case.incidents[r.id].when())
                     for r in assessment.incidents)
    elements = [el for r in assessment.incidents for ch in r.charges if ch.applicable for el in ch.elements]
    return DossierContext(make_meta(case), (case.case.summary or "").strip(), _pattern_view(case, patterns),
                          chapters, status_counts(elements), DOSSIER_SECTIONS)


def gap_view(g) -> Gap:
    """A gap as the reports print it."""
    return Gap(g.incident, f"{g.norm}/{g.element}", g.status, STATUS_LABELS[g.status], STATUS_SYMBOLS[g.status],
               g.text.strip(), tuple(TYPE_LABELS[t].lower() for t in g.suggested_types))


def report_context(case: Case, assessment: Assessment) -> ReportContext:
    """The completeness report as one page (``report.html``)."""
    numbers = exhibit_numbers(case)
    incidents = tuple(make_incident_view(case, assessment, r.id, numbers) for r in assessment.incidents)
    gaps = tuple(gap_view(g) for g in assessment.gaps)
    counts = tuple(StatusCount(s, COUNT_LABELS[s], n) for s, n in assessment.counts().items())
    norms = tuple(sorted({ch.norm for inc in incidents for ch in inc.charges}))
    return ReportContext(make_meta(case), incidents, gaps, tuple(w.format() for w in case.warnings), counts,
                         norms, tuple(StatusCount(s, label, 0) for s, label in STATUS_LABELS.items()))
