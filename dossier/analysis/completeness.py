"""Element-by-element completeness: for every incident and charged norm, what the evidence establishes, and
on what basis (cli.md, "Analysis rules (v2)").

Pure functions of an edition's view of the case:

- the **screen** counts independent sources: supporting items are grouped by origin (items and sources
  followed through ``derived_from``); a group is reliable when any of its items is graded A-C/1-3, strong when
  A-B/1-2; items graded E-F or 5-6 count for nothing toward the thresholds (they are listed, and make the
  element at least ``partial``). ``missing``: nothing supports it; ``contested``: an independent
  contradicting item (sharing no origin with any supporting item) is at least as good, on both letters, as
  the best supporting grades (a contradiction graded D-F or 4-6 never contests); ``established``: the
  standard's screen is met; ``partial``: some support, short of that.
- **counsel's assessment**, where the incident records one for the element, decides the status (met ->
  established, contested -> contested, not_met -> partial or missing, open -> the screen's); the screen's own
  result is always reported beside it (``basis`` says which one the status rests on).
- a deconfliction record (coordinate sharing) never counts toward a **mental** element: it is listed as an
  inference, with its caveat, for each of its recipients the attack is attributed to, and for no other party.
- members of an **alternative** group (elements sharing a label) are not needed once a sibling is established.
- **case-wide** items (``scope: case``) support the contextual elements of every incident in their period.
- **attribution**: each party the attack is attributed to, or an item maps to (``attribution/PARTY``), is
  graded on its own items like an element.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TypeGuard

from dossier.analysis.applicable_law import applicability, own_conflict_text
from dossier.analysis.lineage import independent_groups
from dossier.diagnostics import Diagnostic
from dossier.models import AnyItem, Incident, ItemBase, Norm, Threshold
from dossier.models.item import CoordinateSharing
from dossier.models.loaded import Case
from dossier.models.norm import Element
from dossier.models.results import (
    Assessment,
    ChargeResult,
    CounselFinding,
    ElementResult,
    Gap,
    IncidentResult,
    Inference,
)
from dossier.words import count

RELIABILITY_ORDER = "ABCDEF"  # F (cannot be judged) ranks last when comparing reliability
QUALIFIED = ("ABC", 3)
STRONG = ("AB", 2)
ATTRIBUTION = "attribution"
ATTRIBUTION_PROOF = ("radio_intercept", "plane_spotter_log", "munition_analysis", "official_statement", "video",
                     "witness_statement", "report")
FINDING_STATUS = {"met": "established", "contested": "contested"}

NOTIFICATION_CAVEAT = (
    "A notification shows that the coordinates and the protected status of the site were passed to the party; "
    "it does not show that the unit which carried out the strike had them, that the attacker meant to strike the "
    "site, nor that the site was not a military objective on the day of the attack. It is never counted as proof "
    "of a mental element."
)


def grade_ok(reliability: str, credibility: int, grade: tuple[str, int]) -> bool:
    return reliability in grade[0] and credibility <= grade[1]


def _reliability(case: Case, item: ItemBase) -> str:
    source = case.sources.get(item.source)
    return source.reliability if source else "F"


def counts_toward_screen(case: Case, item: ItemBase) -> bool:
    """Items graded E-F or 5-6 count for nothing toward the thresholds."""
    return _reliability(case, item) not in "EF" and item.credibility < 5


def in_period(item: ItemBase, day: date) -> bool:
    period = item.period
    return period is None or ((period.from_ is None or period.from_ <= day) and (period.to is None or day <= period.to))


def _supports(case: Case, incident: Incident, ref: str, stance: str,
              contextual: bool) -> list[tuple[AnyItem, str]]:
    """The items mapped to ``ref`` for this incident with this stance (case-wide ones for a contextual element)."""
    out = []
    candidates = list(case.items_of(incident.id))
    if contextual:
        candidates += [i for i in case.items.values() if i.scope == "case" and in_period(i, incident.start)]
    for item in candidates:
        for support in item.supports:
            if support.element == ref and support.stance == stance and support.incident in (None, incident.id):
                out.append((item, support.note or ""))
                break
    return out


def _is_notification(item: ItemBase) -> TypeGuard[CoordinateSharing]:
    return getattr(item, "deconfliction", None) is not None


def _inferences(case: Case, incident: Incident, element: Element, mapped: list[AnyItem]) -> tuple[Inference, ...]:
    """What deconfliction records suggest about a mental element: one inference per recipient the attack is
    attributed to (whatever that party's attribution status), never for another party."""
    if element.kind != "mental":
        return ()
    attacker = list(dict.fromkeys(incident.attack.attributed_to))
    records = [i for i in mapped if _is_notification(i)]
    if element.notification_inference:
        records += [i for i in case.items_of(incident.id) if _is_notification(i) and i not in records]
    out = []
    for item in records:
        block = item.deconfliction
        if block.shared_on >= incident.start:
            continue  # shared on or after the day of the attack: it cannot show prior knowledge
        facility = block.facility or "the site"
        for party in (p for p in attacker if p in block.recipients):
            out.append(Inference(
                item=item.id, party=party, recipients=tuple(block.recipients), shared_on=block.shared_on.isoformat(),
                reason=(f"The coordinates of {facility} were shared with {party} on {block.shared_on.isoformat()}, "
                        f"before the attack, which is alleged against {party}: circumstantial evidence that {party}'s "
                        "command knew the site's location and protected status, if its forces carried out the "
                        "attack."), caveat=NOTIFICATION_CAVEAT))
    return tuple(out)


def _screen(case: Case, supporting: list[AnyItem], against: list[AnyItem],
            threshold: Threshold) -> tuple[str, list[str], list[list[str]], list[list[str]], list[list[str]]]:
    """The corroboration screen: (status, the counted ids, all groups, reliable groups, strong groups)."""
    counted = [i for i in supporting if counts_toward_screen(case, i)]
    ids = [i.id for i in counted]
    reliable = [i.id for i in counted if grade_ok(_reliability(case, i), i.credibility, QUALIFIED)]
    strong = [i.id for i in counted if grade_ok(_reliability(case, i), i.credibility, STRONG)]
    all_groups = independent_groups(ids, case.origins)
    q_groups = independent_groups(reliable, case.origins)
    s_groups = independent_groups(strong, case.origins)
    if not supporting:
        return "missing", ids, all_groups, q_groups, s_groups
    if _contested(case, supporting, against):
        return "contested", ids, all_groups, q_groups, s_groups
    if len(all_groups) >= threshold.sources and len(q_groups) >= threshold.qualified and \
            len(s_groups) >= threshold.strong:
        return "established", ids, all_groups, q_groups, s_groups
    return "partial", ids, all_groups, q_groups, s_groups


def _contested(case: Case, supporting: list[AnyItem], against: list[AnyItem]) -> bool:
    """An independent contradiction at least as good as the best support on both letters (never one graded
    D-F or 4-6)."""
    if not supporting or not against:
        return False
    best_rel = min(RELIABILITY_ORDER.index(_reliability(case, i)) for i in supporting)
    best_cred = min(i.credibility for i in supporting)
    origins = set().union(*(case.origins.get(i.id, frozenset({i.id})) for i in supporting))
    for item in against:
        rel = _reliability(case, item)
        if rel in "DEF" or item.credibility >= 4:
            continue
        if case.origins.get(item.id, frozenset({item.id})) & origins:
            continue  # the same origin cannot contradict itself into a contest
        if RELIABILITY_ORDER.index(rel) <= best_rel and item.credibility <= best_cred:
            return True
    return False


def _finding(incident: Incident, ref: str) -> CounselFinding | None:
    """Counsel's latest assessment of ``ref`` for the incident, as the edition's view holds it."""
    found = [a for a in incident.assessments if a.element == ref]
    if not found:
        return None
    latest = max(enumerate(found), key=lambda e: ((e[1].on or date.min), e[0]))[1]
    return CounselFinding(latest.finding, latest.reasoning.strip(), latest.on.isoformat() if latest.on else "",
                          tuple(latest.relies_on), latest.on_material_not_shown)


def _decide(screen: str, finding: CounselFinding | None, supported: bool) -> tuple[str, str]:
    """(status, basis): counsel's applicable finding decides; 'open' leaves the screen's."""
    if finding is None or finding.finding == "open":
        return screen, "screen"
    if finding.finding == "not_met":
        return ("partial" if supported else "missing"), "assessment"
    return FINDING_STATUS[finding.finding], "assessment"


def assess_element(case: Case, incident: Incident, norm: Norm, element: Element, threshold: Threshold,
                   ref: str | None = None) -> ElementResult:
    """The status of one element (or of attribution to one party) for one incident, and what it rests on."""
    ref = ref or f"{norm.id}/{element.id}"
    contextual = element.kind == "contextual"
    support = _supports(case, incident, ref, "supports", contextual)
    against = _supports(case, incident, ref, "contradicts", contextual)
    mapped = [item for item, _ in support]
    # a notification is never proof of a mental element: listed as an inference, not counted
    notices = [i for i in mapped if element.kind == "mental" and _is_notification(i)]
    supporting = [i for i in mapped if i not in notices]
    status_screen, ids, all_groups, q_groups, s_groups = _screen(case, supporting, [i for i, _ in against],
                                                                 threshold)
    finding = _finding(incident, ref)
    status, basis = _decide(status_screen, finding, bool(supporting))
    present = {i.type for i in supporting}
    # a notification never proves a mental element: it is not what would close that gap
    suggested = tuple(t for t in element.means_of_proof if t not in present
                      and not (element.kind == "mental" and t == "coordinate_sharing"))
    notes = tuple((i.id, "supports", n) for i, n in support) + tuple((i.id, "contradicts", n) for i, n in against)
    uncounted = tuple(i.id for i in mapped if i in notices or not counts_toward_screen(case, i))
    return ElementResult(
        id=element.id, text=element.text, kind=element.kind, status=status, supporting=tuple(i.id for i in supporting),
        contradicting=tuple(i.id for i, _ in against), independent_sources=len(q_groups),
        sources_total=len(all_groups), strong_sources=len(s_groups), groups=tuple(tuple(g) for g in q_groups),
        suggested_types=suggested, means_of_proof=tuple(element.means_of_proof),
        inferences=_inferences(case, incident, element, mapped), notes=notes,
        explanation=explain(status_screen, len(all_groups), len(q_groups), len(s_groups), threshold, ids, q_groups),
        basis=basis, screen=status_screen, assessment=finding, alternative=element.alternative or "",
        case_wide=tuple(i.id for i in supporting if i.scope == "case"), uncounted=uncounted,
    )


def explain(status: str, total: int, qualified: int, strong: int, t: Threshold, ids: list[str],
            groups: list[list[str]]) -> str:
    """One sentence a reviewer can check: how many independent sources, against what the standard needs."""
    if status == "missing":
        return "No item supports this element."
    dependent = [g for g in groups if len(g) > 1]
    shared = "".join(f" {', '.join(g)} share an origin and count once." for g in dependent)
    have = (f"{count(len(ids), 'supporting item')} from {count(total, 'independent source')} ({qualified} graded A-C/1-3"
            + (f", {strong} A-B/1-2)" if t.strong else ")"))
    if status == "contested":
        return (f"{have}; contradicted by an independent item graded at least as well, on both letters, as the best "
                "supporting one.")
    verdict = "meets" if status == "established" else "falls short of"
    return f"{have}: {verdict} the screen, which asks for {t.phrase()}.{shared}"


def _alternatives(elements: tuple[ElementResult, ...]) -> tuple[ElementResult, ...]:
    """A member of an alternative group is not needed, and suggests nothing, once a sibling is established."""
    met = {el.alternative for el in elements if el.alternative and el.status == "established"}
    return tuple(dataclasses.replace(el, needed=False, suggested_types=())
                 if el.alternative in met and el.status != "established" else el for el in elements)


def _gaps(incident: Incident, norm: Norm, elements: tuple[ElementResult, ...]) -> list[Gap]:
    """What is not established and still needed; an alternative group none of whose members is established is
    one gap naming the group ("one of 4 or 5")."""
    gaps: list[Gap] = []
    grouped: dict[str, list[ElementResult]] = {}
    for el in elements:
        if el.status == "established" or not el.needed:
            continue
        if el.alternative:
            grouped.setdefault(el.alternative, []).append(el)
        else:
            gaps.append(Gap(incident.id, norm.id, el.id, el.status, el.text, el.suggested_types))
    order = {"partial": 0, "contested": 1, "missing": 2}
    for members in grouped.values():
        best = min(members, key=lambda e: order[e.status])
        ids = " or ".join(e.id for e in members)
        text = (f"One of {ids} (alternatives: either is enough): "
                + "; ".join(f"({e.id}) {e.text.strip().rstrip('.')}" for e in members) + ".")
        suggested = tuple(dict.fromkeys(t for e in members for t in e.suggested_types))
        gaps.append(Gap(incident.id, norm.id, ids, best.status, text, suggested))
    return gaps


ATTRIBUTION_ELEMENT = Element(id="party", kind="conduct", means_of_proof=list(ATTRIBUTION_PROOF),
                              text="The attack was carried out by this party's forces, or by persons whose conduct "
                                   "is attributable to it.")


def attribution_parties(case: Case, incident: Incident) -> list[str]:
    """The parties the attack is attributed to, then those an item maps to with ``attribution/PARTY``."""
    parties = list(dict.fromkeys(incident.attack.attributed_to))
    for item in case.items_of(incident.id):
        for support in item.supports:
            norm, _, party = support.element.partition("/")
            if norm == ATTRIBUTION and support.incident in (None, incident.id) and party not in parties:
                parties.append(party)
    return parties


ATTRIBUTION_NORM = Norm(id=ATTRIBUTION, title="Attribution", instrument="State responsibility (ARSIWA arts 4, 8)",
                        provision="attribution", kind="rule", applies_to=["any"], binding="customary",
                        elements=[ATTRIBUTION_ELEMENT])


def assess_attribution(case: Case, incident: Incident, threshold: Threshold) -> tuple[ElementResult, ...]:
    """Each party's attribution status for the incident, on its own items (and counsel's assessment of it)."""
    pseudo = ATTRIBUTION_NORM
    out = []
    for party in attribution_parties(case, incident):
        result = assess_element(case, incident, pseudo, ATTRIBUTION_ELEMENT, threshold, f"{ATTRIBUTION}/{party}")
        out.append(dataclasses.replace(result, id=party, kind=ATTRIBUTION))
    return tuple(out)


def assess(case: Case) -> Assessment:
    """The completeness analysis of an (edition-filtered) case, loaded through the pipeline's session."""
    if case.items and not case.origins:
        raise ValueError("the case's origins were not traced: load it with dossier.pipeline.session.load")
    threshold = case.case.threshold()
    incidents = []
    gaps: list[Gap] = []
    for incident in sorted(case.incidents.values(), key=lambda i: (i.start, i.id)):
        charges = []
        for norm_id in case.charges_of(incident):
            norm = case.norms[norm_id]
            applicable, reason = applicability(case, incident, norm)
            # a norm that does not apply has no gaps: its elements are not assessed
            elements = _alternatives(tuple(assess_element(case, incident, norm, el, threshold)
                                           for el in norm.elements)) if applicable else ()
            charges.append(ChargeResult(norm.id, norm.title, norm.kind, norm.provision, applicable, reason, elements))
            if applicable:
                gaps.extend(_gaps(incident, norm, elements))
        incidents.append(IncidentResult(incident.id, incident.title, tuple(charges),
                                        own_conflict_text(case, incident), assess_attribution(case, incident,
                                                                                             threshold)))
    order = {"missing": 0, "contested": 1, "partial": 2}
    kinds = {n.id: (0 if n.kind == "crime" else 1) for n in case.norms.values()}
    gaps.sort(key=lambda g: (order[g.status], kinds.get(g.norm, 1)))
    return Assessment(case.case.id, case.edition, case.case.standard_of_proof, threshold, case.withheld,
                      tuple(incidents), tuple(gaps))


def finding_warnings(case: Case) -> tuple[Diagnostic, ...]:
    """A ``met`` finding where the screen finds nothing or a contest: counsel may be right, and a reviewer must
    see that the status rests on the finding alone."""
    out = []
    threshold = case.case.threshold()
    for incident in case.incidents.values():
        for i, a in enumerate(incident.assessments):
            if a.finding != "met":
                continue
            norm_id, element_id = a.element.split("/")
            if norm_id == ATTRIBUTION:
                norm, element, ref = ATTRIBUTION_NORM, ATTRIBUTION_ELEMENT, a.element
            else:
                norm = case.norms.get(norm_id)
                element = norm.element(element_id) if norm else None
                ref = None
            if norm is None or element is None:
                continue
            screen = assess_element(case, incident, norm, element, threshold, ref).screen
            if screen in ("missing", "contested"):
                out.append(Diagnostic(
                    "warning", "finding-beyond-screen",
                    f"counsel found {a.element} met where the corroboration screen finds it {screen}: the status "
                    "rests on the finding alone; check that the reasoning says why", case.loc(
                        "incident", incident.id, "assessments", i, "finding"), f"assessments[{i}].finding",
                    (incident.id,)))
    return tuple(out)
