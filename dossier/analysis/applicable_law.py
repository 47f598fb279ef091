"""Applicable law: whether a charged norm applies to an incident, to whom, and why (cli.md, "Analysis rules (v2)").

Pure functions of a loaded Case. The rules:

- the incident's own ``conflict:`` replaces the case's for it; a norm applies only in the classifications
  of its ``applies_to`` (``any``: in and out of armed conflict);
- a ``rule`` or ``human_rights`` norm binds a party by custom, or by a treaty that party is bound by;
  every State is bound by the Geneva Conventions, and common article 3 binds every party to a NIAC,
  armed groups included;
- in an IAC the Geneva Conventions and AP I bind a belligerent towards another belligerent that is bound
  by them or accepts and applies them (common art. 2(3); AP I art. 96(2)); the belligerents are the
  incident's ``conflict.between``, else the parties the attack is attributed to plus the territorial State
  (and, when that names no adversary, as for the territorial State's own attack in the case's conflict,
  the case's other States);
- AP II applies only where ``ap2_threshold`` is true, on the territory of a State party, between that
  State and organised armed groups; it binds that State and those groups, a foreign State only if it is
  itself a party, and never fighting between armed groups alone;
- a ``crime`` binds no party: it is reported with where it is criminalised (custom, or a treaty that
  only the forums applying it can use) and with the case's jurisdiction and forums.

"Accepts and applies" is recorded like being bound: the treaty id in the party's ``treaties``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.models import Incident, Norm, Party
from dossier.models.case import Conflict
from dossier.models.loaded import Case
from dossier.models.norm_words import CLASSIFICATION_NAMES, TREATY_NAMES, a, binding_text, scope_text  # noqa: F401
from dossier.words import joined

FORUM_NAMES = {
    "icc": "the International Criminal Court", "coi": "a commission of inquiry",
    "iiim": "the IIIM", "special_procedures": "the UN Special Procedures",
    "universal_jurisdiction": "national courts exercising universal jurisdiction",
    "icj": "the International Court of Justice", "treaty_body": "the UN treaty bodies",
}
FORUM_TREATIES = {"icc": frozenset({"RS"})}
"""The treaties that define crimes a forum applies as such (a crime criminalised only by treaty needs one)."""

ICC_BASIS = {
    "none": "the ICC has no jurisdiction",
    "state_party": "the ICC has jurisdiction: a State concerned is a party to the Rome Statute (art. 12(2))",
    "art_12_3_declaration": "the ICC may exercise jurisdiction under a declaration accepting it (art. 12(3))",
    "security_council_referral": "the ICC has jurisdiction on a Security Council referral (art. 13(b))",
}


@dataclass(frozen=True)
class LawApplication:
    """Whether a norm applies to an incident and why; for a rule, the parties it binds among those the
    attack is attributed to (a crime binds no party: ``bound`` and ``not_bound`` stay empty)."""

    applicable: bool
    reason: str
    basis: str  # classification | customary | treaty | crime
    bound: tuple[str, ...] = ()
    not_bound: tuple[str, ...] = ()
    classification: str = ""
    own_conflict: bool = False





def names(parties: list[Party]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    labels = [p.name for p in parties]
    if len(labels) <= 1:
        return "".join(labels) or "no party"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def conflict_of(case: Case, incident: Incident) -> tuple[Conflict, bool]:
    """The conflict that governs an incident, and whether it is the incident's own."""
    own = getattr(incident, "conflict", None)
    return (own, True) if own is not None else (case.case.conflict, False)


def is_bound(party: Party, treaty: str) -> bool:
    """Bound by a treaty (or accepting and applying it): listed in its treaties; every State by the GC."""
    return treaty in party.treaties or (treaty == "GC" and party.kind == "state")


def applicability(case: Case, incident: Incident, norm: Norm) -> tuple[bool, str]:
    """Whether a norm applies to an incident, and why (kept for callers that need only these two)."""
    result = applicable_law(case, incident, norm)
    return result.applicable, result.reason


