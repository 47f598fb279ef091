"""The template context: exactly what a template may use, typed and documented.

Templates hold no logic beyond loops and conditionals over these objects: every
label, number, rounding, ordering and chart is decided here, from the
edition-filtered Case and its Assessment only, so a template cannot reach data
the edition withholds.
"""

from __future__ import annotations

import dataclasses

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from markupsafe import Markup

from dossier import __version__
from dossier.analysis.applicable_law import own_conflict_text
from dossier.analysis.completeness import Assessment, ChargeResult, ElementResult, threshold_phrase
from dossier.analysis.patterns import Patterns
from dossier.loading.case import Case
from dossier.loading.exhibits import resolve_exhibit
from dossier.models import Incident, ItemBase
from dossier.rendering import charts

EDITION_TITLES = {"internal": "Internal edition: legal team only",
                  "un": "UN edition: submission to United Nations bodies",
                  "public": "Public edition"}
EDITION_MARKINGS = {"internal": "INTERNAL · CONFIDENTIAL: NOT FOR DISCLOSURE",
                    "un": "UN EDITION · RESTRICTED · FOR UNITED NATIONS BODIES ONLY",
                    "public": "PUBLIC EDITION"}
STANDARD_LABELS = {
    "reasonable_grounds": "Reasonable grounds to believe",
    "balance_of_probabilities": "Balance of probabilities",
    "clear_and_convincing": "Clear and convincing evidence",
    "beyond_reasonable_doubt": "Beyond reasonable doubt",
}
STANDARD_NOTES = {
    "reasonable_grounds": "the standard of UN commissions of inquiry and of an ICC arrest warrant; it is not a "
                          "criminal-trial standard, and findings here are not findings of guilt",
    "balance_of_probabilities": "the standard of some fact-finding missions; it is not a criminal-trial standard",
    "clear_and_convincing": "a standard above the balance of probabilities and below proof beyond reasonable doubt",
    "beyond_reasonable_doubt": "the criminal standard required for a conviction",
}
STATUS_LABELS = {"established": "Established", "partial": "Partly supported", "contested": "Contested",
                 "missing": "Missing"}
STATUS_SYMBOLS = {"established": "●", "partial": "◐", "contested": "▲", "missing": "○"}
TYPE_LABELS = {
    "witness_statement": "Witness statement", "radio_intercept": "Radio intercept",
    "satellite_imagery": "Satellite imagery", "coordinate_sharing": "Deconfliction record",
    "plane_spotter_log": "Plane-spotter log", "video": "Video", "photo": "Photograph", "document": "Document",
    "report": "Report", "official_statement": "Official statement", "medical_record": "Medical record",
    "munition_analysis": "Munition analysis", "other": "Other material",
}
RELIABILITY_WORDS = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
                     "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY_WORDS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful", 5: "improbable",
                     6: "truth cannot be judged"}
SOURCE_KIND_LABELS = {
    "ngo": "NGO", "un": "UN", "media": "media", "government": "government", "medical": "medical organisation",
    "witness": "witness", "intercept_network": "intercept network", "observer_network": "observer network",
    "commercial_imagery": "commercial imagery provider", "investigator": "investigator", "other": "other",
}
CONSENT_LABELS = {"legal_team": "the legal team", "un_bodies": "UN bodies", "courts": "courts", "public": "the public"}
LANGUAGES = {"ar": "Arabic", "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "tr": "Turkish",
             "ku": "Kurdish", "fa": "Persian", "uk": "Ukrainian", "he": "Hebrew", "de": "German", "zh": "Chinese"}
MEANS_LABELS = {"airstrike": "airstrike", "barrel_bomb": "barrel bomb", "artillery": "artillery",
                "rocket": "rocket", "ground_attack": "ground attack", "cluster_munition": "cluster munitions",
                "incendiary": "incendiary weapons", "chemical": "chemical weapons", "other": "other means"}
