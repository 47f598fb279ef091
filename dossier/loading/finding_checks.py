"""Cross-checks of the version 2 legal model: attribution references, counsel's assessments, case-wide items.

Errors, each with what to do: ``attribution/PARTY`` naming an unknown party (in a mapping or an assessment);
an assessment of an unknown norm or element, or one the incident is not charged with; ``relies_on`` naming an
unknown item, or one that does not bear on the assessed element for that incident; a case-wide item
(``scope: case``) mapped to an element that is not contextual; ``on_material_not_shown`` written by hand.
Warning: a deconfliction record mapped to a mental element (it is shown as an inference, never counted).
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.diagnostics import Diagnostics, Location, did_you_mean
from dossier.models.loaded import Case

ATTRIBUTION = "attribution"
Unknown = Callable[..., None]


def _bears_on(case: Case, item_id: str, element: str, incident_id: str) -> bool:
    item = case.items.get(item_id)
    if item is None:
        return False
    concerns = incident_id in item.incidents or item.scope == "case"
    return concerns and any(s.element == element and s.incident in (None, incident_id) for s in item.supports)


def _element_at(case: Case, item_id: str, i: int) -> Location:
    """Where an item's i-th mapping names its element: asked only for a diagnostic, as the first location of
    a file composes it again (``Positions``)."""
    return case.loc("item", item_id, "supports", i, "element")


def check_findings(case: Case, diags: Diagnostics, unknown: Unknown) -> None:
    """Add the errors and warnings above; ``unknown`` reports an unknown reference (crossref's ``_unknown``)."""
    parties = {p.id for p in case.case.parties}
    for item in case.items.values():
        for i, support in enumerate(item.supports):
            norm_id, element_id = support.element.split("/")
            if norm_id == ATTRIBUTION:
                if element_id not in parties:
                    diags.error("unknown-party", f"attribution/{element_id}: unknown party '{element_id}'"
                                f"{did_you_mean(element_id, parties)}; `attribution/PARTY` names a party of "
                                "case.yaml", _element_at(case, item.id, i), f"supports[{i}].element", (item.id,))
                continue
            norm = case.norms.get(norm_id)
            element = norm.element(element_id) if norm else None
            if element is None:
                continue  # reported by crossref
            if item.scope == "case" and element.kind != "contextual":
                diags.error("case-wide-not-contextual",
                            f"a case-wide item (scope: case) may support only contextual elements (such as the "
                            f"existence of the armed conflict); {support.element} is a {element.kind} element, proved incident by "
                            "incident: list the item's `incidents` (and remove `scope: case`), or map "
                            f"{support.element} from an item about each incident",
                            _element_at(case, item.id, i), f"supports[{i}].element", (item.id,))
            if element.kind == "mental" and getattr(item, "deconfliction", None) is not None:
                diags.warning("notification-for-intent",
                              f"a deconfliction record never proves a mental element: it is shown with "
                              f"{support.element} as an inference about its recipients' knowledge, with its caveat, "
                              "and not counted", _element_at(case, item.id, i), f"supports[{i}].element", (item.id,),
                              item=item.id)
    for incident in case.incidents.values():
        charged = set(case.charges_of(incident))
        for i, a in enumerate(incident.assessments):
            where = ("assessments", i)
            norm_id, element_id = a.element.split("/")
            if a.on_material_not_shown:
                diags.error("reserved-field", "on_material_not_shown is set by an edition that withholds an item "
                            "the assessment relies on; remove it", case.loc("incident", incident.id, *where,
                                                                             "on_material_not_shown"),
                            f"assessments[{i}].on_material_not_shown", (incident.id,))
            if norm_id == ATTRIBUTION:
                if element_id not in parties:
                    diags.error("unknown-party", f"attribution/{element_id}: unknown party '{element_id}'"
                                f"{did_you_mean(element_id, parties)}", case.loc("incident", incident.id, *where,
                                                                                  "element"),
                                f"assessments[{i}].element", (incident.id,))
                    continue
            else:
                norm = case.norms.get(norm_id)
                if norm is None:
                    unknown(diags, case, "incident", incident.id, (*where, "element"), "norm", norm_id, case.norms,
                            incident.id)
                    continue
                if norm.element(element_id) is None:
                    ids = ", ".join(e.id for e in norm.elements)
                    diags.error("unknown-element", f"norm {norm_id} has no element '{element_id}' (its elements: "
                                f"{ids})", case.loc("incident", incident.id, *where, "element"),
                                f"assessments[{i}].element", (incident.id,))
                    continue
                if norm_id not in charged:
                    diags.error("assessment-not-charged", f"the incident is not charged with {norm_id}: add it to "
                                "its charges, or assess an element of a norm it is charged with",
                                case.loc("incident", incident.id, *where, "element"), f"assessments[{i}].element",
                                (incident.id,))
            for j, ref in enumerate(a.relies_on):
                if ref not in case.items:
                    unknown(diags, case, "incident", incident.id, (*where, "relies_on", j), "item", ref, case.items,
                            incident.id)
                elif not _bears_on(case, ref, a.element, incident.id):
                    diags.error("relies-on-unrelated", f"item {ref} does not bear on {a.element} for this incident "
                                f"(it maps no `supports` to it): map it in the item's supports, or rest the "
                                "assessment on the items that do",
                                case.loc("incident", incident.id, *where, "relies_on", j),
                                f"assessments[{i}].relies_on[{j}]", (incident.id, ref))
