"""The v2 analysis rules, one small exact table each (cli.md, "Analysis rules (v2)", "Definitions (v2)"),
and the located errors for bad v2 input (case-format.md, v2 sections).

Cases are built in memory with the helpers of test_completeness; the bad-input tests break one thing in a
copy of tests/roots/minimal and compare every diagnostic line with the expected one.
"""

from __future__ import annotations

import pytest

from dossier.analysis.completeness import assess
from dossier.pipeline.session import view as apply_edition
from tests.unit.test_completeness import INC, NORM, element_result, incident, item, make_case, source

CONFLICT_EL = "4"  # rs-8-2-e-iv/4, the contextual element (armed conflict and nexus)


def attribution(case, party, incident_id=INC):
    for inc in assess(case).incidents:
        if inc.id == incident_id:
            return {a.id: a for a in inc.attribution}.get(party)
    raise AssertionError(incident_id)


def assessed(finding, relies_on=("EV-1",), element=f"{NORM}/1"):
    return {"element": element, "finding": finding, "reasoning": "Counsel's reasons.", "relies_on": list(relies_on)}


# --- counsel's assessments decide the status; the screen is reported beside it ----------------------------------------

TWO = [source("S-1"), source("S-2")]


@pytest.mark.parametrize("finding,supported,status,screen", [
    # finding, how many independent reliable items support /1, the status, the screen's own result
    ("met", 1, "established", "partial"),
    ("met", 2, "established", "established"),
    ("not_met", 2, "partial", "established"),   # something supports it: partial
    ("contested", 2, "contested", "established"),
    ("open", 1, "partial", "partial"),          # open leaves the screen's status
    ("open", 2, "established", "established"),
])
def test_assessment_decides_the_status(finding, supported, status, screen):
    items = [item(f"EV-{n}", f"S-{n}", 2, supports=[f"{NORM}/1"]) for n in range(1, supported + 1)]
    case = make_case(TWO, items, standard="reasonable_grounds",
                     incidents=[incident(assessments=[assessed(finding)])])
    el = element_result(case, "1")
    assert (el.status, el.screen, el.basis) == (status, screen, "screen" if finding == "open" else "assessment")


@pytest.mark.parametrize("finding,word", [("met", "established (counsel)"), ("not_met", "not established (counsel)"),
                                          ("contested", "contested (counsel)")])
def test_the_text_report_says_what_the_briefs_say(finding, word):
    """`dossier report` words counsel's finding as the PDFs do: a not_met finding is never "partial"."""
    from dossier.rendering.report import report_lines

    items = [item(f"EV-{n}", f"S-{n}", 2, supports=[f"{NORM}/1"]) for n in (1, 2)]
    case = make_case(TWO, items, standard="reasonable_grounds", incidents=[incident(assessments=[assessed(finding)])])
    text = [str(part.text if hasattr(part, "text") else part) for line in report_lines(case, assess(case))
            for part in (line if isinstance(line, tuple) else (line,))]
    row = next(i for i, part in enumerate(text) if part.startswith(f"{NORM}/1 "))
    assert text[row + 1].split(maxsplit=1)[1].rstrip() == word


def test_not_met_with_nothing_in_support_is_missing():
    case = make_case(TWO, [item("EV-1", "S-1", 2, supports=[f"{NORM}/2"])], standard="reasonable_grounds",
                     incidents=[incident(assessments=[assessed("not_met", relies_on=())])])
    el = element_result(case, "1")
    assert (el.status, el.basis) == ("missing", "assessment")


@pytest.mark.parametrize("finding,internal,un", [
    # an assessment relying on an item the `un` edition withholds: met falls back to the screen there,
    # not_met still holds (a withheld item cannot make a finding stronger, only keep a doubt)
    ("met", ("established", "assessment"), ("partial", "screen")),
    ("not_met", ("partial", "assessment"), ("partial", "assessment")),
])
def test_assessment_on_a_withheld_item(finding, internal, un):
    items = [item("EV-1", "S-1", 2, supports=[f"{NORM}/1"], confidentiality="confidential"),
             item("EV-2", "S-2", 2, supports=[f"{NORM}/1"], confidentiality="public")]
    sources = TWO
    case = make_case(sources, items, standard="balance_of_probabilities",
                     incidents=[incident(assessments=[assessed(finding, relies_on=("EV-1", "EV-2"))])])
    # internal: two reliable sources meet balance of probabilities; un: only EV-2 is left, partial
    el = element_result(case, "1")
    assert (el.status, el.basis) == internal
    el_un = element_result(apply_edition(case, "un"), "1")
    assert (el_un.status, el_un.basis) == un


