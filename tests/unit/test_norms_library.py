"""The built-in norms library (legal_norms/*.yaml), read file by file: the structural rules every norm obeys.

The expected numbering of the Rome Statute crimes is the ICC Elements of Crimes' (shared/legal/reference.md,
"Rome Statute crimes: element structure"); the wording checks are the corrections of issue 13, each a phrase
the reference says the element must carry.
"""

from __future__ import annotations

import re

import pytest
import yaml

from dossier.loading.workspace import load_norms
from dossier.models import Norm
from dossier.models.norm import TREATY_IDS
from dossier.resources import resource_dir

FILES = sorted(resource_dir("legal_norms").glob("*.yaml"))
NORMS = load_norms(None)

# The Elements of Crimes: how many elements each crime has, numbered 1..n (reference.md and the EoC).
RS_ELEMENTS = {
    "rs-8-2-e-i": 5, "rs-8-2-e-ii": 4, "rs-8-2-e-iv": 5, "rs-8-2-b-i": 5, "rs-8-2-b-ii": 5, "rs-8-2-b-iv": 5,
    "rs-8-2-b-ix": 5, "rs-8-2-b-xxiv": 4, "rs-7-1-a": 3,
    "rs-8-2-c-i": 5, "rs-8-2-e-iii": 7, "rs-8-2-e-xii": 7, "rs-8-2-b-vii": 7, "rs-8-2-a-i": 5, "rs-8-2-a-iv": 7,
    "rs-7-1-h": 6, "rs-7-1-k": 5,
}
REQUIRED = set(RS_ELEMENTS) | {
    "gc1-19", "gc4-18", "gc4-19", "ap1-12", "ap1-13", "ap1-85-3", "ap2-11", "ccw-p3-2", "ca3",
    "iccpr-6", "icescr-12", "crc-6", "crc-24", "crc-38",
    *(f"cihl-{n}" for n in (1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 28, 29, 30,
                            31, 32, 35, 53, 54, 55, 56, 71, 84, 85, 97, 109, 110, 111, 156)),
}
BINDING_BY_PREFIX = {"gc1-": "GC", "gc4-": "GC", "ca3": "GC", "ap1-": "API", "ap2-": "APII", "ccw-p3-": "CCW-P3",
                     "iccpr-": "ICCPR", "icescr-": "ICESCR", "crc-": "CRC"}
HUMAN_RIGHTS_TREATIES = {"ICCPR", "ICESCR", "CRC", "CAT"}
WARNING_PROCEDURE = {"cihl-28", "cihl-29", "gc1-19", "gc4-18", "ap1-12", "ap2-11"}
RULES_WITH_OWN_MENTAL_ELEMENT = {"cihl-53", "cihl-97", "ap1-85-3"}  # the rule's own words require purpose or wilfulness


def test_every_file_is_one_norm_named_by_its_id():
    assert len(FILES) == len(NORMS)
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["id"] == path.stem, path.name
        Norm.model_validate(data)


def test_the_library_has_every_norm_issue_13_lists():
    assert REQUIRED - set(NORMS) == set()


def test_no_element_without_means_of_proof_and_every_norm_cites_its_sources():
    for norm in NORMS.values():
        assert norm.provision.strip() and norm.summary and norm.sources, norm.id
        for el in norm.elements:
            assert el.means_of_proof, f"{norm.id}/{el.id}"


@pytest.mark.parametrize("norm_id,count", sorted(RS_ELEMENTS.items()))
def test_rome_statute_crimes_follow_the_elements_of_crimes(norm_id, count):
    norm = NORMS[norm_id]
    assert norm.kind == "crime"
    assert [e.id for e in norm.elements] == [str(i) for i in range(1, count + 1)]
    # the contextual element comes last but one, the awareness (or knowledge of the attack) last
    assert norm.elements[-2].kind == "contextual" and norm.elements[-1].kind == "mental"
    context = norm.elements[-2].text
    if norm_id.startswith("rs-7-"):
        assert norm.applies_to == ["any"]
        assert "widespread or systematic attack directed against a civilian population" in context
    elif norm_id.startswith(("rs-8-2-e-", "rs-8-2-c-")):
        assert norm.applies_to == ["NIAC"] and "not of an international character" in context
    else:
        assert norm.applies_to == ["IAC"] and "an international armed conflict" in context


def test_kinds_applicability_and_binding_agree():
    for norm in NORMS.values():
        if norm.kind == "crime":
            assert norm.binding in ("customary", "RS"), norm.id
            assert norm.id.startswith("rs-") or norm.id == "cihl-156", norm.id
            assert ("any" in norm.applies_to) == norm.id.startswith("rs-7-"), norm.id
        elif norm.kind == "human_rights":
            assert norm.applies_to == ["any"], norm.id
            assert norm.binding == "customary" or norm.binding in HUMAN_RIGHTS_TREATIES, norm.id
        else:
            assert "any" not in norm.applies_to, norm.id
            assert norm.binding == "customary" or norm.binding in set(TREATY_IDS) - HUMAN_RIGHTS_TREATIES, norm.id
        for prefix, binding in BINDING_BY_PREFIX.items():
            if norm.id.startswith(prefix):
                assert norm.binding == binding, norm.id
        if norm.id.startswith("cihl-") and norm.id != "cihl-156":
            assert norm.kind == "rule" and norm.binding == "customary", norm.id
        if norm.binding in ("GC", "API") and norm.id != "ca3":
            assert norm.applies_to == ["IAC"], norm.id  # treaty law of international armed conflicts
        if norm.binding == "APII":
            assert norm.applies_to == ["NIAC"], norm.id


