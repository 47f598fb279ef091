"""The v2 applicable-law fields as a user writes them: located errors that say what to do, the GC warning,
and `dossier norms` in text and JSON.

Each test copies tests/roots/minimal (a version 1 workspace, still valid), changes one thing, and loads it
in-process as `dossier validate` does, or runs the CLI.
"""

from __future__ import annotations

import json

import pytest

from dossier.loading.workspace import load_norms

INCIDENT = "evidence/incidents/one.yaml"
OWN_CONFLICT = "conflict:\n  classification: IAC\n  between: [VAL, {second}]\n"


@pytest.fixture
def ws(make_ws):
    return make_ws("minimal")


def append(ws, rel: str, text: str) -> None:
    path = ws / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_incidents_own_conflict_is_accepted(ws, diagnose):
    append(ws, INCIDENT, OWN_CONFLICT.format(second="NLF"))
    case, lines = diagnose(ws)
    assert lines == []
    own = case.incidents["INC-2022-06-10-LOWMERE"].conflict
    assert (own.classification, own.between, own.ap2_threshold) == ("IAC", ["VAL", "NLF"], False)


def test_between_naming_an_unknown_party(ws, diagnose):
    append(ws, INCIDENT, OWN_CONFLICT.format(second="NFL"))
    case, lines = diagnose(ws)
    assert case is None
    assert lines == ["evidence/incidents/one.yaml:24:18: error: conflict.between[1]: unknown party 'NFL' "
                     "(did you mean 'NLF'?)"]


def test_between_on_the_cases_conflict_says_where_it_belongs(ws, edit, diagnose):
    edit(ws, "evidence/case.yaml", "  territory: VAL\n", "  territory: VAL\n  between: [VAL, NLF]\n")
    case, lines = diagnose(ws)
    assert case is None
    assert lines == ["evidence/case.yaml:9:3: error: conflict.between: only an incident's own `conflict:` names its "
                     "belligerents; remove `between` here and give the incidents of that relationship their own "
                     "`conflict:` with `between: [...]`"]


def test_a_state_whose_treaties_omit_gc_is_warned(ws, edit, diagnose):
    edit(ws, "evidence/case.yaml", "    treaties: [GC, API]", "    treaties: [API]")
    case, lines = diagnose(ws)
    assert case is not None
    assert lines == ["evidence/case.yaml:13:5: warning: parties[0].treaties: party 'VAL' is a State (kind: state is "
                     "the default) but its treaties omit GC: every State is bound by the Geneva Conventions, and the "
                     "analysis treats it as bound; add GC to its `treaties`, or say `kind: armed_group` if it is an "
                     "organised armed group [treaties-without-gc]"]


def test_an_armed_group_needs_no_gc(ws, diagnose):
    # the root's NLF says kind: armed_group and lists no treaty: no warning
    case, lines = diagnose(ws)
    assert lines == [] and case.case.parties[1].kind == "armed_group"


def test_party_kind_and_jurisdiction_values_are_checked(ws, edit, diagnose):
    edit(ws, "evidence/case.yaml", "    kind: armed_group", "    kind: militia")
    append(ws, "evidence/case.yaml", "jurisdiction: {icc: referral}\nforums: [icc, ngo]\n")
    case, lines = diagnose(ws)
    assert case is None
    assert lines == [
        "evidence/case.yaml:16:5: error: parties[1].kind: must be one of state, armed_group (got 'militia')",
        "evidence/case.yaml:19:16: error: jurisdiction.icc: must be one of none, state_party, art_12_3_declaration, "
        "security_council_referral (got 'referral') (did you mean 'security_council_referral'?)",
        "evidence/case.yaml:20:15: error: forums[1]: must be one of icc, coi, iiim, special_procedures, "
        "universal_jurisdiction, icj, treaty_body (got 'ngo')",
    ]


NORM = """\
id: test-norm
title: A test rule
instrument: Test instrument
provision: art. 1
kind: rule
applies_to: [IAC]
binding: {binding}
elements:
  - id: "1"
    text: First.
    kind: conduct
    means_of_proof: [report]
{extra}"""


def add_norm(ws, binding="customary", extra=""):
    (ws / "legal_norms").mkdir(exist_ok=True)
    (ws / "legal_norms" / "test-norm.yaml").write_text(NORM.format(binding=binding, extra=extra), encoding="utf-8")


def test_binding_must_be_customary_or_a_treaty_id(ws, diagnose):
    add_norm(ws, binding="CCW-P5")
    case, lines = diagnose(ws)
    assert case is None
    assert lines == ["legal_norms/test-norm.yaml:7:1: error: binding: must be one of customary, GC, API, APII, APIII, "
                     "RS, CCM, CCW, CCW-P3, ICCPR, ICESCR, CRC, CAT (got 'CCW-P5') (valid values near it: 'CCW-P3', 'CCW')"]


def test_an_alternative_needs_a_sibling(ws, diagnose):
    add_norm(ws, extra="    alternative: protection\n")
    case, lines = diagnose(ws)
    assert case is None
    assert lines == ["legal_norms/test-norm.yaml:13:5: error: elements[0].alternative: no other element of this norm "
                     "shares the alternative label 'protection': an alternative needs at least one sibling with the "
                     "same label (or remove the label)"]


# --- `dossier norms` -----------------------------------------------------------------------------------------------

def test_norms_json_lists_every_norm_with_what_it_needs(run_cli):
    code, out, err = run_cli(["norms", "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert [n["id"] for n in doc["norms"]] and {n["id"] for n in doc["norms"]} == set(load_norms(None))
    by_id = {n["id"]: n for n in doc["norms"]}
    cihl28 = by_id["cihl-28"]
    for key in ("title", "instrument", "provision", "kind", "applies_to", "binding", "sources", "elements",
                "alternatives", "applies", "binding_means"):
        assert key in cihl28, key
    assert cihl28["alternatives"] == {"protection": ["4", "5"]}
    assert [e["alternative"] for e in cihl28["elements"]] == [None, None, None, "protection", "protection"]
    assert by_id["iccpr-6"]["kind"] == "human_rights" and by_id["iccpr-6"]["applies_to"] == ["any"]
    assert by_id["rs-8-2-e-iv"]["binding_means"].startswith("under customary international law")


def test_norms_json_of_one_norm(run_cli):
    code, out, err = run_cli(["norms", "ap1-12", "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    assert doc["id"] == "ap1-12" and doc["binding"] == "API" and doc["alternatives"] == {"protection": ["4", "5"]}


def test_norms_text_of_one_norm_shows_applicability_binding_alternatives_and_sources(run_cli):
    code, out, err = run_cli(["norms", "ap2-11"])
    assert code == 0, err
    lines = out.splitlines()
    assert "  applies: only in a non-international armed conflict" in lines
    assert any(line.startswith("  binding: treaty (Additional Protocol II): only where conflict.ap2_threshold is true")
               for line in lines)
    assert "  alternatives (protection): elements 4 or 5; the group is met when any one is" in lines
    assert any(line.startswith("  sources: AP II art. 11; AP II art. 1(1)") for line in lines)
    assert "        alternative (protection) to 5" in lines


def test_norms_text_of_a_crime_says_where_it_is_criminalised(run_cli):
    code, out, err = run_cli(["norms", "rs-7-1-a"])
    assert code == 0, err
    assert "  applies: in and out of armed conflict\n" in out
    assert "  criminalised: under customary international law; a crime binds no party" in out