RTL_LANGS = {"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv"}
REPORTING_KINDS = {"media", "ngo"}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def build_date_note(case: Case) -> str:
    """Where the printed date comes from (see build_date)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return "date set for this build (SOURCE_DATE_EPOCH)"
    if case.case.as_of:
        return "date of the analysis, as stated in the case file"
    return "date of the latest material analysed"


def build_date(case: Case) -> date:
    """The date printed on covers and written into the PDF: from the inputs, never the clock.

    ``SOURCE_DATE_EPOCH`` when set; else ``as_of`` in case.yaml; else the latest date the
    (edition-filtered) case contains.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    if case.case.as_of:
        return case.case.as_of
    days = [i.end for i in case.incidents.values()]
    for item in case.items.values():
        days.append(item.date)
        days.extend(c.on for c in item.chain_of_custody)
    return max(days, default=date(2000, 1, 1))


@dataclass(frozen=True)
class Meta:
    """What every page of every output shows: case, edition marking, build date, standard of proof."""

    program: str
    case_id: str
    case_title: str
    prepared_by: str
    language: str
    edition: str
    edition_title: str
    marking: str
    build_date: str
    build_date_long: str
    build_date_note: str
    standard: str
    standard_label: str
    standard_note: str
    threshold_text: str
    classification: str
    conflict_description: str
    withheld: int
    parties: tuple[tuple[str, str, str], ...]  # (id, name, treaties)


@dataclass(frozen=True)
class Excerpt:
    text: str
    lang: str
    rtl: bool
    translation: str
    language: str  # the language's name, for the label


@dataclass(frozen=True)
class Exhibit:
    """One evidence item as the annex shows it, with its exhibit number in this edition."""

    number: int
    label: str
    anchor: str
    id: str
    type: str
    type_label: str
    title: str
    source_id: str
    source_name: str
    source_kind: str
    reliability: str
    credibility: int
    grade: str
    grade_words: str
    date: str
    confidentiality: str
    summary: str
    incidents: tuple[str, ...]
    excerpts: tuple[Excerpt, ...]
    details: tuple[tuple[str, str], ...]
    transcript: Excerpt | None
    file_path: str
    file_sha256: str
    file_media_type: str
    thumbnail: str  # file URL of an image exhibit inside evidence/files/, or ""
    url: str
    archive: str
    derived_from: tuple[str, ...]
    custody: tuple[tuple[str, str, str, str], ...]  # (on, by, action, note)


@dataclass(frozen=True)
class Citation:
    label: str
    anchor: str
    item: str
    note: str
    source: str


@dataclass(frozen=True)
class InferenceView:
    label: str
    anchor: str
    reason: str
    caveat: str


@dataclass(frozen=True)
class ElementView:
    ref: str
    id: str
    text: str
    kind: str
    status: str
    status_label: str
    symbol: str
    supporting: tuple[Citation, ...]
    contradicting: tuple[Citation, ...]
    independent_sources: int
    explanation: str
    inferences: tuple[InferenceView, ...]
    suggested: tuple[str, ...]
    reporting_only: bool  # every support is media or NGO reporting (UN bodies give it little weight)


@dataclass(frozen=True)
class ChargeView:
    norm: str
    title: str
    instrument: str
    provision: str
    citation: str  # instrument and provision, without saying the instrument twice
    kind: str
    summary: str
    applicable: bool
    reason: str
    elements: tuple[ElementView, ...]
    counts: tuple[tuple[str, str, int], ...]  # (status, label, n)


@dataclass(frozen=True)
class Gap:
    incident: str
    ref: str
    status: str
    status_label: str
    symbol: str
    text: str
    suggested: tuple[str, ...]


@dataclass(frozen=True)
class UnSummary:
    """The opening of a `un` brief: what UN special procedures ask a communication to state."""

    victims: str
    perpetrators: str
    when_where: str
    circumstances: str
    characterisation: tuple[str, ...]
    requests: tuple[str, ...]
    confidential: tuple[str, ...]
    reporting_only: tuple[str, ...]


