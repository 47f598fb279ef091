"""Completeness analysis, lineage, editions, applicability and patterns, called directly.

Small cases are built in memory (models validated as the loader validates them,
the built-in norms library) so each row of a table costs a millisecond; the test
roots under tests/roots/ are loaded read-only where a whole workspace is clearer.
The expected values come from cli.md and case-format.md, not from the code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dossier.analysis.completeness import applicability, assess
from dossier.analysis.editions import may_show
from dossier.analysis.lineage import independent_groups, item_origins, source_origins
from dossier.analysis.patterns import patterns
from dossier.loading.workspace import load_norms
from dossier.models import CaseFile, Incident, Norm, Source, model_for
from dossier.models.loaded import Case
from dossier.pipeline.session import load as load_case
from dossier.pipeline.session import view as apply_edition  # the filter, with the warnings found on its view

ROOTS = Path(__file__).resolve().parents[1] / "roots"
NORMS = load_norms(None)  # the built-in library
NORM = "rs-8-2-e-iv"
INC = "INC-1"

APII_NORM = Norm.model_validate({
    "id": "apii-11", "title": "Protection of medical units (AP II)", "instrument": "Additional Protocol II",
    "provision": "art. 11(1)", "kind": "rule", "applies_to": ["NIAC"], "binding": "APII",
    "elements": [{"id": "1", "text": "A medical unit was attacked.", "kind": "conduct"}],
})
CCM_NORM = Norm.model_validate({
    "id": "ccm-1", "title": "Use of cluster munitions", "instrument": "Convention on Cluster Munitions",
    "provision": "art. 1(1)(a)", "kind": "rule", "applies_to": ["IAC", "NIAC"], "binding": "CCM",
    "elements": [{"id": "1", "text": "Cluster munitions were used.", "kind": "conduct"}],
})


# --- building cases in memory ----------------------------------------------------------------------

def incident(id_=INC, day="2021-05-10", lat=40.0, lon=20.0, attributed=("GOV",), protect=False, facility=None,
             window=None, **extra) -> dict:
    data = {"id": id_, "title": f"Incident {id_}", "location": {"place": "Somewhere", "lat": lat, "lon": lon,
                                                                 "protect": protect},
            "attack": {"means": ["airstrike"], "attributed_to": list(attributed)}, "summary": "An attack."}
    if window:
        data["window"] = {"from": window[0], "to": window[1]}
    else:
        data["date"] = day
    if facility is not None:
        data["facility"] = facility
    data.update(extra)
    return data


def item(id_, source, credibility=2, supports=(), contradicts=(), incidents=(INC,), type_="report", **extra) -> dict:
    data = {"id": id_, "type": type_, "title": f"Item {id_}", "incidents": list(incidents), "source": source,
            "credibility": credibility, "date": "2021-05-11", "summary": f"Summary of {id_}.",
            "supports": [{"element": e, "stance": "supports"} for e in supports]
            + [{"element": e, "stance": "contradicts"} for e in contradicts]}
    data.update(extra)
    return data


def source(id_, reliability="B", derived_from=(), kind="ngo", name=None) -> dict:
    return {"id": id_, "name": name or f"Source {id_}", "kind": kind, "reliability": reliability,
            "derived_from": list(derived_from)}


def make_case(sources, items, incidents=None, standard="reasonable_basis", thresholds=None, parties=None,
              classification="NIAC", territory=None, charges=(NORM,), extra_norms=()) -> Case:
    conflict = {"classification": classification}
    if territory:
        conflict["territory"] = territory
    case_data = {"id": "test-case", "title": "Test case", "conflict": conflict,
                 "parties": parties or [{"id": "GOV", "name": "Government forces", "treaties": ["GC", "API"]},
                                        {"id": "REB", "name": "Rebel group"}],
                 "standard_of_proof": standard, "charges": list(charges)}
    if thresholds:
        case_data["thresholds"] = thresholds
    norms = dict(NORMS)
    norms.update({n.id: n for n in extra_norms})
    case = Case(
        root=Path("."),
        case=CaseFile.model_validate(case_data),
        sources={s["id"]: Source.model_validate(s) for s in sources},
        incidents={i["id"]: Incident.model_validate(i) for i in (incidents or [incident()])},
        items={i["id"]: model_for(i["type"]).model_validate(i) for i in items},
        norms=norms,
        where={},
    )
    return case.replace(origins=item_origins(case))


def element_result(case: Case, element: str, incident_id: str = INC, norm: str = NORM):
    for inc in assess(case).incidents:
        if inc.id == incident_id:
            for charge in inc.charges:
                if charge.norm == norm:
                    for el in charge.elements:
                        if el.id == element:
                            return el
    raise AssertionError(f"{incident_id} {norm}/{element} not in the assessment")


# --- the status table --------------------------------------------------------------------------------

def table_case(supporting, contradicting, standard, via="source", thresholds=None) -> Case:
    """Element rs-8-2-e-iv/1 supported by ``supporting`` = [(reliability, credibility, origin group)] and
    contradicted by ``contradicting`` = [(reliability, credibility)], each item from its own source.

    Items of one origin group share an origin: ``via="source"``: their sources relay one origin source;
    ``via="item"``: every item after the first of its group is ``derived_from`` the first.
    """
    sources, items, first = [], [], {}
    for n, (rel, cred, group) in enumerate(supporting):
        sid, iid = f"S-{n}", f"SUP-{n}"
        if via == "source":
            if f"ORIG-{group}" not in {s["id"] for s in sources}:
                sources.append(source(f"ORIG-{group}", "F", kind="other"))
            sources.append(source(sid, rel, derived_from=[f"ORIG-{group}"]))
            items.append(item(iid, sid, cred, supports=[f"{NORM}/1"]))
        else:
            sources.append(source(sid, rel))
            extra = {"derived_from": [first[group]]} if group in first else {}
            first.setdefault(group, iid)
            items.append(item(iid, sid, cred, supports=[f"{NORM}/1"], **extra))
    for n, (rel, cred) in enumerate(contradicting):
        sources.append(source(f"C-{n}", rel))
        items.append(item(f"CON-{n}", f"C-{n}", cred, contradicts=[f"{NORM}/1"]))
    return make_case(sources, items, standard=standard, thresholds=thresholds)


RB, RG, BOP, SG, CC, BRD = ("reasonable_basis", "reasonable_grounds", "balance_of_probabilities", "substantial_grounds",
                           "clear_and_convincing", "beyond_reasonable_doubt")
# The v2 screen (cli.md): reasonable basis 1 reliable; reasonable grounds 2 independent, 1 reliable; balance of
# probabilities 2 reliable; substantial grounds 2 reliable, 1 strong; clear and convincing 3, 2 reliable, 1
# strong; beyond reasonable doubt 3 reliable, 1 strong. Reliable: A-C/1-3; strong: A-B/1-2; E-F or 5-6 count for
# nothing. Contested: an independent contradiction at least as good as the best support on both letters, never
# one graded D-F or 4-6.
# (standard, supporting [(rel, cred, group)], contradicting [(rel, cred)], status, independent_sources)
ROWS = [
    # missing: nothing supports, whatever contradicts
    (RG, [], [], "missing", 0),
    (RG, [], [("A", 1)], "missing", 0),
    (BRD, [], [], "missing", 0),
    # reasonable basis: one independent reliable source
    (RB, [("C", 3, "a")], [], "established", 1),
    (RB, [("D", 1, "a")], [], "partial", 0),
    (RB, [("C", 4, "a")], [], "partial", 0),
    # reasonable grounds: two independent sources, one of them reliable
    (RG, [("C", 3, "a")], [], "partial", 1),
    (RG, [("C", 3, "a"), ("C", 3, "b")], [], "established", 2),
    (RG, [("A", 1, "a"), ("D", 4, "b")], [], "established", 1),
    (RG, [("A", 1, "a"), ("E", 2, "b")], [], "partial", 1),
    (RG, [("A", 1, "a"), ("B", 5, "b")], [], "partial", 1),
    (RG, [("C", 3, "a"), ("C", 3, "a"), ("C", 3, "a")], [], "partial", 1),
    (RG, [("F", 1, "a")], [], "partial", 0),
    (RG, [("D", 4, "a"), ("E", 5, "b")], [], "partial", 0),
    # contested: weighed on both letters; D-F or 4-6 never contests
    (RG, [("C", 3, "a"), ("C", 3, "b")], [("C", 3)], "contested", 2),
    (RG, [("C", 3, "a"), ("C", 3, "b")], [("C", 5)], "established", 2),
    (RG, [("C", 3, "a"), ("C", 3, "b")], [("B", 6)], "established", 2),
    (RG, [("B", 2, "a"), ("C", 3, "b")], [("B", 2)], "contested", 2),
    (RG, [("B", 2, "a"), ("C", 3, "b")], [("B", 3)], "established", 2),
    (RG, [("B", 2, "a"), ("C", 3, "b")], [("C", 1)], "established", 2),
    (RG, [("A", 2, "a"), ("C", 1, "b")], [("B", 1)], "established", 2),
    (RG, [("A", 2, "a"), ("C", 1, "b")], [("A", 1)], "contested", 2),
    (RG, [("D", 4, "a")], [("C", 3)], "contested", 0),
    (RG, [("D", 4, "a")], [("D", 4)], "partial", 0),
    (RG, [("B", 2, "a"), ("C", 3, "b")], [("D", 1), ("E", 1), ("F", 1)], "established", 2),
    (BRD, [("A", 1, "a"), ("B", 2, "b"), ("C", 3, "c")], [("A", 4)], "established", 3),
    (BRD, [("A", 1, "a"), ("B", 2, "b"), ("C", 3, "c")], [("A", 1)], "contested", 3),
    (BRD, [("A", 1, "a"), ("B", 2, "b"), ("C", 3, "c")], [("B", 1)], "established", 3),
    # balance of probabilities: two independent reliable sources
    (BOP, [("B", 2, "a")], [], "partial", 1),
    (BOP, [("B", 2, "a"), ("D", 4, "b")], [], "partial", 1),
    (BOP, [("B", 2, "a"), ("C", 3, "b")], [], "established", 2),
    (BOP, [("B", 2, "a"), ("C", 3, "a")], [], "partial", 1),
    # substantial grounds: two independent reliable sources, one of them strong
    (SG, [("C", 3, "a"), ("C", 3, "b")], [], "partial", 2),
    (SG, [("B", 2, "a"), ("C", 3, "b")], [], "established", 2),
    (SG, [("B", 2, "a"), ("B", 2, "a")], [], "partial", 1),
    # clear and convincing: three independent sources, two reliable, one strong
    (CC, [("B", 2, "a"), ("C", 3, "b")], [], "partial", 2),
    (CC, [("B", 2, "a"), ("C", 3, "b"), ("D", 4, "c")], [], "established", 2),
    (CC, [("C", 3, "a"), ("C", 3, "b"), ("C", 3, "c")], [], "partial", 3),
    (CC, [("B", 2, "a"), ("D", 4, "b"), ("D", 4, "c")], [], "partial", 1),
    # beyond reasonable doubt: three independent reliable sources, one of them strong
    (BRD, [("C", 3, "a"), ("C", 3, "b"), ("C", 3, "c")], [], "partial", 3),
    (BRD, [("B", 2, "a"), ("C", 3, "b"), ("C", 3, "c")], [], "established", 3),
    (BRD, [("A", 1, "a"), ("B", 2, "b")], [], "partial", 2),
    (BRD, [("A", 1, "a"), ("C", 3, "b"), ("C", 3, "b"), ("C", 3, "c")], [], "established", 3),
    (BRD, [("B", 3, "a"), ("C", 3, "b"), ("C", 3, "c")], [], "partial", 3),
    (BRD, [("A", 2, "a"), ("C", 3, "b"), ("D", 3, "c")], [], "partial", 2),
    (BRD, [("B", 2, "a"), ("C", 3, "a"), ("C", 3, "b")], [], "partial", 2),
    (BRD, [("A", 1, "a"), ("A", 1, "a"), ("A", 1, "a")], [], "partial", 1),
]


@pytest.mark.parametrize("via", ["source", "item"])
@pytest.mark.parametrize("standard,supporting,contradicting,status,independent", ROWS,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_status_table(standard, supporting, contradicting, status, independent, via):
    el = element_result(table_case(supporting, contradicting, standard, via), "1")
    assert el.status == status
    assert sorted(el.supporting) == sorted(f"SUP-{n}" for n in range(len(supporting)))
    assert sorted(el.contradicting) == sorted(f"CON-{n}" for n in range(len(contradicting)))
    assert el.independent_sources == independent
    assert el.basis == "screen" and el.screen == status


def test_independent_sources_counts_the_reliable_groups_only():
    # v2: independent_sources is the number of reliable groups; sources_total the number of groups; an item
    # graded E-F or 5-6 counts for nothing (it is listed, as uncounted)
    el = element_result(table_case([("B", 2, "a"), ("D", 4, "b"), ("D", 5, "c")], [], RG), "1")
    assert el.status == "established"
    assert el.independent_sources == 1
    assert el.sources_total == 2
    assert el.uncounted == ("SUP-2",)


def test_the_other_elements_are_missing():
    case = table_case([("A", 1, "a")], [], RB)
    statuses = {el: element_result(case, el).status for el in "12345"}
    assert statuses == {"1": "established", "2": "missing", "3": "missing", "4": "missing", "5": "missing"}


def test_missing_element_suggests_its_means_of_proof():
    case = table_case([("A", 1, "a")], [], RG)
    el = element_result(case, "4")
    assert el.status == "missing"
    assert set(el.suggested_types) == set(NORMS[NORM].element("4").means_of_proof)
    assert el.suggested_types


@pytest.mark.parametrize("thresholds,supporting,status", [
    ({"reasonable_grounds": {"sources": 2, "qualified": 1, "strong": 0}}, [("B", 2, "a")], "partial"),
    ({"reasonable_grounds": {"sources": 2, "qualified": 1, "strong": 0}}, [("B", 2, "a"), ("D", 4, "b")],
     "established"),
    ({"reasonable_grounds": {"sources": 2, "qualified": 1, "strong": 0}}, [("B", 2, "a"), ("D", 5, "b")],
     "partial"),
    ({"reasonable_grounds": {"sources": 2, "qualified": 1, "strong": 0}}, [("B", 2, "a"), ("D", 5, "a")],
     "partial"),
    ({"reasonable_grounds": {"sources": 1, "qualified": 0, "strong": 0}}, [("E", 5, "a")], "partial"),
    ({"reasonable_grounds": {"sources": 1, "qualified": 0, "strong": 0}}, [("D", 4, "a")], "established"),
    ({"reasonable_grounds": {"sources": 1, "qualified": 1, "strong": 1}}, [("C", 1, "a")], "partial"),
    ({"reasonable_grounds": {"sources": 1, "qualified": 1, "strong": 1}}, [("B", 1, "a")], "established"),
    # thresholds for another standard do not apply
    ({"beyond_reasonable_doubt": {"sources": 9, "qualified": 9, "strong": 9}}, [("C", 3, "a"), ("D", 4, "b")],
     "established"),
])
def test_custom_thresholds(thresholds, supporting, status):
    case = table_case(supporting, [], RG, thresholds=thresholds)
    assert element_result(case, "1").status == status


def test_support_named_for_one_incident_counts_only_there():
    incidents = [incident("INC-1", "2021-05-10"), incident("INC-2", "2021-06-10", lat=41.0)]
    one = item("EV-1", "S-1", 2, incidents=("INC-1", "INC-2"))
    one["supports"] = [{"element": f"{NORM}/1", "incident": "INC-2", "stance": "supports"}]
    items = [one, item("EV-2", "S-1", 2, incidents=("INC-1", "INC-2"), supports=[f"{NORM}/2"])]
    case = make_case([source("S-1")], items, incidents=incidents)
    assert element_result(case, "1", "INC-1").status == "missing"
    assert element_result(case, "1", "INC-2").status == "established"
    # a support that names no incident counts for each incident the item names
    assert element_result(case, "2", "INC-1").status == "established"
    assert element_result(case, "2", "INC-2").status == "established"


def test_items_of_another_incident_do_not_count():
    incidents = [incident("INC-1"), incident("INC-2", "2021-06-10")]
    case = make_case([source("S-1")], [item("EV-1", "S-1", 1, incidents=("INC-2",), supports=[f"{NORM}/1"])],
                     incidents=incidents)
    assert element_result(case, "1", "INC-1").status == "missing"
    assert element_result(case, "1", "INC-2").status == "established"


def test_counts_and_gaps_cover_applicable_elements_only():
    items = [item("EV-1", "S-1", 2, supports=[f"{NORM}/1", "rs-8-2-b-ix/1"])]
    case = make_case([source("S-1")], items, charges=(NORM, "rs-8-2-b-ix"))
    result = assess(case)
    assert result.counts() == {"established": 1, "partial": 0, "contested": 0, "missing": 4}
    assert {(g.norm, g.element) for g in result.gaps} == {(NORM, e) for e in "2345"}
    charges = {c.norm: c for c in result.incidents[0].charges}
    assert charges["rs-8-2-b-ix"].applicable is False
    assert charges[NORM].applicable is True


# --- laundered corroboration on the status-table root ----------------------------------------------

@pytest.fixture(scope="module")
def status_root() -> Case:
    return load_case(ROOTS / "status-table")


def _root_element(case: Case, incident_id: str, element: str, norm: str = NORM):
    return element_result(case, element, incident_id, norm)


def test_root_laundered_media_count_once(status_root):
    el = _root_element(status_root, "INC-2021-03-10-HILLVALE", "2")
    assert set(el.supporting) == {"ST-NGO-1", "ST-MEDIA-1", "ST-MEDIA-2", "ST-MEDIA-3", "ST-BLOG-1"}
    assert el.independent_sources == 1
    assert el.sources_total == 1
    assert el.status == "partial"  # five outlets of one origin are one source: reasonable grounds needs two


def test_root_statuses(status_root):
    got = {(inc.id, el.id): el.status for inc in assess(status_root).incidents for ch in inc.charges
           if ch.norm == NORM for el in ch.elements}
    assert got == {
        ("INC-2021-03-10-HILLVALE", "1"): "established", ("INC-2021-03-10-HILLVALE", "2"): "partial",
        ("INC-2021-03-10-HILLVALE", "3"): "missing", ("INC-2021-03-10-HILLVALE", "4"): "contested",
        ("INC-2021-03-10-HILLVALE", "5"): "partial",
        ("INC-2021-04-22-RIVERTON", "1"): "partial", ("INC-2021-04-22-RIVERTON", "2"): "contested",
        ("INC-2021-04-22-RIVERTON", "3"): "missing", ("INC-2021-04-22-RIVERTON", "4"): "missing",
        ("INC-2021-04-22-RIVERTON", "5"): "partial",
    }


def test_root_inapplicable_norms_not_gaps(status_root):
    result = assess(status_root)
    for inc in result.incidents:
        charges = {c.norm: c for c in inc.charges}
        assert charges["rs-8-2-b-ix"].applicable is False
        assert charges["apii-11"].applicable is False
        assert charges[NORM].applicable is True
    assert {g.norm for g in result.gaps} == {NORM}


# --- deconfliction inferences ----------------------------------------------------------------------

def test_root_inference_shown_not_counted(status_root):
    el = _root_element(status_root, "INC-2021-03-10-HILLVALE", "3")
    assert el.status == "missing"
    assert el.supporting == ()
    assert [i.item for i in el.inferences] == ["ST-NOTIF-BEFORE"]  # not AFTER, not REB-only
    inference = el.inferences[0]
    assert inference.party == "GOV"  # the attributed party, not REB
    assert inference.shared_on == "2021-01-15"
    assert inference.caveat


def test_root_inference_only_on_elements_that_allow_it(status_root):
    for element in ("1", "2", "4", "5"):
        assert _root_element(status_root, "INC-2021-03-10-HILLVALE", element).inferences == ()


def test_root_notification_listed_in_supports_never_proves_intent(status_root):
    """v2: a notification mapped to the intent element is an inference, listed, never counted."""
    el = _root_element(status_root, "INC-2021-04-22-RIVERTON", "3")
    assert el.supporting == ()
    assert el.uncounted == ("RV-NOTIF-1",)
    assert el.status == "missing"
    assert [(i.item, i.party) for i in el.inferences] == [("RV-NOTIF-1", "GOV")]


def notification(id_, shared_on, recipients, supports=()) -> dict:
    return item(id_, "S-UN", 1, supports=supports, type_="coordinate_sharing",
                deconfliction={"facility": "Clinic", "location": {"lat": 40.0, "lon": 20.0}, "shared_on": shared_on,
                               "recipients": list(recipients)})


UN = source("S-UN", "A", kind="un")


@pytest.mark.parametrize("shared_on,recipients,attributed,inferred", [
    ("2021-04-01", ["GOV"], ["GOV"], True),
    ("2021-04-01", ["REB", "GOV"], ["GOV"], True),
    ("2021-04-01", ["GOV"], ["REB", "GOV"], True),
    ("2021-05-20", ["GOV"], ["GOV"], False),   # shared after the attack
    ("2021-04-01", ["REB"], ["GOV"], False),   # not shared with the attributed party
    ("2021-04-01", [], ["GOV"], False),
])
def test_inference_conditions(shared_on, recipients, attributed, inferred):
    case = make_case([UN], [notification("N-1", shared_on, recipients)],
                     incidents=[incident(attributed=attributed)])
    el = element_result(case, "3")
    assert el.status == "missing"
    expected = [p for p in attributed if p in recipients] if inferred else []
    assert [(i.item, i.party) for i in el.inferences] == [("N-1", p) for p in expected]


def test_inference_never_lifts_status():
    items = [notification("N-1", "2021-04-01", ["GOV"]),
             item("EV-1", "S-OBS", 4, supports=[f"{NORM}/3"])]
    case = make_case([UN, source("S-OBS", "D")], items)
    el = element_result(case, "3")
    assert el.status == "partial"
    assert el.supporting == ("EV-1",)
    assert [i.item for i in el.inferences] == ["N-1"]


def test_notification_in_supports_never_counts_toward_a_mental_element():
    case = make_case([UN], [notification("N-1", "2021-04-01", ["GOV"], supports=[f"{NORM}/3", f"{NORM}/2"])])
    el = element_result(case, "3")
    assert (el.status, el.supporting, el.uncounted) == ("missing", (), ("N-1",))
    assert [i.party for i in el.inferences] == ["GOV"]
    # for a circumstance (the site's protected status) it is evidence like any other
    assert element_result(case, "2").status == "established"


# --- lineage ---------------------------------------------------------------------------------------

def test_a_relay_of_two_origins_does_not_merge_them():
    # b quotes both S1 and S2: it cannot corroborate either, but S1 and S2 stay independent of each other
    origins = {"a": frozenset({"S1"}), "b": frozenset({"S1", "S2"}), "c": frozenset({"S2"}), "d": frozenset({"S3"})}
    assert independent_groups(["a", "b", "c", "d"], origins) == [["a", "b"], ["c"], ["d"]]
    groups = independent_groups(["a", "c", "d", "b"], origins)
    assert sorted(map(sorted, groups)) == [["a", "b"], ["c"], ["d"]]
    assert sorted(independent_groups(["d", "a"], origins)) == [["a"], ["d"]]
    assert independent_groups(["b"], origins) == [["b"]]  # alone, a relay of two origins is one source


def test_independent_groups_chain_of_relays_is_packed_exactly():
    origins = {f"i{n}": frozenset({f"S{n}", f"S{n + 1}"}) for n in range(10)}
    ids = list(reversed(origins))
    assert len(independent_groups(ids, origins)) == 5  # every other link is disjoint
    assert len(independent_groups(ids[::2], origins)) == 5


def test_independent_groups_large_chain_keeps_every_item():
    origins = {f"i{n}": frozenset({f"S{n:02d}", f"S{n + 1:02d}"}) for n in range(50)}
    groups = independent_groups(list(origins), origins)
    assert sorted(i for g in groups for i in g) == sorted(origins)
    assert 17 <= len(groups) <= 25


def test_independent_groups_duplicates_and_unknown_ids():
    origins = {"a": frozenset({"S1"})}
    assert independent_groups(["a", "a", "x", "y"], origins) == [["a"], ["x"], ["y"]]
    assert independent_groups([], origins) == []


def lineage_case() -> Case:
    sources = [
        source("NGO", "B"), source("PAPER", "C", ["NGO"]), source("WIRE", "C", ["PAPER"]),
        source("TV", "C", ["WIRE"]), source("UN", "A", kind="un"), source("DIGEST", "B", ["NGO", "UN"]),
        source("BLOG", "D"),
    ]
    items = [
        item("I-NGO", "NGO"), item("I-TV", "TV"), item("I-UN", "UN"), item("I-DIGEST", "DIGEST"),
        item("I-BLOG", "BLOG", derived_from=["I-UN"]),             # repeats the UN item: UN's origin, not BLOG
        item("I-BLOG2", "BLOG", derived_from=["I-BLOG"]),          # a chain of items
        item("I-BOTH", "BLOG", derived_from=["I-NGO", "I-UN"]),    # repeats two items
        item("I-OWN", "BLOG"),
    ]
    return make_case(sources, items)


def test_source_origins_follow_relays():
    origins = source_origins(lineage_case())
    assert origins["NGO"] == {"NGO"}
    assert origins["TV"] == {"NGO"}        # TV -> WIRE -> PAPER -> NGO
    assert origins["DIGEST"] == {"NGO", "UN"}
    assert origins["BLOG"] == {"BLOG"}


def test_item_origins():
    origins = item_origins(lineage_case())
    assert origins["I-TV"] == {"NGO"}
    assert origins["I-BLOG"] == {"UN"}
    assert origins["I-BLOG2"] == {"UN"}
    assert origins["I-BOTH"] == {"NGO", "UN"}
    assert origins["I-OWN"] == {"BLOG"}


def test_tracing_origins_makes_no_reference_cycle():
    """The origins are traced without a closure that calls itself: such a closure is a reference cycle holding the
    case, which would then live until the cyclic collector finds it (a third of a second after an import of
    10,000 items, when the collector is enabled again)."""
    import gc

    case = lineage_case()
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        origins = item_origins(case)
        assert origins["I-BLOG2"] == {"UN"} and source_origins(case)["TV"] == {"NGO"}
        del case, origins
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


def test_lineage_groups_in_a_case():
    case = lineage_case()
    groups = independent_groups(["I-NGO", "I-TV", "I-OWN"], case.origins)
    assert groups == [["I-NGO", "I-TV"], ["I-OWN"]]
    groups = independent_groups(["I-TV", "I-BLOG2", "I-OWN"], case.origins)
    assert groups == [["I-TV"], ["I-BLOG2"], ["I-OWN"]]
    # the digest relays both NGO and UN: it corroborates neither, and does not merge them
    groups = independent_groups(["I-TV", "I-BLOG", "I-DIGEST"], case.origins)
    assert groups == [["I-TV", "I-DIGEST"], ["I-BLOG"]]


def test_three_outlets_of_one_ngo_are_one_source_in_the_analysis():
    sources = [source("NGO", "B"), *(source(f"M{n}", "C", ["NGO"], kind="media") for n in range(3)),
               source("OTHER", "C")]
    items = [item(f"EV-M{n}", f"M{n}", 2, supports=[f"{NORM}/1"]) for n in range(3)]
    items.append(item("EV-NGO", "NGO", 2, supports=[f"{NORM}/1"]))
    items.append(item("EV-X", "OTHER", 2, derived_from=["EV-NGO"], supports=[f"{NORM}/1"]))
    case = make_case(sources, items, standard=BOP)
    el = element_result(case, "1")
    assert el.independent_sources == 1
    assert el.status == "partial"
    # an independent second source establishes it
    items.append(item("EV-Y", "OTHER", 3, supports=[f"{NORM}/1"]))
    el = element_result(make_case(sources, items, standard=BOP), "1")
    assert (el.status, el.independent_sources) == ("established", 2)


# --- editions --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def editions_root() -> Case:
    return load_case(ROOTS / "editions")


WESTMERE, ASHFORD = "INC-2021-06-02-WESTMERE", "INC-2021-07-09-ASHFORD"
ALL_ITEMS = {"ED-PUB-REPORT", "ED-RESTR-DOC", "ED-CONF-INTERCEPT", "ED-SAT-AFTER", "ED-PRESS-RELAY", "ED-NOTIF-PUB",
             "ED-ASH-REPORT", "ED-WIT-LEGAL", "ED-WIT-UN", "ED-WIT-PUBLIC", "ED-WIT-NOCONSENT"}
SHOWN = {
    "internal": ALL_ITEMS,
    "un": ALL_ITEMS - {"ED-CONF-INTERCEPT", "ED-WIT-LEGAL", "ED-WIT-NOCONSENT"},
    "public": {"ED-PUB-REPORT", "ED-PRESS-RELAY", "ED-NOTIF-PUB", "ED-ASH-REPORT", "ED-WIT-PUBLIC"},
}


@pytest.mark.parametrize("edition", ["internal", "un", "public"])
def test_edition_items_and_withheld_count(editions_root, edition):
    view = apply_edition(editions_root, edition)
    assert set(view.items) == SHOWN[edition]
    assert view.withheld == len(ALL_ITEMS - SHOWN[edition])
    assert view.edition == edition
    assert assess(view).withheld_items == view.withheld


@pytest.mark.parametrize("edition", ["un", "public"])
def test_edition_strips_witness_name_and_contact(editions_root, edition):
    view = apply_edition(editions_root, edition)
    witnesses = [i for i in view.items.values() if i.type == "witness_statement"]
    assert witnesses
    for w in witnesses:
        assert w.witness.name is None and w.witness.contact is None
        assert w.witness.pseudonym  # the pseudonym is the identity outside internal
    real_names = {w.witness.name for w in editions_root.items.values() if w.type == "witness_statement"}
    assert not real_names & {s.name for s in view.sources.values()}


def test_internal_keeps_everything(editions_root):
    view = apply_edition(editions_root, "internal")
    w = view.items["ED-WIT-LEGAL"]
    assert (w.witness.name, w.witness.contact) == ("Canary Alpha Wexley", "+999 11 ALPHA")
    loc = view.incidents[WESTMERE].location
    assert (loc.lat, loc.lon) == (41.50127, 22.71093)
    assert view.items["ED-PRESS-RELAY"].derived_from == ["ED-WIT-UN"]
    assert view.withheld == 0


def test_edition_does_not_change_the_loaded_case(editions_root):
    apply_edition(editions_root, "public")
    assert editions_root.items["ED-WIT-PUBLIC"].witness.name == "Canary Gamma Pellow"
    assert editions_root.incidents[WESTMERE].location.lat == 41.50127
    assert len(editions_root.items) == len(ALL_ITEMS)


@pytest.mark.parametrize("edition", ["un", "public"])
def test_edition_rounds_protected_coordinates(editions_root, edition):
    view = apply_edition(editions_root, edition)
    loc = view.incidents[WESTMERE].location
    assert (loc.lat, loc.lon) == pytest.approx((41.5, 22.7))
    notif = view.items["ED-NOTIF-PUB"].deconfliction.location
    assert (notif.lat, notif.lon) == pytest.approx((41.5, 22.7))
    if edition == "un":
        sat = view.items["ED-SAT-AFTER"].imagery.location
        assert (sat.lat, sat.lon) == pytest.approx((41.5, 22.7))
    # an unprotected incident keeps its exact coordinates in every edition
    ash = view.incidents[ASHFORD].location
    assert (ash.lat, ash.lon) == (42.33333, 21.98765)


@pytest.mark.parametrize("lat,lon,rounded", [
    (-33.87654, 151.20932, (-33.9, 151.2)),
    (41.56, 22.04, (41.6, 22.0)),
    (0.04, -0.04, (0.0, 0.0)),
])
def test_protected_rounding_to_a_tenth(lat, lon, rounded):
    case = make_case([source("S-1")], [item("EV-1", "S-1")], incidents=[incident(lat=lat, lon=lon, protect=True)])
    for edition in ("un", "public"):
        loc = apply_edition(case, edition).incidents[INC].location
        assert (loc.lat, loc.lon) == pytest.approx(rounded)
        assert abs(loc.lat - lat) <= 0.05 + 1e-9 and abs(loc.lon - lon) <= 0.05 + 1e-9
    loc = apply_edition(case, "internal").incidents[INC].location
    assert (loc.lat, loc.lon) == (lat, lon)


def test_edition_removes_derived_from_withheld_items(editions_root):
    assert apply_edition(editions_root, "un").items["ED-PRESS-RELAY"].derived_from == ["ED-WIT-UN"]
    assert apply_edition(editions_root, "public").items["ED-PRESS-RELAY"].derived_from == []


def test_edition_keeps_independence_of_shown_items(editions_root):
    """The relay of a withheld witness statement still counts once, with its origin, in `public`."""
    el = element_result(apply_edition(editions_root, "public"), "5", WESTMERE)
    assert el.supporting == ("ED-PRESS-RELAY",)
    assert (el.status, el.independent_sources) == ("partial", 1)  # one source: short of reasonable grounds


def _warned_subjects(case: Case) -> set[str]:
    return {s for w in case.warnings for s in w.subjects}


def test_edition_drops_warnings_about_withheld_items(editions_root):
    internal = {(w.code, w.subjects[0]) for w in editions_root.warnings if w.subjects}
    assert ("witness-no-consent", "ED-WIT-NOCONSENT") in internal
    assert ("no-chain-of-custody", "ED-RESTR-DOC") in internal
    for edition in ("un", "public"):
        view = apply_edition(editions_root, edition)
        withheld = ALL_ITEMS - SHOWN[edition]
        assert not _warned_subjects(view) & withheld, edition
        assert not any(w.code == "witness-no-consent" for w in view.warnings)
        # warnings about what the edition shows stay
        assert ("no-supports", "ED-NOTIF-PUB") in {(w.code, w.subjects[0]) for w in view.warnings if w.subjects}
    assert ("no-chain-of-custody", "ED-RESTR-DOC") in {
        (w.code, w.subjects[0]) for w in apply_edition(editions_root, "un").warnings if w.subjects}


def test_edition_withheld_items_not_counted(editions_root):
    un = apply_edition(editions_root, "un")
    assert element_result(un, "3", WESTMERE).status == "missing"
    el = element_result(un, "4", WESTMERE)
    assert el.supporting == ("ED-RESTR-DOC",)
    assert element_result(apply_edition(editions_root, "public"), "4", WESTMERE).status == "missing"
    assert element_result(editions_root, "4", WESTMERE).independent_sources == 2


def test_unknown_edition_refused(editions_root):
    with pytest.raises(ValueError):
        apply_edition(editions_root, "press")


def _witness(confidentiality, share_with):
    data = item("W-1", "S-1", type_="witness_statement", confidentiality=confidentiality,
                witness={"pseudonym": "W1", "name": "N", "contact": "C"})
    if share_with is not None:
        data["consent"] = {"share_with": share_with}
    return model_for("witness_statement").model_validate(data)


@pytest.mark.parametrize("confidentiality,expected", [
    ("public", {"internal", "un", "public"}),
    ("restricted", {"internal", "un"}),
    ("confidential", {"internal"}),
])
def test_may_show_by_confidentiality(confidentiality, expected):
    report = model_for("report").model_validate(item("R-1", "S-1", confidentiality=confidentiality))
    assert {e for e in ("internal", "un", "public") if may_show(report, e)} == expected


@pytest.mark.parametrize("confidentiality,share_with,expected", [
    ("public", None, {"internal"}),
    ("public", [], {"internal"}),
    ("public", ["legal_team"], {"internal"}),
    ("public", ["legal_team", "courts"], {"internal"}),
    ("public", ["legal_team", "un_bodies"], {"internal", "un"}),
    ("public", ["legal_team", "un_bodies", "public"], {"internal", "un", "public"}),
    ("public", ["public"], {"internal", "public"}),
    ("restricted", ["legal_team", "un_bodies", "public"], {"internal", "un"}),
    ("confidential", ["legal_team", "un_bodies", "public"], {"internal"}),
    ("confidential", None, {"internal"}),
])
def test_may_show_witness_statements(confidentiality, share_with, expected):
    w = _witness(confidentiality, share_with)
    assert {e for e in ("internal", "un", "public") if may_show(w, e)} == expected


# --- applicability -----------------------------------------------------------------------------------

def _applies(norm_id, classification="NIAC", territory=None, parties=None, attributed=("GOV",), extra_norms=()):
    case = make_case([source("S-1")], [], incidents=[incident(attributed=attributed)], classification=classification,
                     territory=territory, parties=parties, charges=(norm_id,), extra_norms=extra_norms)
    norm = case.norms[norm_id]
    return applicability(case, case.incidents[INC], norm)


def test_wrong_classification_not_applicable():
    ok, reason = _applies("rs-8-2-b-ix", "NIAC")
    assert ok is False
    assert "international armed conflict" in reason and "non-international" in reason
    ok, reason = _applies(NORM, "IAC")
    assert ok is False and "non-international armed conflict" in reason


def test_customary_norm_applies():
    ok, reason = _applies(NORM, "NIAC")
    assert ok is True and "customary" in reason
    ok, _ = _applies("rs-8-2-b-ix", "IAC")
    assert ok is True


GOV_APII = {"id": "GOV", "name": "Government of Westmark", "treaties": ["GC", "APII"]}
GOV_NO_APII = {"id": "GOV", "name": "Government of Westmark", "treaties": ["GC", "API"]}
FOREIGN = {"id": "FOR", "name": "Foreign air force", "treaties": ["GC"]}


def test_apii_without_the_threshold_is_not_applicable():
    # v2: AP II applies only where conflict.ap2_threshold is true (territory and party rows: test_applicable_law.py)
    for territory, parties in ((None, [GOV_APII]), ("GOV", [GOV_NO_APII]), ("GOV", [GOV_APII])):
        ok, reason = _applies("apii-11", territory=territory, parties=parties, extra_norms=[APII_NORM])
        assert ok is False and "conflict.ap2_threshold" in reason


def test_apii_not_applicable_in_iac():
    ok, reason = _applies("apii-11", "IAC", territory="GOV", parties=[GOV_APII], extra_norms=[APII_NORM])
    assert ok is False and "international armed conflict" in reason


def test_treaty_must_bind_the_attributed_party():
    parties = [GOV_APII, FOREIGN]
    ok, reason = _applies("ccm-1", parties=parties, attributed=("FOR",), extra_norms=[CCM_NORM])
    assert ok is False and "Foreign air force" in reason
    ok, reason = _applies("ccm-1", parties=[{**FOREIGN, "treaties": ["GC", "CCM"]}], attributed=("FOR",),
                          extra_norms=[CCM_NORM])
    assert ok is True and "Foreign air force" in reason
    # bound if any party the attack is attributed to is bound
    ok, _ = _applies("ccm-1", parties=[GOV_APII, {**FOREIGN, "treaties": ["CCM"]}], attributed=("GOV", "FOR"),
                     extra_norms=[CCM_NORM])
    assert ok is True


def test_root_applicability_reasons(status_root):
    inc = status_root.incidents["INC-2021-03-10-HILLVALE"]
    ok, reason = applicability(status_root, inc, status_root.norms["apii-11"])
    assert ok is False and "conflict.ap2_threshold" in reason  # v2: no threshold recorded
    ok, reason = applicability(status_root, inc, status_root.norms["rs-8-2-b-ix"])
    assert ok is False and "non-international" in reason
    assert status_root.norms["apii-11"].binding == "APII"  # the workspace's own norm was loaded


# --- patterns ----------------------------------------------------------------------------------------

HOSPITAL = {"name": "Central hospital", "kind": "hospital", "medical": True}


def pattern_case():
    incidents = [
        incident("INC-A", "2021-01-15", lat=40.0, lon=20.0, facility=HOSPITAL),
        incident("INC-B", "2021-03-02", lat=40.0, lon=20.0, facility={**HOSPITAL, "name": "central hospital "}),
        incident("INC-C", "2021-03-20", lat=40.0001, lon=20.0001, facility=HOSPITAL, attributed=("GOV", "REB")),
        incident("INC-D", "2021-03-25", lat=43.0, lon=23.0,
                 facility={"name": "Hill school", "kind": "school", "medical": False}),
        incident("INC-E", "2021-05-01", lat=44.0, lon=24.0, window=("2021-05-01", "2021-05-03")),
    ]
    items = [
        item("N-BEFORE", "S-UN", 1, incidents=("INC-B",), type_="coordinate_sharing",
             deconfliction={"facility": "Central hospital", "shared_on": "2021-02-20", "recipients": ["GOV"]}),
        item("N-AFTER", "S-UN", 1, incidents=("INC-D",), type_="coordinate_sharing",
             deconfliction={"facility": "Hill school", "shared_on": "2021-04-01", "recipients": ["GOV"]}),
    ]
    return make_case([UN], items, incidents=incidents)


def test_patterns_by_month_includes_empty_months():
    p = patterns(pattern_case())
    assert p.by_month == (("2021-01", 1), ("2021-02", 0), ("2021-03", 3), ("2021-04", 0), ("2021-05", 1))
    assert p.incidents == 5
    assert (p.first, p.last) == ("2021-01-15", "2021-05-03")


def test_patterns_repeat_strikes_with_intervals():
    p = patterns(pattern_case())
    assert len(p.repeats) == 1
    repeat = p.repeats[0]
    assert repeat.incidents == ("INC-A", "INC-B", "INC-C")
    assert repeat.dates == ("2021-01-15", "2021-03-02", "2021-03-20")
    assert repeat.intervals_days == ((date(2021, 3, 2) - date(2021, 1, 15)).days, 18)
    assert repeat.facility.strip().lower() == "central hospital"


def test_patterns_notified_facilities():
    p = patterns(pattern_case())
    assert [(n.incident, n.item, n.days_before) for n in p.notified] == [("INC-B", "N-BEFORE", 10)]
    assert p.notified[0].recipients == ("GOV",)
    assert p.notified[0].shared_on == "2021-02-20"


def test_patterns_counts():
    p = patterns(pattern_case())
    assert dict(p.by_party) == {"Government forces": 5, "Rebel group": 1}
    assert dict(p.by_facility_kind) == {"hospital": 3, "school": 1, "other": 1}
    assert p.medical_incidents == 3


def test_patterns_of_status_root(status_root):
    p = patterns(status_root)
    notified = {(n.incident, n.item) for n in p.notified}
    assert ("INC-2021-03-10-HILLVALE", "ST-NOTIF-BEFORE") in notified
    assert ("INC-2021-04-22-RIVERTON", "RV-NOTIF-1") in notified
    assert ("INC-2021-03-10-HILLVALE", "ST-NOTIF-AFTER") not in notified
    assert p.by_month == (("2021-03", 1), ("2021-04", 1))
    assert p.repeats == ()
