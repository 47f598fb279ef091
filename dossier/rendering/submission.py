"""The context of a submission's template, from the submission's view of the case (the `un` rules with the
body's consent scope) and what analysis found on it: one builder per body, in the body's order and words.

Also: the files a CoI or IIIM hand-over package holds (``package_files``) and the number of words of a
rendered submission, counted on the text the body receives (``word_count``).
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

from dossier.files import resolve_exhibit, sha256_file
from dossier.models import Incident
from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.models.submission import BODY_NAMES, BODY_TITLES, WORD_LIMITS, Submission
from dossier.rendering.alleged import casualty_text, human_rights_engaged, perpetrator_lines, victim_lines
from dossier.rendering.context import build_date, make_incident_view, make_meta
from dossier.rendering.exhibits import exhibit_numbers
from dossier.rendering.labels import long_date
from dossier.rendering.submission_records import (
    InvestigativeContext,
    MrmContext,
    MrmRow,
    NormFrame,
    PackageFile,
    SpecialProceduresContext,
    SubmissionFacts,
    SubmissionHead,
    SubmitterView,
    TreatyBodyContext,
    UprContext,
)
from dossier.rendering.views import ChargeView, IncidentView
from dossier.words import count, joined

MARKINGS = {
    "special_procedures": "CONFIDENTIAL: NOT FOR DISCLOSURE · COMMUNICATION TO THE UN SPECIAL PROCEDURES",
    "coi": "CONFIDENTIAL: NOT FOR DISCLOSURE · FOR THE COMMISSION OF INQUIRY",
    "iiim": "CONFIDENTIAL: NOT FOR DISCLOSURE · FOR THE IIIM",
    "mrm": "CONFIDENTIAL: NOT FOR DISCLOSURE · FOR THE MRM COUNTRY TASK FORCE",
    "upr": "UPR STAKEHOLDER SUBMISSION",
    "treaty_body": "SUBMISSION TO THE TREATY BODY",
}
FAMILIES = {"human_rights": "international human rights law", "rule": "international humanitarian law",
            "crime": "international criminal law"}
TEMPLATE = "submission-{body}.html"
PACKAGE_FOLDER = "exhibits"


def template_name(sub: Submission) -> str:
    return TEMPLATE.format(body=sub.body)


def _head(view: Case, sub: Submission) -> SubmissionHead:
    day = sub.date or build_date(view)
    limits = WORD_LIMITS.get(sub.body)
    limit = sub.word_limit if sub.word_limit is not None else (limits[1 if sub.joint else 0] if limits else 0)
    return SubmissionHead(sub.id, sub.body, BODY_TITLES[sub.body], sub.title or view.case.title, tuple(sub.to),
                          sub.language, day.isoformat(), long_date(day), (sub.summary or "").strip(), sub.joint, limit)


def _submitter(sub: Submission) -> SubmitterView:
    s = sub.submitter
    if s is None or not (s.organisation or "").strip():
        return SubmitterView("", s.contact or "" if s else "", bool(s and s.confidential),
                             "No submitter is identified: the body will not consider an anonymous submission.")
    statement = ("The submitter asks that its identity and contact details be kept confidential and not be "
                 "disclosed to the Government concerned or in any public report." if s.confidential else
                 "The submitter does not ask that its identity be kept confidential.")
    return SubmitterView(s.organisation or "", s.contact or "", s.confidential, statement)


def _meta(view: Case, sub: Submission):
    meta = make_meta(view)
    return dataclasses.replace(meta, edition_title=f"Submission to the {BODY_TITLES[sub.body]}",
                               marking=MARKINGS[sub.body], language=sub.language)


NAMED_TO = {"special_procedures": "the Government concerned"}
"""To whom a victim's name goes through the body (the Special Procedures transmit it to the Government)."""


def _facts(view: Case, iv: IncidentView, incident: Incident, body: str) -> SubmissionFacts:
    means = next((r.value for r in iv.attack if r.label == "Means"), "")
    to = NAMED_TO.get(body, BODY_NAMES[body])
    return SubmissionFacts(
        iv.id, iv.title, iv.when, iv.place + (f", {iv.region}" if iv.region else ""), iv.coordinates,
        iv.coordinates_note, iv.facility, means, iv.casualties, iv.summary, iv.chronology,
        victim_lines(incident, named=True, to=to), perpetrator_lines(view, iv.attribution, incident.attack.attributed_to),
        tuple(f"{ex.label}: {ex.type_label}, {ex.source_name}, graded {ex.grade} ({ex.date})" for ex in iv.exhibits),
        reporting_only_words(iv.charges))


