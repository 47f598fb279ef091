"""Who was harmed and who is alleged to have attacked, as a UN body reads it: victims are persons or groups
(never the building), each alleged perpetrator with its attribution status and what that rests on.

Used by the `un` edition's summary page of a brief and by every submission (``submission.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from dossier.models import Incident
from dossier.models.incident import Victim
from dossier.models.loaded import Case
from dossier.rendering.labels import REPORTING_KINDS, TYPE_LABELS, grade, unassessed
from dossier.rendering.views import AttributionView
from dossier.words import count

CATEGORY = {"patient": "a patient", "medical_staff": "a member of the medical staff", "child": "a child",
            "civilian": "a civilian", "other": "a person"}
HARM = {"killed": "killed", "injured": "injured", "detained": "detained", "displaced": "displaced",
        "other": "otherwise harmed"}
STATUS = {"established": "established", "partial": "not established (partly supported)",
          "contested": "contested", "missing": "not established (no item attributes the attack to it)"}


def victim_text(victim: Victim, named: bool = False, to: str = "", internal: bool = False) -> str:
    """One victim in words: the group; or the pseudonym (the name, where ``named`` and the view kept it), the
    category and the harm. A person the audience may not be told of by pseudonym is described only. With ``to``
    (a submission's addressee), whether the victim consented to be named to it. ``internal``: pseudonym, name and
    the consent on record."""
    if victim.group is not None:
        return f"{victim.group} (a group)"
    if internal:  # the legal team sees everyone, with the consent on record
        consent = victim.consent
        scope = (", ".join(consent.share_with) or "nobody") if consent else "none recorded"
        state = f"consent withdrawn on {consent.withdrawn_on}" if consent and consent.withdrawn_on else \
            f"consent to share with: {scope}" + ("; may be named" if consent and consent.named else "")
        who = " ".join(p for p in (victim.pseudonym, f"({victim.name})" if victim.name else "") if p) or "unnamed"
        return f"{who}, {CATEGORY.get(victim.category or 'other', 'a person')}" + \
            (f", {HARM[victim.harm]}" if victim.harm else "") + f" [{state}]"
    shown = victim.name if named and victim.name else victim.pseudonym
    what = CATEGORY.get(victim.category or "other", "a person")
    harm = f", {HARM[victim.harm]}" if victim.harm else ""
    if shown and named and victim.name:
        return f"{shown}, {what}{harm}" + (f" (consented to be named to {to})" if to else "")
    if shown:
        return f"{shown}, {what}{harm}" + (f" (a pseudonym: no consent to be named to {to})" if to else "")
    return f"{what[0].upper()}{what[1:]}{harm} (identity not disclosed)"


def casualty_text(incident: Incident) -> str:
    c = incident.casualties
    parts = []
    if c:
        for value, one, many in ((c.killed, "person killed", "persons killed"),
                                 (c.injured, "person injured", "persons injured"),
                                 (c.medical_staff_killed, "member of the medical staff killed",
                                  "members of the medical staff killed"),
                                 (c.children_killed, "child killed", "children killed")):
            if value:
                parts.append(count(value, one, many))
    return ", ".join(parts)


def victim_lines(incident: Incident, named: bool = False, to: str = "") -> tuple[str, ...]:
    """The alleged victims of an incident as the view shows them, persons first, then groups; where none is
    recorded, the persons the casualty figures count (never the facility)."""
    people = [victim_text(v, named, to) for v in incident.victims if v.group is None]
    groups = [victim_text(v, named, to) for v in incident.victims if v.group is not None]
    if people or groups:
        return tuple(people + groups)
    figures = casualty_text(incident)
    if figures:
        return (f"The persons harmed in the attack ({figures}); no individual victim is identified in this "
                "document.",)
    return ("No alleged victim is identified in this document, and no casualty figure is established.",)


def rests_on(case: Case, items: Iterable[str]) -> tuple[str, bool]:
    """What a status rests on, in words ("a media report (The Daily, graded C3); ..."), and whether it rests on
    media and NGO reporting only."""
    parts, kinds = [], set()
    for item_id in items:
        item = case.items.get(item_id)
        if item is None:
            continue
        source = case.sources.get(item.source)
        kinds.add(source.kind if source else "other")
        parts.append(f"{TYPE_LABELS[item.type].lower()} ({source.name if source else item.source}, graded "
                     f"{grade(source, item.credibility)})")
    if not parts:
        return "no item shown in this document", False
    return "; ".join(parts), kinds <= REPORTING_KINDS


def perpetrator_lines(case: Case, attribution: tuple[AttributionView, ...], attributed: list[str]) -> tuple[str, ...]:
    """Each alleged perpetrator with its attribution status and what it rests on: none is called the
    perpetrator on a status short of established."""
    shown = [a for a in attribution if a.party in attributed] or list(attribution)
    if not shown:
        return ("Not identified.",)
    lines = []
    for a in shown:
        basis, media_only = rests_on(case, [c.item for c in a.supporting])
        if a.status == "established" and a.basis == "assessment":
            status = "established by counsel's reasoned assessment"
        elif a.status == "established":  # a count of independent sources is not a finding: never "established"
            status = (f"corroborated by independent sources on the corroboration screen, not a finding by counsel "
                      f"({unassessed(case.edition)})")
        else:
            status = STATUS[a.status]
        note = " It rests on media and NGO reporting only." if media_only else ""
        lines.append(f"{a.name} (alleged): attribution {status}. It rests on: {basis}.{note}")
    return tuple(lines)


def human_rights_engaged(incidents: Iterable[Incident]) -> tuple[str, ...]:
    """The human-rights norms the facts engage, as the mandates apply them: the right to life (ICCPR art. 6)
    always; the right to health (ICESCR art. 12) where a medical facility was hit; the CRC where a school was,
    or a child is among the victims."""
    incidents = list(incidents)
    out = ["iccpr-6"]
    if any(i.facility and (i.facility.medical or i.facility.kind in ("hospital", "clinic", "medical_point"))
           for i in incidents):
        out.append("icescr-12")
    if any(i.facility and i.facility.kind == "school" for i in incidents) or any(
            (i.casualties and i.casualties.children_killed) or any(v.category == "child" for v in i.victims)
            for i in incidents):
        out += ["crc-6", "crc-24", "crc-38"]
    return tuple(out)