def applicable_law(case: Case, incident: Incident, norm: Norm) -> LawApplication:
    """The applicable-law finding for one charged norm and one incident (see the module docstring)."""
    conflict, own = conflict_of(case, incident)
    parties = {p.id: p for p in case.case.parties}
    classification = conflict.classification
    where = _where(conflict, own, parties)
    if "any" not in norm.applies_to and classification not in norm.applies_to:
        allowed = " or ".join(a(CLASSIFICATION_NAMES[c]) for c in norm.applies_to if c in CLASSIFICATION_NAMES)
        return LawApplication(False, f"Not applicable: {norm.id} applies only in {allowed}, and {where} "
                              f"{a(CLASSIFICATION_NAMES[classification])}.", "classification",
                              classification=classification, own_conflict=own)
    attributed = [parties[p] for p in dict.fromkeys(incident.attack.attributed_to) if p in parties]
    if norm.kind == "crime":
        ok, reason = _crime(case, norm, classification)
        return LawApplication(ok, reason, "crime", classification=classification, own_conflict=own)
    if norm.binding == "customary":
        return _customary(norm, classification, attributed, own)
    treaty = norm.binding
    if treaty == "APII":
        return _apii(conflict, own, parties, attributed)
    if treaty in ("GC", "API") and classification == "IAC":
        return _iac_reciprocal(treaty, conflict, own, parties, attributed)
    if treaty == "GC":  # in a NIAC, what the Conventions lay down for every party is common article 3
        return LawApplication(
            True, "Applicable as treaty law: common article 3 of the Geneva Conventions binds every party to a "
            f"non-international armed conflict, armed groups included: here the party the attack is alleged against "
            f"({names(attributed)}).", "treaty",
            tuple(p.id for p in attributed), (), classification, own)
    return _treaty(norm, treaty, classification, conflict, parties, attributed, own)


def _where(conflict: Conflict, own: bool, parties: dict[str, Party]) -> str:
    if not own:
        return "the case classifies the conflict as"
    between = [parties[p] for p in conflict.between or [] if p in parties]
    return "this incident's own conflict" + (f" (between {names(between)})" if between else "") + " is"


def _in_context(classification: str, norm: Norm) -> str:
    if "any" in norm.applies_to:
        return "in and out of armed conflict"
    return "in " + a(CLASSIFICATION_NAMES[classification])


def _crime(case: Case, norm: Norm, classification: str) -> tuple[bool, str]:
    """Where the conduct is criminalised, beside the case's jurisdiction and forums: never 'binds a party'."""
    forums = list(case.case.forums)
    if norm.binding == "customary":
        ok = True
        head = (f"Applicable: {norm.id} is criminalised under customary international law "
                f"{_in_context(classification, norm)}")
    else:
        treaty = TREATY_NAMES.get(norm.binding, norm.binding)
        applying = [f for f in forums if norm.binding in FORUM_TREATIES.get(f, ())]
        ok = bool(applying)
        if ok:
            head = (f"Applicable: {norm.id} is criminalised by {treaty}, which {FORUM_NAMES[applying[0]]} "
                    f"(one of the case's forums) applies")
        else:
            head = (f"Not applicable: {norm.id} is criminalised only by treaty ({treaty}), and none of the case's "
                    f"forums applies that treaty" + (f" ({', '.join(forums)})" if forums else " (the case file names no forum)"))
    jurisdiction = case.case.jurisdiction
    if jurisdiction is None:
        icc = "the case file does not yet say whether the ICC has jurisdiction"
    else:
        icc = ICC_BASIS[jurisdiction.icc]
        note = (jurisdiction.note or "").strip().rstrip(".")
        if note:
            icc += ": " + note
    framed = ""
    if forums:
        framed = " The analysis is framed for " + joined([FORUM_NAMES[f] for f in forums]) + "."
    return ok, (f"{head}; {icc}.{framed} A crime engages the criminal responsibility of individuals; it is not a "
                "rule binding a party to the conflict.")


def _customary(norm: Norm, classification: str, attributed: list[Party], own: bool) -> LawApplication:
    body = "international human rights law" if norm.kind == "human_rights" else "international humanitarian law"
    if "any" in norm.applies_to:
        scope = "in and out of armed conflict"
    else:
        scope = f"on every party to {a(CLASSIFICATION_NAMES[classification])}, armed groups included,"
    reason = (f"Applicable: {norm.id} is customary {body}, binding {scope} whatever its treaty ratifications, "
              f"including the party the attack is alleged against ({names(attributed)}).")
    return LawApplication(True, reason, "customary", tuple(p.id for p in attributed), (), classification, own)


