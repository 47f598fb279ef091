"""What analysis finds, as plain immutable records: the assessment of an edition's view of the case (per
incident, per charge, per element) and the patterns across incidents. Rendering reads these; nothing here
computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.models.case import Threshold

STATUSES = ("established", "partial", "contested", "missing")


@dataclass(frozen=True)
class Inference:
    """Circumstantial support drawn from a deconfliction notice (never counted toward the status)."""

    item: str
    party: str  # the recipient party the inference concerns (never another party)
    recipients: tuple[str, ...]
    shared_on: str
    reason: str
    caveat: str


@dataclass(frozen=True)
class CounselFinding:
    """Counsel's reasoned finding, as it applies in this edition."""

    finding: str  # met | not_met | contested | open
    reasoning: str
    on: str  # ISO date, or ""
    relies_on: tuple[str, ...]
    on_material_not_shown: bool = False  # it rests on items this edition withholds: its reasoning is not shown


@dataclass(frozen=True)
class ElementResult:
    id: str
    text: str
    kind: str
    status: str
    supporting: tuple[str, ...]
    contradicting: tuple[str, ...]
    independent_sources: int
    sources_total: int
    strong_sources: int
    groups: tuple[tuple[str, ...], ...]
    suggested_types: tuple[str, ...]
    means_of_proof: tuple[str, ...]
    inferences: tuple[Inference, ...] = ()
    notes: tuple[tuple[str, str, str], ...] = ()  # (item id, stance, note)
    explanation: str = ""
    basis: str = "screen"  # screen (the corroboration count) | assessment (counsel's reasoned finding)
    screen: str = ""  # what the corroboration screen alone says, whatever the basis
    assessment: CounselFinding | None = None
    alternative: str = ""  # the label of the alternative group the element belongs to, or ""
    needed: bool = True  # False for a member of an alternative group whose sibling is established
    case_wide: tuple[str, ...] = ()  # supporting items that bear on the case as a whole (scope: case)
    uncounted: tuple[str, ...] = ()  # supporting items graded E-F or 5-6, or notifications for a mental element


@dataclass(frozen=True)
class ChargeResult:
    norm: str
    title: str
    kind: str
    provision: str
    applicable: bool
    reason: str
    elements: tuple[ElementResult, ...]


@dataclass(frozen=True)
class IncidentResult:
    id: str
    title: str
    charges: tuple[ChargeResult, ...]
    own_conflict: str = ""  # the incident's own conflict, which replaces the case's for it, in words
    attribution: tuple[ElementResult, ...] = ()  # one per party (``id`` is the party's id), graded like an element


@dataclass(frozen=True)
class Gap:
    incident: str
    norm: str
    element: str
    status: str
    text: str
    suggested_types: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    case: str
    edition: str
    standard_of_proof: str
    threshold: Threshold
    withheld_items: int
    incidents: tuple[IncidentResult, ...]
    gaps: tuple[Gap, ...] = field(default=())

    def basis_counts(self) -> dict[str, int]:
        """How many applicable elements rest on each basis (screen, assessment)."""
        out = {"screen": 0, "assessment": 0}
        for inc in self.incidents:
            for charge in inc.charges:
                if charge.applicable:
                    for el in charge.elements:
                        out[el.basis] += 1
        return out

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for inc in self.incidents:
            for charge in inc.charges:
                if charge.applicable:
                    for el in charge.elements:
                        out[el.status] += 1
        return out



@dataclass(frozen=True)
class Notified:
    incident: str
    item: str
    facility: str
    shared_on: str
    recipients: tuple[str, ...]
    days_before: int
    to_attacker: bool  # the coordinates reached a party the attack is attributed to


@dataclass(frozen=True)
class Repeat:
    facility: str
    incidents: tuple[str, ...]
    dates: tuple[str, ...]
    intervals_days: tuple[int, ...]


@dataclass(frozen=True)
class Patterns:
    incidents: int
    first: str
    last: str
    by_party: tuple[tuple[str, int], ...]  # alleged attribution: an incident attributed to several counts for each
    by_means: tuple[tuple[str, int], ...]
    by_facility_kind: tuple[tuple[str, int], ...]
    by_month: tuple[tuple[str, int], ...]
    medical_incidents: int
    notified: tuple[Notified, ...]
    repeats: tuple[Repeat, ...]
    totals: tuple[tuple[str, int], ...]
    jointly_attributed: tuple[str, ...] = ()  # incidents attributed to more than one party
