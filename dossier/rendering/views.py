"""The incident and its analysis as a template reads them, each field documented (the small records are in
``records.py``; ``templates.py`` says what each template receives)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dossier.rendering.records import ChronologyRow, Exhibit, NotifiedRow, RepeatRow, Row, StatusCount

# ---------------------------------------------------------------- the analysis


@dataclass(frozen=True)
class Citation:
    """An exhibit cited for or against an element."""

    label: str
    """"Exh. N"."""
    anchor: str
    """The exhibit's anchor."""
    item: str
    """The item's id."""
    note: str
    """Why the item bears on the element, or ""."""
    source: str
    """The item's kind, source and grade, in words."""


@dataclass(frozen=True)
class InferenceView:
    """Circumstantial support an element is shown with, never counted toward its status."""

    label: str
    """"Exh. N" of the deconfliction record."""
    anchor: str
    """Its anchor."""
    reason: str
    """What the record suggests, and for whom."""
    caveat: str
    """What it does not show."""


@dataclass(frozen=True)
class ElementView:
    """One element of a charged norm, with its status and what it rests on."""

    ref: str
    """NORM/ELEMENT."""
    id: str
    """The element's id within its norm."""
    text: str
    """What must be shown."""
    kind: str
    """conduct, circumstance, consequence, mental or contextual."""
    status: str
    """The status code."""
    status_label: str
    """The status in words."""
    symbol: str
    """The status's symbol."""
    supporting: tuple[Citation, ...]
    """The exhibits that support it."""
    contradicting: tuple[Citation, ...]
    """The exhibits that contradict it."""
    independent_sources: int
    """How many independent reliable sources support it."""
    explanation: str
    """Why it has its status, in words."""
    inferences: tuple[InferenceView, ...]
    """Inferences shown with it (never proof)."""
    suggested: tuple[str, ...]
    """Kinds of item that would close the gap."""
    reporting_only: bool
    """Whether every support is media or NGO reporting (UN bodies give it little weight)."""
    basis: str = "screen"
    """What the status rests on: screen (a corroboration count) or assessment (counsel's reasoned finding)."""
    basis_text: str = ""
    """That basis in a sentence, with the screen's own result beside counsel's finding."""
    reasoning: str = ""
    """Counsel's reasoning, where the status rests on it and this edition may show it, or ""."""
    needed: bool = True
    """False for a member of an alternative group whose sibling is established (no gap)."""
    alternative: str = ""
    """The alternative group the element belongs to ("either is enough"), or ""."""


@dataclass(frozen=True)
class ChargeView:
    """One norm charged for an incident: why it applies (or not) and its elements."""

    norm: str
    """The norm's id."""
    title: str
    """Its title."""
    instrument: str
    """The instrument it comes from."""
    provision: str
    """The provision."""
    citation: str
    """Instrument and provision, without saying the instrument twice."""
    kind: str
    """crime or rule."""
    summary: str
    """The norm in a few sentences, or ""."""
    applicable: bool
    """Whether it applies to the incident."""
    reason: str
    """Why it applies or not."""
    elements: tuple[ElementView, ...]
    """Its elements."""
    counts: tuple[StatusCount, ...]
    """How many of its elements have each status."""
    crime_base_note: str = ""
    """For a crime: that the analysis is crime-base only (no finding on any individual), else ""."""


@dataclass(frozen=True)
class AttributionView:
    """Whether the attack was carried out by one party's forces, graded on its own items like an element."""

    party: str
    """The party's id."""
    name: str
    """Its name."""
    status: str
    """The status code."""
    status_label: str
    """The status in words (an attribution short of established never names the party the perpetrator)."""
    symbol: str
    """The status's symbol."""
    basis_text: str
    """What the status rests on, in a sentence."""
    supporting: tuple[Citation, ...]
    """The exhibits that attribute the attack to the party."""
    contradicting: tuple[Citation, ...]
    """The exhibits that point away from it."""
    explanation: str
    """The corroboration count, in words."""
    reasoning: str
    """Counsel's reasoning on attribution, where shown, or ""."""
    basis: str
    """screen or assessment."""


@dataclass(frozen=True)
class Gap:
    """An element not established, and what would close it."""

    incident: str
    """The incident's id."""
    ref: str
    """NORM/ELEMENT."""
    status: str
    """The status code."""
    status_label: str
    """The status in words."""
    symbol: str
    """The status's symbol."""
    text: str
    """What must be shown."""
    suggested: tuple[str, ...]
    """Kinds of item that would close it."""