@dataclass(frozen=True)
class IncidentView:
    id: str
    anchor: str
    title: str
    when: str
    place: str
    region: str
    coordinates: str
    coordinates_note: str
    facility: tuple[tuple[str, str], ...]
    attack: tuple[tuple[str, str], ...]
    casualties: tuple[tuple[str, str], ...]
    summary: str
    chronology: tuple[tuple[str, str, str], ...]  # (when, kind, text)
    timeline_svg: Markup
    locator_svg: Markup
    charges: tuple[ChargeView, ...]
    gaps: tuple[Gap, ...]
    exhibits: tuple[Exhibit, ...]
    un: UnSummary | None
    own_conflict: str = ""  # the incident's own conflict, which replaces the case's for it


@dataclass(frozen=True)
class BriefContext:
    """Context of ``brief.html``: one incident."""

    meta: Meta
    incident: IncidentView


@dataclass(frozen=True)
class PatternView:
    incidents: int
    period: str
    medical_incidents: int
    month_svg: Markup
    party_svg: Markup
    means_svg: Markup
    kind_svg: Markup
    locator_svg: Markup
    notified: tuple[tuple[str, str, str, str, str, str], ...]  # (incident, facility, shared on, recipients, days, to attacker)
    repeats: tuple[tuple[str, str, str, str], ...]  # (facility, incidents, dates, intervals)
    totals: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DossierContext:
    """Context of the case dossier's parts: ``dossier-front.html`` (cover, contents, the case, patterns),
    ``dossier-chapter.html`` (one incident each, ``first`` on the first) and ``dossier-index.html``.

    ``toc`` rows are (label, anchor, page number in the assembled dossier, level); the page numbers
    are known only once the chapters are rendered, so ``toc`` is empty until then.
    """

    meta: Meta
    summary: str
    patterns: PatternView
    incidents: tuple[IncidentView, ...]
    exhibits: tuple[Exhibit, ...]
    counts: tuple[tuple[str, str, int], ...]
    toc: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True)
class MatrixRow:
    incident: str
    incident_title: str
    norm: str
    applicable: bool
    reason: str
    cells: tuple[tuple[str, str, str, str], ...]  # (element id, status, symbol, label)


