"""Element-by-element completeness: for every incident and charged norm, what the evidence establishes.

Pure functions of an edition-filtered Case. The rules (cli.md):

- ``missing``: no item supports the element;
- ``contested``: an item contradicts it whose source is graded at least as
  reliable as the best supporting one;
- ``established``: the support meets the case's standard of proof;
- ``partial``: some support, short of that.

An item is *qualified* when its source is graded A-C and its information 1-3,
*strong* when A-B and 1-2. Support is counted in independent groups (items whose
origins overlap are one group): the threshold of the standard of proof says how
many groups are needed in all, how many qualified, how many strong.
"""

from __future__ import annotations

from dossier.analysis.applicable_law import applicability, own_conflict_text
from dossier.analysis.lineage import independent_groups
from dossier.models.loaded import Case
from dossier.models import Incident, ItemBase, Norm, Threshold
from dossier.models.norm import Element
from dossier.models.results import (STATUSES, Assessment, ChargeResult, ElementResult, Gap, IncidentResult,
                                    Inference)

RELIABILITY_ORDER = "ABCDEF"  # F (cannot be judged) ranks last when comparing reliability
QUALIFIED = ("ABC", 3)
STRONG = ("AB", 2)

NOTIFICATION_CAVEAT = (
    "A notification shows that the coordinates and the protected status of the site were passed to the party; "
    "it does not show that the unit which carried out the strike had them, nor that the site was not a military "
    "objective on the day of the attack."
)


def grade_ok(reliability: str, credibility: int, grade: tuple[str, int]) -> bool:
    return reliability in grade[0] and credibility <= grade[1]


def _supports(case: Case, incident: Incident, ref: str, stance: str) -> list[tuple[ItemBase, str]]:
    out = []
    for item in case.items_of(incident.id):
        for support in item.supports:
            if support.element == ref and support.stance == stance and support.incident in (None, incident.id):
                out.append((item, support.note or ""))
                break
    return out


def _reliability(case: Case, item: ItemBase) -> str:
    source = case.sources.get(item.source)
    return source.reliability if source else "F"


def _inferences(case: Case, incident: Incident, element: Element, counted: set[str]) -> tuple[Inference, ...]:
    if not element.notification_inference:
        return ()
    attacker = set(incident.attack.attributed_to)
    out = []
    for item in case.items_of(incident.id):
        block = getattr(item, "deconfliction", None)
        if block is None or item.id in counted:
            continue
        matched = tuple(r for r in block.recipients if r in attacker)
        if matched and block.shared_on < incident.start:
            facility = block.facility or "the site"
            out.append(Inference(
                item=item.id, recipients=matched, shared_on=block.shared_on.isoformat(),
                reason=(f"The coordinates of {facility} were shared with {', '.join(matched)} on "
                        f"{block.shared_on.isoformat()}, before the attack, which is attributed to "
                        f"{', '.join(incident.attack.attributed_to)}: circumstantial evidence that the attacker "
                        "knew the site's protected status and location."), caveat=NOTIFICATION_CAVEAT))
    return tuple(out)


def assess_element(case: Case, incident: Incident, norm: Norm, element: Element, threshold: Threshold) -> ElementResult:
    """The status of one element for one incident (see the module docstring)."""
    ref = f"{norm.id}/{element.id}"
    support = _supports(case, incident, ref, "supports")
    against = _supports(case, incident, ref, "contradicts")
    supporting = [item for item, _ in support]
    ids = [i.id for i in supporting]
    qualified = [i.id for i in supporting if grade_ok(_reliability(case, i), i.credibility, QUALIFIED)]
    strong = [i.id for i in supporting if grade_ok(_reliability(case, i), i.credibility, STRONG)]
    all_groups = independent_groups(ids, case.origins)
    q_groups = independent_groups(qualified, case.origins)
    s_groups = independent_groups(strong, case.origins)
    contested = False
    if supporting and against:
        best = min(RELIABILITY_ORDER.index(_reliability(case, i)) for i in supporting)
        contested = any(RELIABILITY_ORDER.index(_reliability(case, i)) <= best for i, _ in against)
    if not supporting:
        status = "missing"
    elif contested:
        status = "contested"
    elif len(all_groups) >= threshold.sources and len(q_groups) >= threshold.qualified and \
            len(s_groups) >= threshold.strong:
        status = "established"
    else:
        status = "partial"
    present = {i.type for i in supporting}
    suggested = tuple(t for t in element.means_of_proof if t not in present)
    notes = tuple((i.id, "supports", n) for i, n in support) + tuple((i.id, "contradicts", n) for i, n in against)
    return ElementResult(
        id=element.id, text=element.text, kind=element.kind, status=status, supporting=tuple(ids),
        contradicting=tuple(i.id for i, _ in against), independent_sources=len(q_groups),
        sources_total=len(all_groups), strong_sources=len(s_groups), groups=tuple(tuple(g) for g in q_groups),
        suggested_types=suggested, means_of_proof=tuple(element.means_of_proof),
        inferences=_inferences(case, incident, element, set(ids)), notes=notes,
        explanation=explain(status, len(all_groups), len(q_groups), len(s_groups), threshold, ids, q_groups),
    )


def explain(status: str, total: int, qualified: int, strong: int, t: Threshold, ids: list[str],
            groups: list[list[str]]) -> str:
    """One sentence a reviewer can check: how many independent sources, against what the standard needs."""
    if status == "missing":
        return "No item supports this element."
    dependent = [g for g in groups if len(g) > 1]
    shared = "".join(f" {', '.join(g)} share an origin and count once." for g in dependent)
    have = (f"{len(ids)} supporting item{'s' if len(ids) != 1 else ''} from {total} independent "
            f"source{'s' if total != 1 else ''} ({qualified} graded A-C/1-3"
            + (f", {strong} A-B/1-2)" if t.strong else ")"))
    if status == "contested":
        return f"{have}; contradicted by an item from a source at least as reliable as the best supporting one."
    verdict = "meets" if status == "established" else "falls short of"
    return f"{have}: {verdict} the standard of {t.phrase()}.{shared}"


def assess(case: Case) -> Assessment:
    """The completeness analysis of an (edition-filtered) case, loaded through the pipeline's session."""
    if case.items and not case.origins:
        raise ValueError("the case's origins were not traced: load it with dossier.pipeline.session.load")
    threshold = case.case.threshold()
    incidents = []
    gaps = []
    for incident in sorted(case.incidents.values(), key=lambda i: (i.start, i.id)):
        charges = []
        for norm_id in case.charges_of(incident):
            norm = case.norms[norm_id]
            applicable, reason = applicability(case, incident, norm)
            # a norm that does not apply has no gaps: its elements are not assessed
            elements = tuple(assess_element(case, incident, norm, el, threshold) for el in norm.elements) \
                if applicable else ()
            charges.append(ChargeResult(norm.id, norm.title, norm.kind, norm.provision, applicable, reason, elements))
            if applicable:
                gaps.extend(Gap(incident.id, norm.id, el.id, el.status, el.text, el.suggested_types)
                            for el in elements if el.status != "established")
        incidents.append(IncidentResult(incident.id, incident.title, tuple(charges),
                                        own_conflict_text(case, incident)))
    order = {"missing": 0, "contested": 1, "partial": 2}
    kinds = {n.id: (0 if n.kind == "crime" else 1) for n in case.norms.values()}
    gaps.sort(key=lambda g: (order[g.status], kinds.get(g.norm, 1)))
    return Assessment(case.case.id, case.edition, case.case.standard_of_proof, threshold, case.withheld,
                      tuple(incidents), tuple(gaps))