def test_alternatives_come_in_groups_of_two_or_more():
    for norm in NORMS.values():
        labels = [e.alternative for e in norm.elements if e.alternative]
        for label in set(labels):
            assert labels.count(label) >= 2, f"{norm.id}: alternative '{label}' stands alone"


@pytest.mark.parametrize("norm_id", sorted(WARNING_PROCEDURE))
def test_the_warning_procedure_is_an_alternative_not_a_further_condition(norm_id):
    groups = NORMS[norm_id].alternatives()
    assert "protection" in groups and len(groups["protection"]) == 2
    warning = NORMS[norm_id].element(groups["protection"][1])
    assert "warning" in warning.text and warning.text.startswith("If ")


def test_objective_rules_import_no_mental_element():
    with_mental = {n.id for n in NORMS.values() if n.kind == "rule" and any(e.kind == "mental" for e in n.elements)}
    assert with_mental == RULES_WITH_OWN_MENTAL_ELEMENT
    for norm in NORMS.values():
        for el in norm.elements:
            assert "deliberately chose" not in el.text, f"{norm.id}/{el.id}"


@pytest.mark.parametrize("ref,phrase", [
    ("rs-8-2-e-iv/3", "not a military objective"),
    ("rs-8-2-b-ix/3", "not a military objective"),
    ("rs-8-2-b-iv/3", "concrete and direct overall military advantage"),
    ("rs-8-2-b-iv/2", "concrete and direct overall military advantage"),
    ("rs-8-2-e-ii/1", "using, in conformity with international law, a distinctive emblem or other method of "
                      "identification"),
    ("rs-8-2-b-xxiv/1", "using, in conformity with international law, a distinctive emblem or other method of "
                        "identification"),
    ("rs-7-1-a/2", "directed against a civilian population"),
])
def test_corrected_wording(ref, phrase):
    norm_id, element_id = ref.split("/")
    assert phrase in NORMS[norm_id].element(element_id).text


def test_red_crystal_only_for_parties_to_ap_iii():
    for ref in ("rs-8-2-e-ii/1", "rs-8-2-b-xxiv/1", "cihl-30/2"):
        norm_id, element_id = ref.split("/")
        el = NORMS[norm_id].element(element_id)
        assert "crystal" not in el.text, ref
        assert "Additional Protocol III" in el.note and "bound by AP III" in el.note, ref


def test_crime_against_humanity_notes_policy_primary_object_acts_and_custom():
    note = NORMS["rs-7-1-a"].element("2").note
    for phrase in ("introduction, para. 3", "footnote 6", "primary object", "art. 7(1) acts", "Kunarac"):
        assert phrase in note, phrase


def test_removed_and_dropped_elements():
    assert NORMS["cihl-8"].element("3") is None  # the information test belongs to precautions
    assert NORMS["ca3"].element("3") is None  # dropped, not re-founded (see its summary)
    assert "dropped" in NORMS["ca3"].summary


def test_cluster_munitions_are_not_indiscriminate_by_nature():
    summary = " ".join(NORMS["cihl-71"].summary.split())
    assert "does not list cluster munitions" in summary and "Rules 12(b)-(c), 13 and 14" in summary
    assert "and 71." not in " ".join(NORMS["cihl-11"].summary.split())


def test_every_crime_says_where_it_is_criminalised():
    for norm in NORMS.values():
        if norm.kind == "crime":
            assert "criminalised" in norm.summary or "war crimes" in norm.summary, norm.id


def test_rule_156_lists_war_crimes_in_non_international_armed_conflicts():
    summary = " ".join(NORMS["cihl-156"].summary.split())
    assert "war crimes in non-international armed conflicts" in summary
    assert "launching an indiscriminate attack" in summary and "universal jurisdiction" in summary


@pytest.mark.parametrize("norm_id,comment", [
    ("iccpr-6", "General Comment No. 36"), ("icescr-12", "General Comment No. 14"),
    ("crc-6", "General Comment No. 5"), ("crc-24", "General Comment No. 15"),
])
def test_human_rights_norms_cite_their_general_comments(norm_id, comment):
    assert any(comment in s for s in NORMS[norm_id].sources)


ID_PATTERN = re.compile(r"^(ca3|cihl-\d+|rs-7-1-[a-k]|rs-8-2-[a-e]-[ivx]+|gc[1-4]-\d+|ap[12]-\d+(-\d+)?|ccw-p3-\d+"
                        r"|iccpr-\d+|icescr-\d+|crc-\d+)$")


def test_ids_follow_the_existing_pattern():
    assert [n for n in NORMS if not ID_PATTERN.match(n)] == []
