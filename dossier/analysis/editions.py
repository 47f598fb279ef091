"""Editions: who may read what. The one filter every output goes through.

``apply_edition`` returns a new Case holding only what the edition may show, so
nothing downstream (analysis, templates, manifest, file names) can see a withheld
item: not its id, summary, name, hash or support.

| edition  | items shown              | witness statements            | persons named | protected coordinates |
|----------|--------------------------|-------------------------------|---------------|-----------------------|
| internal | all                      | all                           | yes           | exact                 |
| un       | public, restricted       | only with consent `un_bodies` | no            | rounded to 0.1 degree |
| public   | public                   | only with consent `public`    | no            | rounded to 0.1 degree |

A consent with ``withdrawn_on`` allows nothing: from then on the statement, or the victim, is in no edition but
``internal`` (a recorded withdrawal counts whatever its date, so no build can depend on the clock). A victim's
name is in ``internal`` only; elsewhere the pseudonym stands if the victim's consent names the edition's
audience, and otherwise the victim is shown only by category and harm. A submission to one UN body
(``submission_view``) follows the ``un`` rules with that body's consent scope instead of ``un_bodies``, and a
victim's name goes to the body only with ``named: true`` (``dossier.analysis.submission_view``).

Outside `internal` no person is named anywhere: every model field marked
:class:`~dossier.models.common.Personal` (witness name and contact, interviewer,
custodian...) is replaced by its stand-in, and a witness-kind source keeps only its
id, kind and grade. The view also holds no parsed file (only positions), its
origins name no withheld source (they become opaque tokens), and it keeps only the
warnings found reading the files that concern what it shows: the pipeline's session
finds the consistency warnings again on the view, so no figure comes from withheld
data (a distance from exact protected coordinates, say).
"""

from __future__ import annotations

import typing
from functools import cache

from pydantic import BaseModel

from dossier.models import AnyItem, Source
from dossier.models.common import UN_BODY_SCOPES, Personal
from dossier.models.incident import Incident, Victim
from dossier.models.loaded import Case

SHOWN_CONFIDENTIALITY = {
    "internal": {"public", "restricted", "confidential"},
    "un": {"public", "restricted"},
    "public": {"public"},
}
CONSENT_NEEDED = {"internal": None, "un": "un_bodies", "public": "public"}
ROUNDING_DEGREES = 1  # decimal places kept for protected coordinates outside `internal` (0.1 degree)


def consent_allows(consent, scope: str) -> bool:
    """Whether a consent (of a witness or a victim) lets its subject go to ``scope``: the scope is named, or it is
    one UN body's and ``un_bodies`` is named (the IIIM excepted: it needs ``iiim``); never once withdrawn."""
    if consent is None or consent.withdrawn_on is not None:
        return False
    if scope in consent.share_with:
        return True
    return scope in UN_BODY_SCOPES and scope != "iiim" and "un_bodies" in consent.share_with


def may_show_to(item: AnyItem, confidentiality: set[str], scope: str | None) -> bool:
    """Whether an audience that sees ``confidentiality`` and needs consent ``scope`` may see this item at all."""
    if item.confidentiality not in confidentiality:
        return False
    if scope and item.type == "witness_statement":
        return consent_allows(getattr(item, "consent", None), scope)
    return True


def may_show(item: AnyItem, edition: str) -> bool:
    """Whether an edition may show this item at all."""
    return may_show_to(item, SHOWN_CONFIDENTIALITY[edition], CONSENT_NEEDED[edition])


def shown_victims(victims: list[Victim], scope: str, names: bool) -> list[Victim]:
    """The victims an audience with consent ``scope`` may be told of: none whose consent is withdrawn; the
    pseudonym only with consent for the scope; the name only where ``names`` (a submission) and the consent
    says ``named: true`` for it; a group as it is."""
    out = []
    for victim in victims:
        if victim.withdrawn:
            continue
        if victim.group is not None:
            out.append(victim)
            continue
        allowed = consent_allows(victim.consent, scope)
        named = names and allowed and victim.consent is not None and victim.consent.named
        out.append(victim.model_copy(update={"pseudonym": victim.pseudonym if allowed else None,
                                             "name": victim.name if named else None}))
    return out


def round_coordinate(value: float) -> float:
    return round(value, ROUNDING_DEGREES)