# --- attribution per party ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gov_items,reb_items,gov,reb", [
    (2, 1, "established", "partial"),   # jointly attributed: each party on its own items
    (1, 0, "partial", "missing"),
    (0, 0, "missing", "missing"),
])
def test_attribution_is_graded_per_party(gov_items, reb_items, gov, reb):
    sources = [source(f"S-{n}") for n in range(1, 5)]
    items = [item(f"EV-G{n}", f"S-{n}", 2, supports=["attribution/GOV"]) for n in range(1, gov_items + 1)]
    items += [item(f"EV-R{n}", f"S-{n + 2}", 2, supports=["attribution/REB"]) for n in range(1, reb_items + 1)]
    items.append(item("EV-X", "S-1", 2, supports=[f"{NORM}/1"]))
    case = make_case(sources, items, standard="reasonable_grounds",
                     incidents=[incident(attributed=("GOV", "REB"))])
    assert (attribution(case, "GOV").status, attribution(case, "REB").status) == (gov, reb)


def test_a_party_an_item_maps_to_is_graded_though_not_in_attributed_to():
    case = make_case([source("S-1")], [item("EV-1", "S-1", 2, supports=["attribution/REB"])],
                     incidents=[incident(attributed=("GOV",))], standard="reasonable_grounds")
    assert attribution(case, "GOV").status == "missing"
    assert attribution(case, "REB").status == "partial"


# --- notifications: never proof of a mental element; an inference only for a recipient attributed ----------------

def notification(id_, recipients, element=f"{NORM}/3"):
    return item(id_, "S-1", 1, supports=[element], type_="coordinate_sharing",
                deconfliction={"facility": "Clinic", "location": {"lat": 40.0, "lon": 20.0},
                               "shared_on": "2021-01-01", "recipients": list(recipients)})


@pytest.mark.parametrize("recipients,attributed,parties", [
    (("GOV",), ("GOV",), ["GOV"]),
    (("GOV",), ("REB",), []),                 # notified to a party the attack is not attributed to: nothing
    (("GOV", "REB"), ("GOV", "REB"), ["GOV", "REB"]),
    (("GOV", "REB"), ("REB",), ["REB"]),
])
def test_notification_inference_only_for_an_attributed_recipient(recipients, attributed, parties):
    case = make_case([source("S-1", "A")], [notification("EV-1", recipients)],
                     incidents=[incident(attributed=attributed)])
    el = element_result(case, "3")
    assert el.status == "missing"  # never counted for a mental element, even an A1 record
    assert sorted(i.party for i in el.inferences) == parties


# --- alternatives ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("supported,needed4,needed5", [
    (("4",), True, False),     # 4 established: 5 is no gap
    (("5",), False, True),
    ((), True, True),          # neither: both needed, the gap names the group
])
def test_alternative_group(supported, needed4, needed5):
    sources = [source("S-1"), source("S-2")]
    items = [item(f"EV-{n}", f"S-{n}", 2, supports=[f"cihl-28/{e}" for e in supported]) for n in (1, 2)]
    case = make_case(sources, items, charges=("cihl-28",), standard="reasonable_grounds")
    el4, el5 = (element_result(case, e, norm="cihl-28") for e in ("4", "5"))
    assert (el4.needed, el5.needed) == (needed4, needed5)
    gaps = [g for g in assess(case).gaps if g.norm == "cihl-28" and "or" in g.element]
    assert len(gaps) == (1 if needed4 and needed5 else 0)
    for gap in gaps:  # one sentence per alternative, joined once: never "such acts.; (5)"
        assert gap.element == "4 or 5" and ".;" not in gap.text and gap.text.endswith(".") \
            and not gap.text.endswith("..") and "; (5) " in gap.text


# --- case-wide items and their period --------------------------------------------------------------------------------

def case_wide(id_, source_id, period=None):
    data = item(id_, source_id, 1, supports=[f"{NORM}/{CONFLICT_EL}"], incidents=(), scope="case")
    if period:
        data["period"] = {"from": period[0], "to": period[1]}
    return data


@pytest.mark.parametrize("day,status", [
    ("2021-01-01", "established"),   # periods are inclusive
    ("2021-06-30", "established"),
    ("2021-07-01", "missing"),
    ("2020-12-31", "missing"),
])
def test_case_wide_items_inside_and_outside_their_period(day, status):
    sources = [source("S-1", "A"), source("S-2", "A")]
    items = [case_wide("EV-C1", "S-1", ("2021-01-01", "2021-06-30")),
             case_wide("EV-C2", "S-2", ("2021-01-01", "2021-06-30"))]
    case = make_case(sources, items, incidents=[incident(day=day)], standard="reasonable_grounds")
    assert element_result(case, CONFLICT_EL).status == status


def test_case_wide_item_without_period_holds_for_every_incident():
    case = make_case([source("S-1", "A")], [case_wide("EV-C1", "S-1")],
                     incidents=[incident("INC-1", day="2015-01-01"), incident("INC-2", day="2024-01-01")])
    assert [element_result(case, CONFLICT_EL, i).status for i in ("INC-1", "INC-2")] == ["established"] * 2


# --- an incident's own conflict ----------------------------------------------------------------------------------