@dataclass(frozen=True)
class CompletenessContext:
    """Context of ``completeness.html``: the matrix, gaps in priority order, warnings."""

    meta: Meta
    rows: tuple[MatrixRow, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    counts: tuple[tuple[str, str, int], ...]


# ---------------------------------------------------------------- builders


def threshold_text(case: Case) -> str:
    return threshold_phrase(case.case.threshold())


def make_meta(case: Case) -> Meta:
    c = case.case
    day = build_date(case)
    return Meta(
        program=f"dossier {__version__}", case_id=c.id, case_title=c.title, prepared_by=c.prepared_by or "",
        language=c.language, edition=case.edition, edition_title=EDITION_TITLES[case.edition],
        marking=EDITION_MARKINGS[case.edition], build_date=day.isoformat(), build_date_long=long_date(day),
        build_date_note=build_date_note(case),
        standard=c.standard_of_proof, standard_label=STANDARD_LABELS[c.standard_of_proof],
        standard_note=STANDARD_NOTES[c.standard_of_proof], threshold_text=threshold_text(case),
        classification=("Non-international armed conflict (NIAC)" if c.conflict.classification == "NIAC"
                        else "International armed conflict (IAC)"),
        conflict_description=c.conflict.description or "", withheld=case.withheld,
        parties=tuple((p.id, p.name, ", ".join(p.treaties) or "none recorded") for p in c.parties),
    )


def exhibit_numbers(case: Case) -> dict[str, int]:
    """Exhibit numbers of this edition: by the first incident an item concerns (its date, then id), then the
    item's date and id, so the exhibits of one incident are numbered together."""
    def first_incident(item: ItemBase) -> tuple[date, str]:
        return min(((case.incidents[i].start, i) for i in item.incidents if i in case.incidents),
                   default=(item.date, ""))

    ordered = sorted(case.items.values(), key=lambda i: (first_incident(i), i.date, i.id))
    return {item.id: n for n, item in enumerate(ordered, 1)}


def _excerpt(text: str, lang: str, translation: str | None) -> Excerpt:
    base = lang.split("-")[0].lower()
    return Excerpt(text, lang, base in RTL_LANGS, translation or "", LANGUAGES.get(base, lang))


def _details(item: ItemBase, case: Case) -> tuple[tuple[str, str], ...]:
    parties = {p.id: p.name for p in case.case.parties}
    rows: list[tuple[str, str]] = []
    if item.type == "witness_statement":
        w = getattr(item, "witness")
        rows.append(("Witness", w.pseudonym or "unnamed (no pseudonym recorded)"))
        if w.name:
            rows.append(("Name (internal only)", w.name))
        if w.contact:
            rows.append(("Contact (internal only)", w.contact))
        if w.role:
            rows.append(("Role", w.role.replace("_", " ")))
        consent = getattr(item, "consent")
        rows.append(("Consent to share with",
                     ", ".join(CONSENT_LABELS.get(s, s) for s in consent.share_with) + (
                         f" (given {consent.given_on})" if consent.given_on else "") if consent else "none recorded"))
        interview = getattr(item, "interview")
        if interview:
            language = interview.language and LANGUAGES.get(interview.language.split("-")[0].lower(),
                                                             interview.language)
            parts = [str(p) for p in (interview.on, interview.method and interview.method.replace("_", " "),
                                      language and f"in {language}", interview.interviewer) if p]
            rows.append(("Interview", ", ".join(parts)))
    elif item.type == "radio_intercept":
        b = getattr(item, "intercept")
        rows += [("Intercepted at", b.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))]
        rows += [(k, v) for k, v in (("Channel", b.channel), ("Callsigns", ", ".join(b.callsigns)),
                                      ("Aircraft", b.aircraft)) if v]
    elif item.type == "satellite_imagery":
        b = getattr(item, "imagery")
        rows += [(k, v) for k, v in (
            ("Provider", b.provider), ("Captured at", b.captured_at.astimezone(timezone.utc).strftime(
                "%Y-%m-%d %H:%M UTC")), ("Phase", f"{b.phase} the incident"),
            ("Location", f"{b.location.lat!r}, {b.location.lon!r}" if b.location else ""),
            ("Resolution", f"{b.resolution_m:g} m" if b.resolution_m else ""), ("Analysis", b.analysis)) if v]
    elif item.type == "coordinate_sharing":
        b = getattr(item, "deconfliction")
        rows += [(k, v) for k, v in (
            ("Facility notified", b.facility), ("Shared on", b.shared_on.isoformat()), ("Shared via", b.shared_via),
            ("Recipients", ", ".join(parties.get(r, r) for r in b.recipients)),
            ("Acknowledged on", b.acknowledged_on.isoformat() if b.acknowledged_on else ""),
            ("Reference", b.reference),
            ("Location", f"{b.location.lat!r}, {b.location.lon!r}" if b.location else "")) if v]
    elif item.type == "plane_spotter_log":
        b = getattr(item, "sighting")
        rows += [(k, v) for k, v in (
            ("Sighted at", b.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")), ("Observer", b.observer),
            ("Aircraft", b.aircraft), ("Origin", b.origin), ("Heading", b.heading)) if v]
    if item.publisher:
        rows.append(("Publisher", item.publisher))
    if item.published_on:
        rows.append(("Published on", item.published_on.isoformat()))
    return tuple(rows)


def make_exhibit(case: Case, item: ItemBase, number: int) -> Exhibit:
    source = case.sources.get(item.source)
    reliability = source.reliability if source else "F"
    transcript = None
    block = getattr(item, "intercept", None)
    if block is not None and block.transcript is not None:
        transcript = _excerpt(block.transcript.text, block.transcript.lang, block.transcript.translation)
    thumbnail = ""
    if item.file and (item.file.media_type or "").lower() in IMAGE_TYPES and \
            item.file.path.replace("\\", "/").startswith("files/"):
        target = resolve_exhibit(case.root, item.file.path)
        if target is not None:
            thumbnail = target.as_uri()
    return Exhibit(
        number=number, label=f"Exh. {number}", anchor=f"exh-{item.id}", id=item.id, type=item.type,
        type_label=TYPE_LABELS[item.type], title=item.title, source_id=item.source,
        source_name=source.name if source else item.source,
        source_kind=SOURCE_KIND_LABELS.get(source.kind, source.kind) if source else "",
        reliability=reliability, credibility=item.credibility, grade=f"{reliability}{item.credibility}",
        grade_words=f"{RELIABILITY_WORDS[reliability]}; {CREDIBILITY_WORDS[item.credibility]}",
        date=item.date.isoformat(), confidentiality=item.confidentiality, summary=item.summary,
        incidents=tuple(item.incidents),
        excerpts=tuple(_excerpt(e.text, e.lang, e.translation) for e in item.excerpts),
        details=_details(item, case), transcript=transcript,
        file_path=f"evidence/{item.file.path}" if item.file else "",
        file_sha256=(item.file.sha256 or "not recorded") if item.file else "",
        file_media_type=(item.file.media_type or "") if item.file else "", thumbnail=thumbnail,
        url=item.url or "", archive=item.archive or "", derived_from=tuple(item.derived_from),
        custody=tuple((c.on.isoformat(), _custodian(c, case.edition), c.action, c.note or "")
                      for c in item.chain_of_custody),
    )


def _custodian(entry, edition: str) -> str:
    """Who held the item: outside `internal` the edition filter has already put the role (or "custodian") in
    ``by``; the internal edition shows the name with the role."""
    if edition == "internal" and entry.role and entry.role.casefold() not in entry.by.casefold():
        return f"{entry.by} ({entry.role})"
    return entry.by


def _citation(case: Case, numbers: dict[str, int], item_id: str, note: str) -> Citation:
    item = case.items[item_id]
    source = case.sources.get(item.source)
    grade = f"{source.reliability if source else 'F'}{item.credibility}"
    who = getattr(item, "witness", None)
    label = f"{TYPE_LABELS[item.type]}" + (f" of {who.pseudonym}" if who is not None and who.pseudonym else "")
    return Citation(f"Exh. {numbers[item_id]}", f"exh-{item_id}", item_id, note,
                    f"{label}, {source.name if source else item.source}, graded {grade}")


def _element_view(case: Case, numbers: dict[str, int], norm: str, el: ElementResult) -> ElementView:
    notes = {(i, s): n for i, s, n in el.notes}
    supporting = tuple(_citation(case, numbers, i, notes.get((i, "supports"), "")) for i in el.supporting)
    kinds = {case.sources[case.items[i].source].kind for i in el.supporting if case.items[i].source in case.sources}
    return ElementView(
        ref=f"{norm}/{el.id}", id=el.id, text=el.text.strip(), kind=el.kind, status=el.status,
        status_label=STATUS_LABELS[el.status], symbol=STATUS_SYMBOLS[el.status], supporting=supporting,
        contradicting=tuple(_citation(case, numbers, i, notes.get((i, "contradicts"), "")) for i in el.contradicting),
        independent_sources=el.independent_sources, explanation=el.explanation,
        inferences=tuple(InferenceView(f"Exh. {numbers[x.item]}", f"exh-{x.item}", x.reason, x.caveat)
                         for x in el.inferences),
        suggested=tuple(TYPE_LABELS[t].lower() for t in el.suggested_types) if el.status != "established" else (),
        reporting_only=bool(kinds) and kinds <= REPORTING_KINDS,
    )


def _counts(elements) -> tuple[tuple[str, str, int], ...]:
    return tuple((s, STATUS_LABELS[s], sum(1 for e in elements if e.status == s)) for s in STATUS_LABELS)


def _charge_view(case: Case, numbers: dict[str, int], charge: ChargeResult) -> ChargeView:
    norm = case.norms[charge.norm]
    elements = tuple(_element_view(case, numbers, charge.norm, el) for el in charge.elements)
    named = [w for w in ("ICRC", "Geneva", "Protocol", "Rome Statute", "Convention") if w in norm.instrument]
    citation = norm.provision if any(w in norm.provision for w in named) else f"{norm.instrument}, {norm.provision}"
    return ChargeView(charge.norm, norm.title, norm.instrument, norm.provision, citation, norm.kind,
                      (norm.summary or "").strip(), charge.applicable, charge.reason, elements, _counts(elements))


def _coordinates(case: Case, incident: Incident) -> tuple[str, str]:
    loc = incident.location
    if loc.protect and case.edition != "internal":
        return f"{loc.lat:.1f}, {loc.lon:.1f}", "rounded to 0.1 degree to protect the site"
    note = f"precision about {loc.precision_m:g} m" if loc.precision_m else ""
    if loc.protect:
        note = (note + "; " if note else "") + "protected: exact only in the internal edition"
    return f"{loc.lat!r}, {loc.lon!r}", note  # exactly as recorded


def _chronology(case: Case, incident: Incident, numbers: dict[str, int]) -> tuple[tuple, list]:
    rows: list[tuple[str, str, str, str]] = []  # (sort key, when, kind, text)
    events: list[charts.TimelineEvent] = []
    if incident.date and incident.time and incident.utc_offset:
        at = datetime.fromisoformat(f"{incident.date}T{incident.time}{incident.utc_offset}").astimezone(timezone.utc)
        rows.append((at.isoformat()[:16], f"{incident.date} {incident.time} local "
                     f"({at.strftime('%H:%M')} UTC)", "strike", incident.title))
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
                at = getattr(block, attr).astimezone(timezone.utc)
                extra = f" ({block.phase})" if kind == "imagery" else (
                    f" ({block.aircraft})" if getattr(block, "aircraft", None) else "")
                rows.append((at.isoformat()[:16], at.strftime("%Y-%m-%d %H:%M UTC"), kind,
                             f"{text}{extra}, {label}"))
                events.append(charts.TimelineEvent(at, f"{text}{extra} ({label})", kind))
        block = getattr(item, "deconfliction", None)
        if block is not None:
            rows.append((block.shared_on.isoformat(), block.shared_on.isoformat(), "notification",
                         f"coordinates shared with {', '.join(block.recipients)}, {label}"))
        interview = getattr(item, "interview", None)
        if interview is not None and interview.on:
            rows.append((interview.on.isoformat(), interview.on.isoformat(), "witness",
                         f"witness {getattr(item, 'witness').pseudonym or ''} interviewed, {label}".replace("  ", " ")))
    rows.sort(key=lambda r: r[0])
    if incident.date and incident.time and incident.utc_offset:
        local = datetime.fromisoformat(f"{incident.date}T{incident.time}{incident.utc_offset}")
        events.append(charts.TimelineEvent(local.astimezone(timezone.utc), "strike", "strike"))
    elif incident.date and events:
        # no time or no UTC offset: the strike cannot be placed on the UTC axis more precisely than its day
        events.append(charts.TimelineEvent(datetime.combine(incident.date, time(12, 0), tzinfo=timezone.utc),
                                           "strike (day only: no time or UTC offset)", "strike"))
    return tuple((w, k, t) for _, w, k, t in rows), events


def _un_summary(case: Case, incident: Incident, charges: tuple[ChargeView, ...]) -> UnSummary:
    parties = {p.id: p.name for p in case.case.parties}
    c = incident.casualties
    victims = []
    if c:
        for value, label in ((c.killed, "killed"), (c.injured, "injured"),
                             (c.medical_staff_killed, "medical staff killed"), (c.children_killed, "children killed")):
            if value:
                victims.append(f"{value} {label}")
    facility = incident.facility
    victim_text = ", ".join(victims) if victims else "casualty figures not established"
    if facility and facility.name:
        victim_text = f"{facility.name}" + (f" (operated by {facility.operator})" if facility.operator else "") + \
            f", its patients and staff; {victim_text}" if facility.medical else f"{facility.name}; {victim_text}"
    return UnSummary(
        victims=victim_text,
        perpetrators="; ".join(parties.get(p, p) for p in incident.attack.attributed_to),
        when_where=f"{incident.when()}, {incident.location.place}"
                   + (f", {incident.location.region}" if incident.location.region else ""),
        circumstances=incident.summary.strip(),
        characterisation=tuple(f"{ch.title} ({ch.provision})" for ch in charges if ch.applicable),
        requests=tuple(case.case.submission.requests) if case.case.submission else (),
        confidential=tuple(case.case.submission.confidential) if case.case.submission else (),
        reporting_only=tuple(el.ref for ch in charges for el in ch.elements if el.reporting_only),
    )


def make_incident_view(case: Case, assessment: Assessment, incident_id: str, numbers: dict[str, int]) -> IncidentView:
    view = _make_incident_view(case, assessment, incident_id, numbers)
    return dataclasses.replace(view, own_conflict=own_conflict_text(case, case.incidents[incident_id]))


def _make_incident_view(case: Case, assessment: Assessment, incident_id: str, numbers: dict[str, int]) -> IncidentView:
    incident = case.incidents[incident_id]
    result = next(r for r in assessment.incidents if r.id == incident_id)
    charges = tuple(_charge_view(case, numbers, ch) for ch in result.charges)
    coordinates, note = _coordinates(case, incident)
    facility = incident.facility
    parties = {p.id: p.name for p in case.case.parties}
    casualties = []
    if incident.casualties:
        for key, label in (("killed", "Killed"), ("injured", "Injured"),
                           ("medical_staff_killed", "Medical staff killed"), ("children_killed", "Children killed")):
            value = getattr(incident.casualties, key)
            if value is not None:
                casualties.append((label, str(value)))
    chronology, events = _chronology(case, incident, numbers)
    markers = [charts.Marker(i.id, i.location.place, i.location.lat, i.location.lon, i.id == incident_id)
               for i in case.incidents.values()]
    gaps = tuple(Gap(incident_id, el.ref, el.status, el.status_label, el.symbol, el.text, el.suggested)
                 for ch in charges if ch.applicable for el in ch.elements if el.status != "established")
    items = sorted(case.items_of(incident_id), key=lambda i: numbers[i.id])
    return IncidentView(
        id=incident.id, anchor=f"inc-{incident.id}", title=incident.title, when=incident.when(),
        place=incident.location.place, region=incident.location.region or "", coordinates=coordinates,
        coordinates_note=note,
        facility=tuple((k, v) for k, v in (
            ("Facility", facility.name if facility else ""),
            ("Kind", (facility.kind.replace("_", " ") + (", medical" if facility.medical else "")) if facility else ""),
            ("Operator", facility.operator if facility else "")) if v),
        attack=tuple((k, v) for k, v in (
            ("Means", ", ".join(MEANS_LABELS[m] for m in incident.attack.means)),
            ("Attributed to", "; ".join(parties.get(p, p) for p in incident.attack.attributed_to)),
            ("Description", incident.attack.description or "")) if v),
        casualties=tuple(casualties), summary=incident.summary.strip(), chronology=chronology,
        timeline_svg=Markup(charts.timeline(events, f"Timeline of {incident.id}")) if events else Markup(""),
        locator_svg=Markup(charts.locator(markers, f"Location of {incident.id} among the case's incidents")),
        charges=charges, gaps=gaps,
        exhibits=tuple(make_exhibit(case, item, numbers[item.id]) for item in items),
        un=_un_summary(case, incident, charges) if case.edition == "un" else None,
    )


def brief_context(case: Case, assessment: Assessment, incident_id: str,
                  numbers: dict[str, int] | None = None) -> BriefContext:
    numbers = numbers if numbers is not None else exhibit_numbers(case)
    return BriefContext(make_meta(case), make_incident_view(case, assessment, incident_id, numbers))


def _pattern_view(case: Case, p: Patterns) -> PatternView:
    labels = {"killed": "Killed", "injured": "Injured", "medical_staff_killed": "Medical staff killed",
              "children_killed": "Children killed"}
    markers = [charts.Marker(i.id, i.location.place, i.location.lat, i.location.lon, False)
               for i in case.incidents.values()]
    return PatternView(
        incidents=p.incidents, period=f"{p.first} to {p.last}" if p.incidents else "",
        medical_incidents=p.medical_incidents,
        month_svg=Markup(charts.month_chart(list(p.by_month), "Incidents by month")),
        party_svg=Markup(charts.hbar_chart(list(p.by_party), "Incidents by party")),
        means_svg=Markup(charts.hbar_chart([(MEANS_LABELS.get(m, m), n) for m, n in p.by_means],
                                           "Incidents by means")),
        kind_svg=Markup(charts.hbar_chart([(k.replace("_", " "), n) for k, n in p.by_facility_kind],
                                          "Incidents by kind of object")),
        locator_svg=Markup(charts.locator(markers, "Incidents by location", 660, 300)),
        notified=tuple((n.incident, n.facility, n.shared_on, ", ".join(n.recipients), str(n.days_before),
                        "yes" if n.to_attacker else "no") for n in p.notified),
        repeats=tuple((r.facility, ", ".join(r.incidents), ", ".join(r.dates),
                       ", ".join(f"{d} days" for d in r.intervals_days)) for r in p.repeats),
        totals=tuple((labels[k], v) for k, v in p.totals),
    )


def dossier_context(case: Case, assessment: Assessment, patterns: Patterns) -> DossierContext:
    numbers = exhibit_numbers(case)
    incidents = tuple(make_incident_view(case, assessment, r.id, numbers) for r in assessment.incidents)
    exhibits = tuple(make_exhibit(case, case.items[i], n) for i, n in sorted(numbers.items(), key=lambda x: x[1]))
    all_elements = [el for inc in incidents for ch in inc.charges if ch.applicable for el in ch.elements]
    return DossierContext(make_meta(case), (case.case.summary or "").strip(), _pattern_view(case, patterns),
                          incidents, exhibits, _counts(all_elements))


def completeness_context(case: Case, assessment: Assessment) -> CompletenessContext:
    rows = []
    for inc in assessment.incidents:
        for ch in inc.charges:
            rows.append(MatrixRow(inc.id, inc.title, ch.norm, ch.applicable, ch.reason, tuple(
                (el.id, el.status, STATUS_SYMBOLS[el.status], STATUS_LABELS[el.status]) for el in ch.elements)))
    gaps = tuple(Gap(g.incident, f"{g.norm}/{g.element}", g.status, STATUS_LABELS[g.status], STATUS_SYMBOLS[g.status],
                     g.text.strip(), tuple(TYPE_LABELS[t].lower() for t in g.suggested_types))
                 for g in assessment.gaps)
    counts = tuple((s, STATUS_LABELS[s], n) for s, n in assessment.counts().items())
    return CompletenessContext(make_meta(case), tuple(rows), gaps, tuple(w.format() for w in case.warnings), counts)
