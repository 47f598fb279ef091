"""Applicable law (cli.md, "Analysis rules (v2)", **Applicable law**), called directly on small in-process cases.

Each table row is one case built from a small root (parties, conflict, one incident) and the built-in norms
library; the expected values come from the rules in cli.md and shared/legal/reference.md, not from the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.analysis.applicable_law import applicability, applicable_law
from dossier.loading.workspace import load_norms
from dossier.models import CaseFile, Incident, Norm
from dossier.models.loaded import Case

NORMS = load_norms(None)
INC = "INC-1"

GOV = {"id": "GOV", "name": "Government of Westmark", "treaties": ["GC", "API"]}
GOV_APII = {"id": "GOV", "name": "Government of Westmark", "treaties": ["GC", "APII"]}
REB = {"id": "REB", "name": "Northern Front", "kind": "armed_group"}
REB2 = {"id": "RB2", "name": "Southern Front", "kind": "armed_group"}
FOR = {"id": "FOR", "name": "Foreign air force", "treaties": ["GC"]}
FOR_APII = {**FOR, "treaties": ["GC", "APII"]}
OST = {"id": "OST", "name": "Kingdom of Ostrava", "treaties": ["GC", "API"]}
VEL = {"id": "VEL", "name": "Republic of Veltria", "treaties": ["GC", "API"]}


def case_of(parties, attributed, classification="NIAC", territory=None, ap2=False, incident_conflict=None,
            jurisdiction=None, forums=(), extra_norms=()) -> Case:
    conflict = {"classification": classification}
    if territory:
        conflict["territory"] = territory
    if ap2:
        conflict["ap2_threshold"] = True
    case_data = {"id": "law-case", "title": "Applicable law", "conflict": conflict, "parties": list(parties),
                 "standard_of_proof": "reasonable_grounds", "charges": ["cihl-28"], "forums": list(forums)}
    if jurisdiction:
        case_data["jurisdiction"] = jurisdiction
    incident = {"id": INC, "title": "Incident", "date": "2022-03-09",
                "location": {"place": "Somewhere", "lat": 40.0, "lon": 20.0},
                "attack": {"means": ["airstrike"], "attributed_to": list(attributed)}, "summary": "An attack."}
    if incident_conflict:
        incident["conflict"] = incident_conflict
    norms = dict(NORMS)
    norms.update({n.id: n for n in extra_norms})
    return Case(root=Path("."), case=CaseFile.model_validate(case_data), sources={},
                incidents={INC: Incident.model_validate(incident)}, items={}, norms=norms, where={})


def law(norm_id, *args, **kwargs):
    case = case_of(*args, **kwargs)
    return applicable_law(case, case.incidents[INC], case.norms[norm_id])


# --- the Geneva Conventions and AP I in an IAC: reciprocity between belligerents ----------------------------

@pytest.mark.parametrize("norm,ost,vel,attributed,ok,bound", [
    ("ap1-12", ["GC", "API"], ["GC", "API"], ("OST",), True, ("OST",)),
    ("ap1-12", ["GC", "API"], ["GC"], ("OST",), False, ()),          # the adversary neither bound nor accepting
    ("ap1-12", ["GC"], ["GC", "API"], ("OST",), False, ()),          # the attacker not a party
    ("ap1-12", ["GC", "API"], ["GC", "API"], ("OST", "VEL"), True, ("OST", "VEL")),
    ("ap1-12", ["GC", "API"], ["GC"], ("OST", "VEL"), False, ()),
    ("ap1-12", ["GC", "API"], ["GC", "API"], ("VEL",), True, ("VEL",)),  # the territorial State's own attack
    ("gc4-18", [], [], ("OST",), True, ("OST",)),                    # every State is bound by the GC
    ("ap1-85-3", ["GC", "API"], ["GC", "API"], ("OST",), True, ("OST",)),
])
def test_iac_treaty_binds_a_belligerent_towards_a_bound_adversary(norm, ost, vel, attributed, ok, bound):
    result = law(norm, [{**OST, "treaties": ost}, {**VEL, "treaties": vel}], attributed, "IAC", territory="VEL")
    assert (result.applicable, result.bound) == (ok, bound), result.reason


def test_ap_i_with_one_belligerent_not_bound_says_which_and_what_to_do():
    result = law("ap1-12", [OST, {**VEL, "treaties": ["GC"]}], ("OST",), "IAC", territory="VEL")
    assert result.reason == (
        "Not applicable as treaty law: Additional Protocol I binds Kingdom of Ostrava only towards a belligerent "
        "that is bound by it or accepts and applies it (AP I art. 96(2)), and Republic of Veltria does neither (if it "
        "does, list API in its `treaties`). The customary rules it reflects still apply.")
    assert result.not_bound == ("OST",)


def test_gc_bind_a_state_towards_its_adversary():
    result = law("gc4-18", [OST, VEL], ("OST",), "IAC", territory="VEL")
    assert result.reason == ("Applicable as treaty law: the Geneva Conventions of 1949 bind Kingdom of Ostrava towards "
                             "Republic of Veltria, also bound (common art. 2).")


def test_an_armed_group_is_not_bound_by_the_gc_in_an_iac():
    result = law("gc4-18", [OST, VEL, REB], ("REB",), "IAC", territory="VEL")
    assert result.applicable is False and "Northern Front is not a party to the Geneva Conventions" in result.reason


def test_a_party_outside_the_incidents_belligerents_is_not_bound_towards_them():
    result = law("gc4-18", [OST, VEL, FOR], ("FOR",), "NIAC",
                 incident_conflict={"classification": "IAC", "between": ["OST", "VEL"]})
    assert result.applicable is False
    assert "Foreign air force is not among the belligerents of this incident's conflict" in result.reason


# --- AP II: the threshold, the territorial State party, its parties --------------------------------------

@pytest.mark.parametrize("parties,attributed,territory,ap2,between,ok,bound,says", [
    ([GOV_APII, REB], ("GOV",), "GOV", False, None, False, (), "conflict.ap2_threshold: true"),
    ([GOV_APII, REB], ("GOV",), None, True, None, False, (), "conflict.territory"),
    ([GOV, REB], ("GOV",), "GOV", True, None, False, (), "Government of Westmark is not a party to it"),
    ([GOV_APII, REB], ("GOV",), "GOV", True, None, True, ("GOV",), "binds Government of Westmark"),
    ([GOV_APII, REB], ("REB",), "GOV", True, None, True, ("REB",), "binds Northern Front"),
    ([GOV_APII, REB, FOR], ("FOR",), "GOV", True, None, False, (), "not itself a party"),
    ([GOV_APII, REB, FOR_APII], ("FOR",), "GOV", True, None, True, ("FOR",), "binds Foreign air force"),
    ([GOV_APII, REB, FOR], ("GOV", "FOR"), "GOV", True, None, True, ("GOV",), "it does not bind Foreign air force"),
    ([GOV_APII, REB, REB2], ("REB",), "GOV", True, ["REB", "RB2"], False, (),
     "never fighting between armed groups alone"),
])
def test_ap_ii_with_and_without_the_threshold(parties, attributed, territory, ap2, between, ok, bound, says):
    conflict = None
    if between:
        conflict = {"classification": "NIAC", "territory": territory, "ap2_threshold": ap2, "between": between}
    result = law("ap2-11", parties, attributed, "NIAC", territory=territory, ap2=ap2, incident_conflict=conflict)
    assert (result.applicable, result.bound) == (ok, bound), result.reason
    assert says in result.reason


def test_ap_ii_not_in_an_iac():
    result = law("ap2-11", [GOV_APII, REB], ("GOV",), "IAC", territory="GOV", ap2=True)
    assert result.applicable is False
    assert result.reason.startswith("Not applicable: ap2-11 applies only in a non-international armed conflict, and "
                                    "the case classifies the conflict as an international armed conflict.")


# --- common article 3, custom, other treaties, human rights ----------------------------------------------

def test_common_article_3_binds_an_armed_group():
    result = law("ca3", [GOV, REB], ("REB",), "NIAC", territory="GOV")
    assert (result.applicable, result.bound) == (True, ("REB",))
    assert "armed groups included" in result.reason


def test_customary_rule_binds_every_party_and_names_the_attacker():
    result = law("cihl-28", [GOV, REB], ("REB",), "NIAC")
    assert result.reason == ("Applicable: cihl-28 is customary international humanitarian law, binding on every party "
                             "to a non-international armed conflict, armed groups included, whatever its treaty "
                             "ratifications, including the party the attack is alleged against (Northern Front).")


@pytest.mark.parametrize("parties,attributed,ok", [
    ([{**GOV, "treaties": ["GC", "ICCPR"]}, REB], ("GOV",), True),
    ([GOV, REB], ("GOV",), False),                                # not a party to the ICCPR
    ([{**GOV, "treaties": ["GC", "ICCPR"]}, REB], ("REB",), False),  # an armed group is not a party to it
])
@pytest.mark.parametrize("classification", ["NIAC", "IAC"])
def test_human_rights_norm_applies_in_and_out_of_armed_conflict_to_the_state_party(parties, attributed, ok,
                                                                                   classification):
    result = law("iccpr-6", parties, attributed, classification)
    assert result.applicable is ok, result.reason


@pytest.mark.parametrize("attributed,ok,bound", [(("VEL",), True, ("VEL",)), (("OST",), False, ())])
def test_ccw_protocol_iii_binds_its_party_only(attributed, ok, bound):
    parties = [{**OST, "treaties": ["GC", "API", "CCW"]}, {**VEL, "treaties": ["GC", "API", "CCW", "CCW-P3"]}]
    result = law("ccw-p3-2", parties, attributed, "IAC", territory="VEL")
    assert (result.applicable, result.bound) == (ok, bound), result.reason
    if ok:  # CCW art. 7: towards a State not bound, only if it accepts and applies the Protocol
        assert "CCW art. 7(1)-(2)" in result.reason and "Kingdom of Ostrava" in result.reason


# --- crimes: where criminalised, the jurisdiction and forums, never binding a party -----------------------

def test_crime_reason_is_composed_from_the_case_data():
    result = law("rs-8-2-e-iv", [{**GOV, "name": "Syrian Arab Republic"}], ("GOV",), "NIAC",
                 jurisdiction={"icc": "none", "note": "no referral, neither State is a party."},
                 forums=["coi", "iiim", "universal_jurisdiction"])
    assert result.reason == (
        "Applicable: rs-8-2-e-iv is criminalised under customary international law in a non-international armed "
        "conflict; the ICC has no jurisdiction: no referral, neither State is a party. The analysis is framed for a "
        "commission of inquiry, the IIIM and national courts exercising universal jurisdiction. A crime engages the "
        "criminal responsibility of individuals; it is not a rule binding a party to the conflict.")
    assert result.bound == () and result.basis == "crime"


@pytest.mark.parametrize("classification", ["NIAC", "IAC"])
def test_no_crime_is_said_to_bind_a_party(classification):
    case = case_of([GOV, REB], ("GOV",), classification, territory="GOV")
    for norm in (n for n in NORMS.values() if n.kind == "crime"):
        result = applicable_law(case, case.incidents[INC], norm)
        assert "binds every party" not in result.reason and "binding on every party" not in result.reason, norm.id
        assert result.bound == (), norm.id
        if result.applicable:
            assert "criminalised under customary international law" in result.reason, norm.id


RS_ONLY = Norm.model_validate({
    "id": "rs-test", "title": "A crime only the Statute defines", "instrument": "Rome Statute", "provision": "art. 8",
    "kind": "crime", "applies_to": ["NIAC"], "binding": "RS",
    "elements": [{"id": "1", "text": "The perpetrator acted.", "kind": "conduct", "means_of_proof": ["report"]}],
})


@pytest.mark.parametrize("forums,ok", [(["coi", "universal_jurisdiction"], False), (["icc", "coi"], True), ([], False)])
def test_crime_by_treaty_only_applies_before_a_forum_that_applies_the_treaty(forums, ok):
    result = law("rs-test", [GOV], ("GOV",), "NIAC", forums=forums, extra_norms=[RS_ONLY],
                 jurisdiction={"icc": "none"})
    assert result.applicable is ok, result.reason
    assert ("criminalised only by treaty" in result.reason) is (not ok)
    assert "the ICC has no jurisdiction" in result.reason  # reported beside it, never a condition of it


@pytest.mark.parametrize("classification", ["NIAC", "IAC"])
def test_crimes_against_humanity_need_no_armed_conflict(classification):
    result = law("rs-7-1-a", [GOV], ("GOV",), classification)
    assert result.applicable is True and "in and out of armed conflict" in result.reason


# --- an incident's own conflict replaces the case's ------------------------------------------------------

@pytest.mark.parametrize("norm,ok", [("rs-8-2-b-ix", True), ("rs-8-2-e-iv", False), ("gc4-18", True),
                                     ("cihl-28", True)])
def test_an_incidents_own_conflict_replaces_the_cases(norm, ok):
    result = law(norm, [GOV, REB, {**FOR, "name": "Republic of Ostrava"}], ("GOV",), "NIAC", territory="GOV",
                 incident_conflict={"classification": "IAC", "between": ["GOV", "FOR"]})
    assert result.applicable is ok, result.reason
    assert result.own_conflict is True
    if not ok:
        assert ("this incident's own conflict (between Government of Westmark and Republic of Ostrava) is an "
                "international armed conflict") in result.reason


# --- English, and the old two-value interface ------------------------------------------------------------

@pytest.mark.parametrize("classification", ["NIAC", "IAC"])
def test_every_reason_is_correct_english(classification):
    case = case_of([GOV, REB, FOR], ("GOV", "REB"), classification, territory="GOV", ap2=True)
    for norm in NORMS.values():
        reason = applicable_law(case, case.incidents[INC], norm).reason
        assert " a international" not in reason and " an non-international" not in reason, norm.id
        assert " a  " not in reason and ".." not in reason and reason.endswith("."), (norm.id, reason)


def test_applicability_still_returns_two_values():
    case = case_of([GOV, REB], ("GOV",), "NIAC")
    ok, reason = applicability(case, case.incidents[INC], case.norms["rs-8-2-b-ix"])
    assert ok is False and reason.startswith("Not applicable: rs-8-2-b-ix applies only in an international armed "
                                             "conflict, and the case classifies the conflict as a non-international "
                                             "armed conflict.")


def test_the_brief_states_an_incidents_own_conflict():
    from dossier.analysis.applicable_law import own_conflict_text

    case = case_of([GOV, REB, FOR], ("GOV",), "NIAC",
                   incident_conflict={"classification": "IAC", "between": ["GOV", "FOR"], "description": "A clash."})
    assert own_conflict_text(case, case.incidents[INC]) == (
        "an international armed conflict between Government of Westmark and Foreign air force, which replaces the "
        "case's classification for this incident. A clash.")
    assert own_conflict_text(case_of([GOV], ("GOV",)), case.incidents[INC].model_copy(update={"conflict": None})) == ""