def reporting_only_words(charges: tuple[ChargeView, ...]) -> tuple[str, ...]:
    """Each charged norm with elements resting only on media or NGO reporting, named as the legal framing names
    it, and its elements by number and kind: 'Precautions in attack, element 1 (conduct)', 'Medical units must
    be respected and protected, elements 1 (circumstance) and 3 (conduct)'. The library's ids mean nothing to
    the body, so they are left out."""
    found = []
    for ch in charges:
        elements = [f"{el.id} ({el.kind})" for el in ch.elements if el.reporting_only]
        if elements:
            found.append(f"{ch.title}, {'element' if len(elements) == 1 else 'elements'} {joined(elements)}")
    return tuple(found)


def _views(view: Case, assessment: Assessment, sub: Submission) -> list[tuple[IncidentView, Incident]]:
    numbers = exhibit_numbers(view)
    order = sorted(sub.incidents, key=lambda i: (view.incidents[i].start, i))
    return [(dataclasses.replace(make_incident_view(view, assessment, i, numbers), un=None), view.incidents[i])
            for i in order]


def _first_sentences(text: str, n: int = 2) -> str:
    parts = re.split(r"(?<=[.;])\s+(?=[A-Z])", " ".join(text.split()))
    return " ".join(parts[:n])


def _binding(view: Case, norm, parties: list[str]) -> str:
    names = {p.id: p for p in view.case.parties}
    if norm.kind == "crime":
        return "criminalised under customary international law" if norm.binding == "customary" else \
            f"criminalised by treaty ({norm.binding})"
    if norm.binding == "customary":
        return "binds every party to the conflict as customary law"
    bound = [names[p].name for p in parties if p in names and norm.binding in names[p].treaties]
    if bound:
        return f"binds {', '.join(bound)} (bound by the {norm.binding}, as the case records)"
    return f"the case does not record an alleged party as bound by the {norm.binding}"


def _frames(view: Case, assessment: Assessment, sub: Submission, kinds: tuple[str, ...],
            defaults: tuple[str, ...] = ()) -> tuple[NormFrame, ...]:
    """The norms of ``kinds`` charged to the submission's incidents, with how far they are analysed, then the
    ``defaults`` the facts engage that are not charged."""
    results = {r.id: r for r in assessment.incidents if r.id in sub.incidents}
    parties = list(dict.fromkeys(p for i in sub.incidents for p in view.incidents[i].attack.attributed_to))
    counted: dict[str, list[tuple[str, int, int]]] = {}
    for inc_id, result in results.items():
        for ch in result.charges:
            if ch.applicable and view.norms[ch.norm].kind in kinds:
                met = sum(1 for el in ch.elements if el.status == "established")
                counted.setdefault(ch.norm, []).append((inc_id, met, len(ch.elements)))
    frames = []
    for norm_id in [*counted, *(d for d in defaults if d not in counted and d in view.norms)]:
        norm = view.norms[norm_id]
        if norm_id in counted:
            status = "; ".join(f"{view.incidents[i].title}: {met} of {total} elements corroborated or established"
                               for i, met, total in counted[norm_id])
        else:
            status = "engaged by the facts above; not analysed element by element in this submission"
        frames.append(NormFrame(norm.id, norm.title, norm.provision, FAMILIES[norm.kind],
                                _first_sentences(norm.summary or norm.title), _binding(view, norm, parties), status))
    return tuple(frames)


def _human_rights_defaults(view: Case, sub: Submission) -> tuple[str, ...]:
    return human_rights_engaged(view.incidents[i] for i in sub.incidents)


def _withheld(view: Case, sub: Submission) -> str:
    if not view.withheld:
        return ""
    n = view.withheld
    return (f"{count(n, 'item')} on these incidents {'are' if n != 1 else 'is'} not included: "
            f"{'their' if n != 1 else 'its'} confidentiality, or the consent of the person concerned, does not "
            f"allow {'them' if n != 1 else 'it'} to go to {BODY_NAMES[sub.body]}.")


def package_files(view: Case, incidents: tuple[IncidentView, ...]) -> list[tuple[str, str, Path]]:
    """(item id, name inside the package, source path) of every exhibit file the submission cites that exists,
    in exhibit order. Names are the exhibit number and item id, never the file's own name."""
    out, seen = [], set()
    for iv in incidents:
        for ex in iv.exhibits:
            item = view.items[ex.id]
            if ex.id in seen or item.file is None:
                continue
            seen.add(ex.id)
            path = resolve_exhibit(view.root, item.file.path)
            if path is not None and path.is_file():
                out.append((ex.id, f"{PACKAGE_FOLDER}/exh-{ex.number:03d}-{ex.id}{path.suffix.lower()}", path))
    return out


