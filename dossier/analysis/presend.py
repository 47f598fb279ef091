"""Checks before sending a submission: what would make the body set it aside, as warnings (errors with
``--strict``), each at the line to change.

- no identified submitter (the bodies do not consider anonymous submissions);
- an alleged victim that is a building (victims are persons or groups), or, for the Special Procedures, an
  incident with no alleged victim at all;
- an alleged perpetrator whose attribution, in the submission's view, is short of established;
- facts resting only on media reports;
- a request the body does not act on (asking the Special Procedures to forward files to the IIIM, say);
- a language the body does not accept.

The word limit is checked on the rendered text (``dossier.pipeline.submissions``): exceeding it is an error.
"""

from __future__ import annotations

import re

from dossier.diagnostics import Diagnostic
from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.models.submission import BODY_NAMES, LANGUAGES, Submission, out_of_mandate

_BUILDING = re.compile(r"\b(hospital|clinic|school|building|facility|centre|center|medical point|ambulance|market|"
                       r"mosque|church|bakery|premises|unit)s?\b", re.IGNORECASE)
_PEOPLE = re.compile(r"\b(patients?|staff|children|child|pupils?|students?|people|persons?|residents?|families|"
                     r"family|civilians?|doctors?|nurses?|workers?|traders?|women|men|girls?|boys?|inhabitants?|"
                     r"population|community|communities|displaced|wounded|injured|killed)\b", re.IGNORECASE)
SHORT_OF_ESTABLISHED = {"established": "corroborated on the screen, not established by counsel", "partial": "not established (partly supported)",
                        "contested": "contested",
                        "missing": "not established (no item shown attributes the attack to it)"}


def _warn(out: list[Diagnostic], case: Case, sub: Submission, code: str, field: str, message: str,
          kind: str = "submission", id_: str = "", path: tuple = ()) -> None:
    location = case.loc(kind, id_ or sub.id, *path) if kind != "submission" else \
        case.loc("submission", sub.id, *path)
    out.append(Diagnostic("warning", code, message, location, field, (sub.id,), sub.id))


def is_building(text: str, facility: str | None) -> bool:
    """Whether a victim's description names an object rather than persons: a facility word and no word for
    people ("Tarmala hospital"), or the attacked facility's own name."""
    if facility and text.strip().lower() == facility.strip().lower():
        return True
    return bool(_BUILDING.search(text)) and not _PEOPLE.search(text)


def presend_checks(case: Case, view: Case, assessment: Assessment, sub: Submission) -> list[Diagnostic]:
    """The warnings above for one submission; ``view`` and ``assessment`` are the submission's."""
    out: list[Diagnostic] = []
    body = BODY_NAMES[sub.body]
    if sub.submitter is None or not (sub.submitter.organisation or "").strip():
        _warn(out, case, sub, "presend-submitter", "submitter",
              f"no identified submitter: anonymous submissions are not considered by {body}; name the submitting "
              "organisation under `submitter.organisation` (add `confidential: true` to ask that it not be disclosed)",
              path=("submitter",) if sub.submitter else ("id",))
    if sub.language.split("-")[0].lower() not in LANGUAGES[sub.body]:
        _warn(out, case, sub, "presend-language", "language",
              f"a submission to {body} must be in one of {', '.join(LANGUAGES[sub.body])} (got '{sub.language}'): "
              "write it in one of them and set `language`", path=("language",))
    for i, request in enumerate(sub.requests):
        reason = out_of_mandate(sub.body, request)
        if reason:
            _warn(out, case, sub, "presend-request", f"requests[{i}]",
                  f"a request outside the mandate of {body}: {reason}", path=("requests", i))
    results = {r.id: r for r in assessment.incidents}
    for n, incident_id in enumerate(sub.incidents):
        incident = view.incidents.get(incident_id)
        if incident is None:
            continue
        facility = incident.facility.name if incident.facility else None
        for i, victim in enumerate(case.incidents[incident_id].victims):
            text = victim.group if victim.group is not None else (victim.pseudonym or "")
            if text and is_building(text, facility):
                _warn(out, case, sub, "presend-victim-building", f"victims[{i}]",
                      f"'{text}' is a building, not a victim: the alleged victims are the persons or groups "
                      "harmed (patients, staff, the people it served); describe them instead",
                      "incident", incident_id, ("victims", i))
        if sub.body == "special_procedures" and not incident.victims:
            _warn(out, case, sub, "presend-no-victim", f"incidents[{n}]",
                  f"{incident_id}: no alleged victim can be named to {body}: record the persons or groups harmed "
                  "under the incident's `victims:` (with their consent for the Special Procedures)",
                  path=("incidents", n))
        result = results.get(incident_id)
        if result is None:
            continue
        for a in result.attribution:
            if a.id in incident.attack.attributed_to and (a.status != "established" or a.basis != "assessment"):
                i = incident.attack.attributed_to.index(a.id)
                _warn(out, case, sub, "presend-attribution", f"attack.attributed_to[{i}]",
                      f"the attack is alleged against {a.id}, whose attribution is {SHORT_OF_ESTABLISHED[a.status]} "
                      "on what this submission may show: the submission names it an alleged perpetrator and says "
                      "what that rests on; substantiate it before sending, or say why it is alleged",
                      "incident", incident_id, ("attack", "attributed_to", i))
        media_only = _media_only(view, result)
        if media_only:
            _warn(out, case, sub, "presend-media-only", f"incidents[{n}]",
                  f"{incident_id}: {', '.join(media_only)} rest{'s' if len(media_only) == 1 else ''} only on media "
                  f"reports, which carry little weight with {body}: add what a witness, a document or imagery "
                  "shows",
                  path=("incidents", n))
    return out


def _media_only(view: Case, result) -> list[str]:
    """The facts (elements of applicable charges, and attributions) whose every supporting item is a media
    report."""
    found = []
    rows = [(f"{ch.norm}/{el.id}", el) for ch in result.charges if ch.applicable for el in ch.elements]
    rows += [(f"attribution/{el.id}", el) for el in result.attribution]
    for ref, el in rows:
        kinds = {view.sources[view.items[i].source].kind for i in el.supporting
                 if i in view.items and view.items[i].source in view.sources}
        if el.supporting and kinds == {"media"}:
            found.append(ref)
    return found