def _point(point):
    if point is None:
        return None
    return point.model_copy(update={"lat": round_coordinate(point.lat), "lon": round_coordinate(point.lon)})


# --------------------------------------------------------------------------- persons

def _models_in(annotation) -> list[type[BaseModel]]:
    """The model classes an annotation can hold (through Optional, list, tuple, dict, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


@cache
def _personal_fields(cls: type[BaseModel]) -> tuple[tuple[str, Personal | None], ...]:
    """The fields of a model that name a person (with their marker), or that hold models which may
    (with None): the only fields the person filter needs to visit."""
    out: list[tuple[str, Personal | None]] = []
    for name, info in cls.model_fields.items():
        marker = next((m for m in info.metadata if isinstance(m, Personal)), None)
        if marker is not None:
            out.append((name, marker))
        elif any(_personal_fields(m) for m in _models_in(info.annotation)):
            out.append((name, None))
    return tuple(out)


def strip_persons(value):
    """``value`` with every :class:`Personal` field, at any depth, replaced by its stand-in."""
    if isinstance(value, BaseModel):
        update = {}
        for name, marker in _personal_fields(type(value)):
            current = getattr(value, name)
            if marker is not None:
                if current is not None:
                    fallback = getattr(value, marker.from_field, None) if marker.from_field else None
                    update[name] = fallback or marker.stand_in
            else:
                new = strip_persons(current)
                if new is not current:
                    update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, (list, tuple)):
        new = [strip_persons(v) for v in value]
        return type(value)(new) if any(a is not b for a, b in zip(new, value, strict=True)) else value
    if isinstance(value, dict):
        new_dict = {k: strip_persons(v) for k, v in value.items()}
        return new_dict if any(new_dict[k] is not value[k] for k in value) else value
    return value


def _witness_source(source: Source) -> Source:
    """A witness-kind source outside `internal`: its id, kind and grade; no name, description or link."""
    return source.model_copy(update={"name": f"Witness source {source.id}", "description": None, "url": None})


# --------------------------------------------------------------------------- the filter

def _scrub(item: AnyItem, shown: set[str], protected: bool) -> AnyItem:
    update: dict = {"derived_from": [ref for ref in item.derived_from if ref in shown]}
    if protected:
        for block in ("imagery", "deconfliction"):
            value = getattr(item, block, None)
            if value is not None and value.location is not None:
                update[block] = value.model_copy(update={"location": _point(value.location)})
    return strip_persons(item.model_copy(update=update))


NOT_SHOWN_REASONING = "Assessed by counsel on material not shown in this edition."


def _assessments(assessments, shown: set[str]) -> list:
    """Counsel's assessments as an edition may show them: one that relies on an item the edition withholds
    does not apply there if it found the element met (the status falls back to the screen, and nothing is said
    of it); a not_met or contested finding still caps the status, its reasoning replaced by a plain notice and
    the withheld items not named, so no edition reports an element higher than counsel found it."""
    out = []
    for a in assessments:
        hidden = [r for r in a.relies_on if r not in shown]
        if not hidden:
            out.append(a)
        elif a.finding in ("not_met", "contested"):
            out.append(a.model_copy(update={"reasoning": NOT_SHOWN_REASONING, "on_material_not_shown": True,
                                            "relies_on": [r for r in a.relies_on if r in shown]}))
    return out


def _opaque_origins(case: Case, shown: set[str], sources: dict[str, Source]) -> dict[str, frozenset[str]]:
    """The origins of each shown item, a source the edition does not show replaced by an opaque token
    (numbered in order of first use), so independence is still judged on the whole record."""
    tokens: dict[str, str] = {}

    def token(origin: str) -> str:
        if origin in sources:
            return origin
        return tokens.setdefault(origin, f"withheld-origin-{len(tokens) + 1}")

    return {item_id: frozenset(token(o) for o in sorted(origins))
            for item_id, origins in case.origins.items() if item_id in shown}


def apply_edition(case: Case, edition: str) -> Case:
    """The case as the edition may show it (see the module's table)."""
    if edition not in SHOWN_CONFIDENTIALITY:
        raise ValueError(f"unknown edition {edition!r}")
    if edition == "internal":
        return case.replace(edition="internal", withheld=0)
    return filter_case(case, edition, SHOWN_CONFIDENTIALITY[edition], CONSENT_NEEDED[edition] or "", names=False)


def _incident(incident: Incident, shown: set[str], scope: str, names: bool) -> Incident:
    if incident.location.protect:
        location = incident.location.model_copy(update={
            "lat": round_coordinate(incident.location.lat), "lon": round_coordinate(incident.location.lon),
            "precision_m": None})
        incident = incident.model_copy(update={"location": location})
    if incident.assessments:
        incident = incident.model_copy(update={"assessments": _assessments(incident.assessments, shown)})
    stripped = strip_persons(incident)
    if incident.victims:
        stripped = stripped.model_copy(update={"victims": shown_victims(incident.victims, scope, names)})
    return stripped


def _shown_suppressions(case_file, hidden: set[str]):
    """The case file with ``suppress_warnings`` naming no id the view withholds (the view's warnings concern only
    what it shows; an id it withholds is not carried into it)."""
    if not case_file.suppress_warnings:
        return case_file
    kept: list = []
    for entry in case_file.suppress_warnings:
        if isinstance(entry, str):
            kept.append(entry)
            continue
        trimmed = {code: [i for i in ids if i not in hidden] for code, ids in entry.items()}
        trimmed = {code: ids for code, ids in trimmed.items() if ids}
        if trimmed:
            kept.append(trimmed)
    return case_file.model_copy(update={"suppress_warnings": kept})


def filter_case(case: Case, edition: str, confidentiality: set[str], scope: str, names: bool,
                keep_incidents: set[str] | None = None) -> Case:
    """The case as an audience outside `internal` may see it: items of ``confidentiality``, witness statements and
    victims with consent for ``scope``, no person named (but the victims a submission may name, ``names``),
    protected coordinates rounded. ``keep_incidents`` (a submission's) drops the other incidents and their items."""
    items_in = case.items
    incidents_in = case.incidents
    if keep_incidents is not None:
        incidents_in = {i: inc for i, inc in case.incidents.items() if i in keep_incidents}
        items_in = {i: it for i, it in case.items.items()
                    if it.scope == "case" or keep_incidents.intersection(it.incidents)}
    shown = {item_id for item_id, item in items_in.items() if may_show_to(item, confidentiality, scope or None)}
    protected = {inc.id for inc in case.incidents.values() if inc.location.protect}
    items = {item_id: _scrub(item, shown, bool(protected.intersection(item.incidents)))
             for item_id, item in items_in.items() if item_id in shown}
    incidents = {inc_id: _incident(incident, shown, scope, names) for inc_id, incident in incidents_in.items()}
    used_sources = {item.source for item in items.values()}
    sources = {}
    for sid, source in case.sources.items():
        if sid not in used_sources and source.kind == "witness":
            continue  # a witness source only behind withheld items is itself withheld
        if source.kind == "witness":
            source = _witness_source(source)
        sources[sid] = source
    sources = {sid: s.model_copy(update={"derived_from": [d for d in s.derived_from if d in sources]})
               for sid, s in sources.items()}
    withheld = set(items_in) - shown
    dropped = (set(case.items) - set(items_in)) | (set(case.incidents) - set(incidents_in))
    hidden_keys = {f"item:{i}" for i in withheld | dropped} | \
        {f"source:{s}" for s in set(case.sources) - set(sources)} | \
        {f"incident:{i}" for i in set(case.incidents) - set(incidents_in)} | \
        {f"submission:{s}" for s in case.submissions}
    hidden_subjects = withheld | dropped | (set(case.sources) - set(sources)) | set(case.submissions)
    view = case.replace(
        case=_shown_suppressions(strip_persons(case.case), hidden_subjects),
        items=items,
        incidents=incidents,
        sources=sources,
        where={k: v for k, v in case.where.items() if k not in hidden_keys},
        submissions={},  # a submission (its submitter, its contact) is in no edition's view
        origins=_opaque_origins(case, shown, sources),
        input_warnings=tuple(w for w in case.input_warnings
                             if w.subjects and not hidden_subjects.intersection(w.subjects)),
        warnings=tuple(w for w in case.input_warnings if w.subjects and not hidden_subjects.intersection(w.subjects)),
        edition=edition,
        withheld=len(withheld),
    )
    return view