def _iac_reciprocal(treaty: str, conflict: Conflict, own: bool, parties: dict[str, Party],
                    attributed: list[Party]) -> LawApplication:
    """GC and AP I in an IAC: a bound belligerent towards a belligerent bound by it or accepting it."""
    name = TREATY_NAMES[treaty]
    verb = "bind" if treaty == "GC" else "binds"
    clause = "common art. 2" if treaty == "GC" else "AP I art. 96(2)"
    belligerents = _belligerents(conflict, own, parties, attributed)
    found, missing, because = [], [], []
    for party in attributed:
        if party not in belligerents:
            missing.append(party)
            because.append(f"{party.name} is not among the belligerents of this incident's conflict "
                           f"({names(belligerents)})")
            continue
        if not is_bound(party, treaty):
            missing.append(party)
            because.append(f"{party.name} is not a party to {name}")
            continue
        adversaries = [q for q in belligerents if q.id != party.id]
        towards = [q for q in adversaries if is_bound(q, treaty)]
        if not adversaries:
            missing.append(party)
            because.append(f"no belligerent opposing {party.name} is recorded (give the incident its own "
                           "`conflict:` with `between: [...]`, or the case's `conflict.territory`)")
        elif not towards:
            missing.append(party)
            it = "them" if treaty == "GC" else "it"
            one = len(adversaries) == 1
            because.append(f"{name} {verb} {party.name} only towards a belligerent that is bound by {it} or "
                           f"accepts and applies {it} ({clause}), and {names(adversaries)} "
                           f"{'does' if one else 'do'} neither (if {'it does' if one else 'one does'}, list "
                           f"{treaty} in its `treaties`)")
        else:
            found.append((party, towards))
    if not found:
        return LawApplication(False, "Not applicable as treaty law: " + "; ".join(because)
                              + ". The customary rules it reflects still apply.", "treaty", (),
                              tuple(p.id for p in missing), "IAC", own)
    binds = "; ".join(f"{name} {verb} {party.name} towards {names(towards)}, also bound ({clause})"
                      for party, towards in found)
    rest = ("; it does not bind every party the attack is alleged against: " + "; ".join(because)) if because else ""
    return LawApplication(True, f"Applicable as treaty law: {binds}{rest}.", "treaty",
                          tuple(p.id for p, _ in found), tuple(p.id for p in missing), "IAC", own)


def _apii(conflict: Conflict, own: bool, parties: dict[str, Party], attributed: list[Party]) -> LawApplication:
    """AP II: threshold met, on a State party's territory, that State against organised armed groups."""
    classification = conflict.classification
    whose = "this incident's conflict" if own else "the case"
    head = "Not applicable as treaty law: Additional Protocol II "

    def no(reason: str) -> LawApplication:
        return LawApplication(False, head + reason, "treaty", (), tuple(p.id for p in attributed), classification,
                              own)

    if classification != "NIAC":
        return no(f"governs only non-international armed conflicts, and {whose} is "
                  f"{a(CLASSIFICATION_NAMES[classification])}.")
    if not conflict.ap2_threshold:
        return no("applies only where the threshold of its art. 1(1) is met (organised armed groups under "
                  "responsible command, controlling territory so as to carry out sustained and concerted military "
                  f"operations and to implement the Protocol), and {whose} does not record it "
                  "(conflict.ap2_threshold: true).")
    territory = conflict.territory
    if not territory:
        return no("applies only to a conflict on the territory of a State party, and "
                  f"{whose} does not say whose territory it is (conflict.territory).")
    host = parties.get(territory)
    if host is None or host.kind != "state" or "APII" not in host.treaties:
        return no("applies only to a conflict on the territory of a State party, and "
                  f"{host.name if host else territory} is not a party to it.")
    if conflict.between:
        sides = [parties[p] for p in conflict.between if p in parties]
        if host not in sides or not any(p.kind == "armed_group" for p in sides):
            alone = all(p.kind == "armed_group" for p in sides)
            return no("governs fighting between the armed forces of the territorial State and organised armed "
                      + ("groups, never fighting between armed groups alone" if alone else "groups")
                      + f", and this incident's conflict is between {names(sides)}.")
    bound, not_bound, notes = [], [], []
    for party in attributed:
        if party.id == host.id or party.kind == "armed_group" or "APII" in party.treaties:
            bound.append(party)
        else:
            not_bound.append(party)
            notes.append(f"it does not bind {party.name}, a foreign State fighting in the conflict that is not "
                         "itself a party to it (a treaty binds only its parties: VCLT art. 34)")
    opening = (f"Additional Protocol II applies (the art. 1(1) threshold is met, on the territory of {host.name}, a "
               "State party, between its armed forces and organised armed groups)")
    if not bound:
        return LawApplication(False, f"Not applicable as treaty law: {opening}, but " + "; ".join(notes) + ".",
                              "treaty", (), tuple(p.id for p in not_bound), classification, own)
    tail = ("; " + "; ".join(notes)) if notes else ""
    return LawApplication(True, f"Applicable as treaty law: {opening} and binds {names(bound)}{tail}.", "treaty",
                          tuple(p.id for p in bound), tuple(p.id for p in not_bound), classification, own)


