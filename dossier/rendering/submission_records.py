"""What a submission's template receives: one context record per body (``templates.py`` registers each
template with its record), built by ``submission.py`` from the submission's view of the case.

Every field is documented (the string under it); ``tests/unit/test_template_context.py`` checks that, and that
each template reads only what its record gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.rendering.records import ChronologyRow, Exhibit, Meta, Row
from dossier.rendering.views import IncidentView


@dataclass(frozen=True)
class SubmissionHead:
    """The submission itself: to whom, in what language, when."""

    id: str
    """The submission's id."""
    body: str
    """The body's code: special_procedures, coi, iiim, mrm, upr or treaty_body."""
    body_name: str
    """The body in words ("UN Special Procedures")."""
    title: str
    """The submission's title."""
    to: tuple[str, ...]
    """The mandates or the body addressed."""
    language: str
    """Its language (BCP 47)."""
    date: str
    """The date it is sent (ISO 8601)."""
    date_long: str
    """The same date, written out."""
    summary: str
    """The submitter's opening paragraph, or ""."""
    joint: bool
    """Whether several stakeholders submit it jointly (UPR)."""
    word_limit: int
    """The body's word limit for it, or 0 for none."""


@dataclass(frozen=True)
class SubmitterView:
    """Who submits (the bodies do not consider anonymous submissions)."""

    organisation: str
    """The submitting organisation, or "" when none is recorded."""
    contact: str
    """The contact person and address, or ""."""
    confidential: bool
    """Whether the body is asked not to disclose the submitter."""
    statement: str
    """What the submission asks of the submitter's identity, in words."""


@dataclass(frozen=True)
class NormFrame:
    """A norm the facts are framed under, with whom it binds and how far the submission analyses it."""

    norm: str
    """The norm's id."""
    title: str
    """Its title."""
    provision: str
    """The provision it rests on."""
    family: str
    """"international human rights law", "international humanitarian law" or "international criminal law"."""
    text: str
    """What the norm protects, in a sentence or two."""
    binding: str
    """Whom it binds, as the case records the parties' treaties (or by custom)."""
    status: str
    """What the submission shows of it: the element count, or that it is engaged without an element analysis."""


@dataclass(frozen=True)
class SubmissionFacts:
    """One incident as a submission states it: date, place, detailed circumstances, victims, perpetrators."""

    id: str
    """The incident's id."""
    title: str
    """Its title."""
    when: str
    """Its date or window, with the local time if known."""
    place: str
    """The place, with the region."""
    coordinates: str
    """The coordinates as the submission may print them (rounded where protected)."""
    coordinates_note: str
    """How exact they are, or ""."""
    facility: tuple[Row, ...]
    """The object attacked (name, kind, operator)."""
    means: str
    """The means of attack, in words, or ""."""
    casualties: tuple[Row, ...]
    """The casualty figures recorded."""
    circumstances: str
    """What happened, in the team's words."""
    chronology: tuple[ChronologyRow, ...]
    """The dated events, in time order."""
    victims: tuple[str, ...]
    """The alleged victims: persons (named only with their consent to this body) and groups."""
    perpetrators: tuple[str, ...]
    """Each alleged perpetrator with its attribution status and what that rests on."""
    evidence: tuple[str, ...]
    """The exhibits it rests on, each with its kind, source and grade."""
    reporting_only: tuple[str, ...]
    """Each norm with elements resting only on media or NGO reporting, in words (norm title, element numbers
    and kinds): see :func:`dossier.rendering.submission.reporting_only_words`."""


@dataclass(frozen=True)
class MrmRow:
    """One incident as the monitoring and reporting mechanism records a grave violation against children."""

    incident: str
    """The incident's id."""
    violation: str
    """The grave violation: attack on a school or on a hospital (or "other attack, not a grave violation")."""
    date: str
    """When it happened."""
    place: str
    """Where."""
    facility: str
    """The school or hospital, its kind and operator."""
    perpetrators: str
    """The alleged perpetrators, with their attribution status."""
    children: str
    """Children killed and injured, as recorded."""
    others: str
    """Everyone killed and injured, children included, as the casualty figures record them."""
    interruption: str
    """The effect on education or health care, as the victims' record states it, or "not recorded"."""
    sources: str
    """How the information was gathered: the exhibits' kinds and sources."""