def test_incident_conflict_replaces_the_case_classification():
    own = {"classification": "IAC", "between": ["GOV", "NEI"]}
    parties = [{"id": "GOV", "name": "Government", "treaties": ["GC", "API"]},
               {"id": "NEI", "name": "Neighbour", "treaties": ["GC", "API"]}]
    case = make_case([source("S-1")], [item("EV-1", "S-1", 2, supports=[f"{NORM}/1"], incidents=("INC-1", "INC-2"),
                                            )], parties=parties, charges=(NORM, "rs-8-2-b-ix"),
                     incidents=[incident("INC-1"), incident("INC-2", conflict=own)])
    result = {inc.id: {c.norm: c.applicable for c in inc.charges} for inc in assess(case).incidents}
    assert result == {"INC-1": {NORM: True, "rs-8-2-b-ix": False}, "INC-2": {NORM: False, "rs-8-2-b-ix": True}}


# --- bad v2 input: located errors that say what to do --------------------------------------------------------------

@pytest.fixture
def ws(make_ws):
    return make_ws("minimal")


def errors_of(ws, diagnose):
    case, lines = diagnose(ws)
    assert case is None
    return [line for line in lines if ": error: " in line]


def add_assessment(ws, edit, element="rs-8-2-e-iv/2", reasoning="The report is consistent with imagery.",
                   relies_on="[EV-R1]"):
    edit(ws, "evidence/incidents/one.yaml", "summary: A guided bomb",
         f"assessments:\n  - element: {element}\n    finding: met\n    reasoning: {reasoning}\n"
         f"    relies_on: {relies_on}\nsummary: A guided bomb")

EXPECTED = {
    'empty_reasoning': [
        "evidence/incidents/one.yaml:24:5: error: assessments[0].reasoning: must say why, in counsel's words: an assessment without reasoning is not a finding",
    ],
    'relies_on_unknown': [
        "evidence/incidents/one.yaml:25:17: error: assessments[0].relies_on[0]: unknown item 'EV-R9' (valid ids near it: 'EV-R1', 'EV-S1', 'EV-M1', 'EV-C1', 'EV-W1')",
    ],
    'relies_on_unrelated': [
        "evidence/incidents/one.yaml:25:17: error: assessments[0].relies_on[0]: item EV-R1 does not bear on rs-8-2-e-iv/1 for this incident (it maps no `supports` to it): map it in the item's supports, or rest the assessment on the items that do",
    ],
    'attribution_unknown_party': [
        "evidence/items/report.yaml:15:5: error: supports[1].element: attribution/VAK: unknown party 'VAK' (valid ids near it: 'VAL'); `attribution/PARTY` names a party of case.yaml",
    ],
    'case_wide_non_contextual': [
        "evidence/items/report.yaml:14:5: error: supports[0].element: a case-wide item (scope: case) may support only contextual elements (such as the existence of the armed conflict); rs-8-2-e-iv/2 is a circumstance element, proved incident by incident: list the item's `incidents` (and remove `scope: case`), or map rs-8-2-e-iv/2 from an item about each incident",
        "evidence/items/report.yaml:15:5: error: supports[1].element: a case-wide item (scope: case) may support only contextual elements (such as the existence of the armed conflict); cihl-28/1 is a circumstance element, proved incident by incident: list the item's `incidents` (and remove `scope: case`), or map cihl-28/1 from an item about each incident",
    ],
    'case_wide_with_incidents': [
        'evidence/items/report.yaml:4:1: error: incidents: a case-wide item (`scope: case`) names no incidents: it bears on every incident charged with the norm in its `period`; remove `incidents`',
    ],
    'between_unknown_party': [
        "evidence/incidents/one.yaml:23:18: error: conflict.between[1]: unknown party 'NLX' (valid ids near it: 'NLF')",
    ],
}

BAD = [
    ("empty_reasoning", lambda ws, edit: add_assessment(ws, edit, reasoning='" "')),
    ("relies_on_unknown", lambda ws, edit: add_assessment(ws, edit, relies_on="[EV-R9]")),
    ("relies_on_unrelated", lambda ws, edit: add_assessment(ws, edit, element="rs-8-2-e-iv/1")),
    ("attribution_unknown_party", lambda ws, edit: edit(ws, "evidence/items/report.yaml",
                                                        "  - element: cihl-28/1", "  - element: attribution/VAK")),
    ("case_wide_non_contextual", lambda ws, edit: edit(ws, "evidence/items/report.yaml",
                                                       "incidents: [INC-2022-06-10-LOWMERE]", "scope: case")),
    ("case_wide_with_incidents", lambda ws, edit: edit(ws, "evidence/items/report.yaml",
                                                       "source: SRC-NGO", "scope: case\nsource: SRC-NGO")),
    ("between_unknown_party", lambda ws, edit: edit(ws, "evidence/incidents/one.yaml", "summary: A guided bomb",
                                                    "conflict:\n  classification: IAC\n  between: [VAL, NLX]\n"
                                                    "summary: A guided bomb")),
]


@pytest.mark.parametrize("name,breaks", BAD, ids=[b[0] for b in BAD])
def test_bad_v2_input_is_a_located_error(ws, edit, diagnose, name, breaks):
    breaks(ws, edit)
    assert errors_of(ws, diagnose) == EXPECTED[name]