def _treaty(norm: Norm, treaty: str, classification: str, conflict: Conflict, parties: dict[str, Party],
            attributed: list[Party], own: bool) -> LawApplication:
    """Any other treaty: it binds the parties the attack is attributed to that are bound by it."""
    name = TREATY_NAMES.get(treaty, treaty)
    verb = "bind" if treaty == "GC" else "binds"
    bound = [p for p in attributed if is_bound(p, treaty)]
    not_bound = [p for p in attributed if not is_bound(p, treaty)]
    if not bound:
        return LawApplication(False, f"Not applicable: {name} {verb} none of the parties the attack is attributed "
                              f"to ({names(attributed)}).", "treaty", (), tuple(p.id for p in not_bound),
                              classification, own)
    reason = (f"Applicable as treaty law: {name} {verb} {names(bound)}, "
              f"{'a party' if len(bound) == 1 else 'parties'} to it")
    if not_bound:
        reason += (f"; it does not bind {names(not_bound)}, which {'is' if len(not_bound) == 1 else 'are'} not "
                   f"a party to it")
    if norm.kind == "human_rights":
        reason += ("; human-rights law applies alongside international humanitarian law, in and out of armed "
                   "conflict, to persons within the State's jurisdiction")
    if treaty.startswith("CCW") and classification == "IAC":
        others = [q for q in _belligerents(conflict, own, parties, attributed) if q not in bound]
        unbound = [q for q in others if not is_bound(q, treaty)]
        if unbound:
            reason += (f"; in an international armed conflict CCW art. 7(1)-(2) binds a party towards a State not "
                       f"bound by {name} only if that State accepts and applies it: check the position of "
                       f"{names(unbound)}")
    return LawApplication(True, reason + ".", "treaty", tuple(p.id for p in bound), tuple(p.id for p in not_bound),
                          classification, own)


def _belligerents(conflict: Conflict, own: bool, parties: dict[str, Party], attributed: list[Party]) -> list[Party]:
    """The belligerents of the relationship an incident belongs to: its ``between``, else the parties the attack is
    attributed to plus the territorial State."""
    if conflict.between:
        return [parties[p] for p in dict.fromkeys(conflict.between) if p in parties]
    ids = list(dict.fromkeys([p.id for p in attributed] + ([conflict.territory] if conflict.territory else [])))
    belligerents = [parties[p] for p in ids if p in parties]
    if len(belligerents) < 2 and not own:
        # the territorial State's own attack, and no `between`: its adversaries in the case's
        # inter-State conflict are the case's other States
        belligerents += [p for p in parties.values() if p.kind == "state" and p not in belligerents]
    return belligerents


def own_conflict_text(case: Case, incident: Incident) -> str:
    """The incident's own conflict in words (empty when the case's applies): it replaces the case's for it."""
    conflict = getattr(incident, "conflict", None)
    if conflict is None:
        return ""
    parties = {p.id: p for p in case.case.parties}
    between = [parties[p] for p in conflict.between or [] if p in parties]
    text = (a(CLASSIFICATION_NAMES[conflict.classification]) + (f" between {names(between)}" if between else "")
            + ", which replaces the case's classification for this incident.")
    if conflict.description:
        text += " " + " ".join(conflict.description.split())
    return text