@dataclass(frozen=True)
class PackageFile:
    """One file of a hand-over package, as the PDF lists it."""

    exhibit: str
    """"Exh. N"."""
    item: str
    """The item's id."""
    name: str
    """Its file name inside the package's exhibits/ folder."""
    sha256: str
    """The file's sha256."""
    custody: str
    """Its chain of custody in one line (dates, roles, actions), or "none recorded"."""


@dataclass(frozen=True)
class SpecialProceduresContext:
    """``submission-special_procedures.html``: a communication to mandate-holders of the Human Rights Council."""

    meta: Meta
    """The case, and the submission's marking."""
    submission: SubmissionHead
    """The submission."""
    submitter: SubmitterView
    """Who submits."""
    incidents: tuple[SubmissionFacts, ...]
    """The incidents, in date order."""
    human_rights: tuple[NormFrame, ...]
    """The human-rights obligations the facts engage."""
    ihl: tuple[NormFrame, ...]
    """The rules of international humanitarian law charged."""
    steps_taken: tuple[str, ...]
    """Steps already taken."""
    requests: tuple[str, ...]
    """What the mandate-holders are asked to do."""
    confidential: tuple[str, ...]
    """What must stay confidential."""
    withheld_note: str
    """How much of the case this submission leaves out, and why, or ""."""


@dataclass(frozen=True)
class InvestigativeContext:
    """``submission-coi.html`` and ``submission-iiim.html``: facts and analysis for an investigative body, with
    the hand-over package listed."""

    meta: Meta
    """The case, and the submission's marking."""
    submission: SubmissionHead
    """The submission."""
    submitter: SubmitterView
    """Who submits."""
    facts: tuple[SubmissionFacts, ...]
    """The incidents' facts, in date order."""
    incidents: tuple[IncidentView, ...]
    """The incidents with their full analysis (applicable law, attribution, elements, gaps, exhibits)."""
    exhibits: tuple[Exhibit, ...]
    """Every exhibit the analyses cite, once each, in exhibit order (the annex)."""
    package: tuple[PackageFile, ...]
    """The exhibit files handed over beside the PDF."""
    consent_note: str
    """On what consent each witness statement and victim is included."""
    steps_taken: tuple[str, ...]
    """Steps already taken."""
    requests: tuple[str, ...]
    """What the body is asked to do."""
    confidential: tuple[str, ...]
    """What must stay confidential."""
    withheld_note: str
    """How much of the case this submission leaves out, and why, or ""."""


@dataclass(frozen=True)
class MrmContext:
    """``submission-mrm.html``: incident reports for the monitoring and reporting mechanism on children and armed
    conflict (Security Council res. 1612 (2005) and 1998 (2011))."""

    meta: Meta
    """The case, and the submission's marking."""
    submission: SubmissionHead
    """The submission."""
    submitter: SubmitterView
    """Who submits."""
    rows: tuple[MrmRow, ...]
    """Each incident as the mechanism records it."""
    incidents: tuple[SubmissionFacts, ...]
    """The incidents' facts, in date order."""
    requests: tuple[str, ...]
    """What the mechanism's task force is asked to do."""
    confidential: tuple[str, ...]
    """What must stay confidential."""


@dataclass(frozen=True)
class UprContext:
    """``submission-upr.html``: a stakeholder submission to the Universal Periodic Review, within its word limit."""

    meta: Meta
    """The case, and the submission's marking."""
    submission: SubmissionHead
    """The submission."""
    submitter: SubmitterView
    """Who submits."""
    incidents: tuple[SubmissionFacts, ...]
    """The incidents, in date order."""
    human_rights: tuple[NormFrame, ...]
    """The human-rights obligations the facts engage."""
    recommendations: tuple[str, ...]
    """The recommendations proposed to the State under review."""


@dataclass(frozen=True)
class TreatyBodyContext:
    """``submission-treaty_body.html``: information for a treaty body's review of a State party."""

    meta: Meta
    """The case, and the submission's marking."""
    submission: SubmissionHead
    """The submission."""
    submitter: SubmitterView
    """Who submits."""
    incidents: tuple[SubmissionFacts, ...]
    """The incidents, in date order."""
    human_rights: tuple[NormFrame, ...]
    """The treaty obligations the facts engage."""
    steps_taken: tuple[str, ...]
    """Steps already taken."""
    requests: tuple[str, ...]
    """The questions or recommendations proposed to the committee."""
    confidential: tuple[str, ...]
    """What must stay confidential."""

