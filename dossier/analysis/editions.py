"""Editions: who may read what. The one filter every output goes through.

``apply_edition`` returns a new Case holding only what the edition may show, so
nothing downstream (analysis, templates, manifest, file names) can see a withheld
item: not its id, summary, name, hash or support.

| edition  | items shown              | witness statements            | name/contact | protected coordinates |
|----------|--------------------------|-------------------------------|--------------|-----------------------|
| internal | all                      | all                           | shown        | exact                 |
(Outside `internal` the interviewer of a witness is not named either.)
| un       | public, restricted       | only with consent `un_bodies` | never        | rounded to 0.1 degree |
| public   | public                   | only with consent `public`    | never        | rounded to 0.1 degree |
"""

from __future__ import annotations

from dossier.loading.case import Case
from dossier.models import ItemBase

SHOWN_CONFIDENTIALITY = {
    "internal": {"public", "restricted", "confidential"},
    "un": {"public", "restricted"},
    "public": {"public"},
}
CONSENT_NEEDED = {"internal": None, "un": "un_bodies", "public": "public"}
ROUNDING_DEGREES = 1  # decimal places kept for protected coordinates outside `internal` (0.1 degree)


def may_show(item: ItemBase, edition: str) -> bool:
    """Whether an edition may show this item at all."""
    if item.confidentiality not in SHOWN_CONFIDENTIALITY[edition]:
        return False
    scope = CONSENT_NEEDED[edition]
    if scope and item.type == "witness_statement":
        consent = getattr(item, "consent", None)
        return consent is not None and scope in consent.share_with
    return True


def round_coordinate(value: float) -> float:
    return round(value, ROUNDING_DEGREES)


def _point(point):
    if point is None:
        return None
    return point.model_copy(update={"lat": round_coordinate(point.lat), "lon": round_coordinate(point.lon)})


def _scrub(item: ItemBase, shown: set[str], protected: bool) -> ItemBase:
    update: dict = {"derived_from": [ref for ref in item.derived_from if ref in shown]}
    witness = getattr(item, "witness", None)
    if witness is not None:
        update["witness"] = witness.model_copy(update={"name": None, "contact": None})
        interview = getattr(item, "interview", None)
        if interview is not None and interview.interviewer:
            # the interviewer met the witness: naming them can lead to the witness
            update["interview"] = interview.model_copy(update={"interviewer": None})
    if protected:
        for block in ("imagery", "deconfliction"):
            value = getattr(item, block, None)
            if value is not None and value.location is not None:
                update[block] = value.model_copy(update={"location": _point(value.location)})
    return item.model_copy(update=update)


def apply_edition(case: Case, edition: str) -> Case:
    """The case as the edition may show it (see the module's table)."""
    if edition not in SHOWN_CONFIDENTIALITY:
        raise ValueError(f"unknown edition {edition!r}")
    if edition == "internal":
        return case.replace(edition="internal", withheld=0)
    shown = {item_id for item_id, item in case.items.items() if may_show(item, edition)}
    protected = {inc.id for inc in case.incidents.values() if inc.location.protect}
    items = {item_id: _scrub(item, shown, bool(protected.intersection(item.incidents)))
             for item_id, item in case.items.items() if item_id in shown}
    incidents = {}
    for inc_id, incident in case.incidents.items():
        if incident.location.protect:
            location = incident.location.model_copy(update={
                "lat": round_coordinate(incident.location.lat), "lon": round_coordinate(incident.location.lon),
                "precision_m": None})
            incident = incident.model_copy(update={"location": location})
        incidents[inc_id] = incident
    used_sources = {item.source for item in items.values()}
    sources = {}
    for sid, source in case.sources.items():
        if sid not in used_sources and source.kind == "witness":
            continue  # a witness source only behind withheld items is itself withheld
        if source.kind == "witness":
            source = source.model_copy(update={"name": f"Witness source {sid}"})
        sources[sid] = source
    withheld = set(case.items) - shown
    hidden_keys = {f"item:{i}" for i in withheld} | {f"source:{s}" for s in set(case.sources) - set(sources)}
    hidden_subjects = withheld | (set(case.sources) - set(sources))
    return case.replace(
        items=items,
        incidents=incidents,
        sources=sources,
        where={k: v for k, v in case.where.items() if k not in hidden_keys},
        origins={k: v for k, v in case.origins.items() if k in shown},
        warnings=tuple(w for w in case.warnings if w.subjects and not hidden_subjects.intersection(w.subjects)),
        edition=edition,
        withheld=len(withheld),
    )