def _package(view: Case, incidents: tuple[IncidentView, ...]) -> tuple[PackageFile, ...]:
    labels = {ex.id: ex.label for iv in incidents for ex in iv.exhibits}
    rows = []
    for item_id, name, path in package_files(view, incidents):
        item = view.items[item_id]
        custody = "; ".join(f"{c.on} {c.by}: {c.action}" for c in item.chain_of_custody) or "none recorded"
        rows.append(PackageFile(labels[item_id], item_id, name, sha256_file(path), custody))
    return tuple(rows)


def _mrm_row(view: Case, iv: IncidentView, incident: Incident, facts: SubmissionFacts) -> MrmRow:
    f = incident.facility
    violations = []
    if f and f.kind == "school":
        violations.append("Attack on a school")
    elif f and (f.medical or f.kind in ("hospital", "clinic", "medical_point", "ambulance")):
        violations.append("Attack on a hospital (health care)")
    c = incident.casualties
    child_victims = [v for v in incident.victims if v.category == "child" and v.harm in ("killed", "injured")]
    if (c and c.children_killed) or child_victims:
        violations.append("Killing and maiming of children")
    children = []
    if c and c.children_killed:
        children.append(f"{c.children_killed} killed (casualty figures)")
    for harm in ("killed", "injured"):
        n = sum(1 for v in child_victims if v.harm == harm)
        if n:
            children.append(f"{n} {harm} (victims recorded)")
    groups = [v.group for v in incident.victims if v.group]
    return MrmRow(iv.id, "; ".join(violations) or "Not a grave violation on the facts recorded (no school, hospital "
                  "or child casualty)", iv.when, facts.place,
                  ", ".join(r.value for r in iv.facility) or "not recorded", "; ".join(facts.perpetrators),
                  "; ".join(children) or "none recorded", casualty_text(incident) or "none recorded",
                  "; ".join(groups) or "not recorded",
                  "; ".join(sorted({f"{ex.type_label.lower()} ({ex.source_name})" for ex in iv.exhibits}))
                  or "no exhibit shown")


def submission_context(view: Case, assessment: Assessment, sub: Submission) -> object:
    """The context record of the submission's template (``template_name``)."""
    pairs = _views(view, assessment, sub)
    facts = tuple(_facts(view, iv, inc, sub.body) for iv, inc in pairs)
    meta, head, submitter = _meta(view, sub), _head(view, sub), _submitter(sub)
    requests, steps, confidential = tuple(sub.requests), tuple(sub.steps_taken), tuple(sub.confidential)
    if sub.body == "special_procedures":
        return SpecialProceduresContext(meta, head, submitter, facts,
                                        _frames(view, assessment, sub, ("human_rights",),
                                                _human_rights_defaults(view, sub)),
                                        _frames(view, assessment, sub, ("rule",)), steps, requests, confidential,
                                        _withheld(view, sub))
    if sub.body in ("coi", "iiim"):
        views = tuple(iv for iv, _ in pairs)
        consent = (f"Each witness statement and each victim is included only with the consent of the person "
                   f"concerned to share it with {BODY_NAMES[sub.body]}"
                   + (" (given to the IIIM by name: consent to UN bodies in general does not extend to it)"
                      if sub.body == "iiim" else "")
                   + ", and none whose consent was withdrawn. Witnesses are identified by pseudonym only; the "
                   "persons who took and held the material by their role. A victim is named only where they "
                   "consented to be named to this body.")
        annex = tuple({ex.id: ex for iv in views for ex in iv.exhibits}.values())
        annex = tuple(sorted(annex, key=lambda ex: ex.number))
        return InvestigativeContext(meta, head, submitter, facts, views, annex, _package(view, views), consent,
                                    steps, requests, confidential, _withheld(view, sub))
    hr = _frames(view, assessment, sub, ("human_rights",), _human_rights_defaults(view, sub))
    if sub.body == "mrm":
        rows = tuple(_mrm_row(view, iv, inc, f) for (iv, inc), f in zip(pairs, facts, strict=True))
        return MrmContext(meta, head, submitter, rows, facts, requests, confidential)
    if sub.body == "upr":
        return UprContext(meta, head, submitter, facts, hr, requests)
    return TreatyBodyContext(meta, head, submitter, facts, hr, steps, requests, confidential)


_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(head|style|script|svg)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def word_count(html: str) -> int:
    """The words of a rendered submission as its reader gets them: the text of its pages (not the document's
    metadata, styles or drawings), a word being a run of characters between spaces holding a letter or digit."""
    text = unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html)))
    return sum(1 for token in text.split() if _WORD.search(token))