@dataclass(frozen=True)
class UnSummary:
    """The opening of a `un` brief: what UN special procedures ask a communication to state."""

    victims: tuple[str, ...]
    """Who was harmed: each person (by pseudonym where consent allows) or group, never the building."""
    perpetrators: tuple[str, ...]
    """Each party the attack is alleged against, with its attribution status and what that rests on."""
    when_where: str
    """Date and place."""
    circumstances: str
    """What happened."""
    characterisation: tuple[str, ...]
    """The norms that apply, with their provisions, then the human-rights norms the facts engage."""
    requests: tuple[str, ...]
    """What the submitter asks (case.yaml's requests that the Special Procedures act on)."""
    confidential: tuple[str, ...]
    """What the body must keep confidential."""
    reporting_only: tuple[str, ...]
    """Elements resting only on media or NGO reporting."""


@dataclass(frozen=True)
class IncidentView:
    """One incident: the facts, the chronology, the analysis, the gaps and the exhibits."""

    id: str
    """The incident's id."""
    anchor: str
    """Its anchor."""
    title: str
    """Its title."""
    when: str
    """Its date or window."""
    place: str
    """The place."""
    region: str
    """The region, or ""."""
    coordinates: str
    """The coordinates as this edition may print them."""
    coordinates_note: str
    """How exact they are (rounded, precision), or ""."""
    facility: tuple[Row, ...]
    """The object attacked."""
    attack: tuple[Row, ...]
    """Means, attribution and description of the attack."""
    casualties: tuple[Row, ...]
    """The casualty figures recorded."""
    summary: str
    """What happened, in a few sentences."""
    chronology: tuple[ChronologyRow, ...]
    """The chronology, in time order."""
    timeline_svg: Markup
    """The UTC timeline as SVG, or empty."""
    locator_svg: Markup
    """The locator diagram as SVG."""
    charges: tuple[ChargeView, ...]
    """The norms charged."""
    gaps: tuple[Gap, ...]
    """The elements not established."""
    exhibits: tuple[Exhibit, ...]
    """The items about the incident, in exhibit order."""
    un: UnSummary | None
    """The UN summary (un edition only), else None."""
    attribution: tuple[AttributionView, ...] = ()
    """Each party the attack is attributed to (or an item points to), with its attribution status."""
    basis_counts: tuple[Row, ...] = ()
    """How many applicable elements rest on counsel's assessment, and how many on the screen alone."""
    cover_rows: tuple[Row, ...] = ()
    """What the cover adds: each alleged perpetrator with its attribution status, and the bases counted."""
    victims: tuple[str, ...] = ()
    """The alleged victims recorded (persons and groups) as this edition may show them: the internal edition
    names them, with their consent; others give the pseudonym only where consent allows."""
    own_conflict: str = ""
    """The incident's own conflict, which replaces the case's for it (an inter-State clash inside a wider
    NIAC), in words, or ""."""


@dataclass(frozen=True)
class PatternView:
    """Patterns across the case's incidents, with their charts."""

    incidents: int
    """How many incidents."""
    period: str
    """From the first to the last."""
    medical_incidents: int
    """How many struck a medical facility."""
    month_svg: Markup
    """Incidents by month, as SVG."""
    party_svg: Markup
    """Incidents by party, as SVG."""
    means_svg: Markup
    """Incidents by means, as SVG."""
    kind_svg: Markup
    """Incidents by kind of object, as SVG."""
    locator_svg: Markup
    """The incidents on a map, as SVG."""
    notified: tuple[NotifiedRow, ...]
    """Strikes on notified facilities."""
    repeats: tuple[RepeatRow, ...]
    """Facilities struck more than once."""
    totals: tuple[Row, ...]
    """Casualty totals."""
    jointly_attributed: int = 0
    """How many incidents are attributed to more than one party (counted under each in the chart)."""
    incidents_word: str = "incidents"
    """"incident" or "incidents", for the number of incidents."""
    opening: str = ""
    """The first sentence, singular or plural: "1 incident, on 2022-06-10, on a medical facility."."""
    medical_words: str = ""
    """The cover's count of incidents: "1 (on a medical facility)", "14 (9 on medical facilities)"."""
