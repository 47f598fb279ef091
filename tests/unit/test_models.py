"""The models: what each field accepts, and the exact message and location of every refusal.

Each test copies tests/roots/minimal, changes one thing, and loads it in-process
(the same code `dossier validate` runs); the JSON Schemas and the norms library
are checked through the CLI.
"""

from __future__ import annotations

import json
import re

import pytest

ITEM_HEAD = """\
id: EV-NEW
type: {type}
title: A new item
incidents: [INC-2022-06-10-LOWMERE]
source: SRC-NGO
credibility: 2
date: 2022-06-11
summary: Something the item shows.
"""
"""Lines 1-8 of a new item file; the type's block (if any) follows from line 9."""

BLOCKS = {
    "witness_statement": "witness: {pseudonym: W-9, role: resident}\n",
    "radio_intercept": "intercept: {at: 2022-06-10T07:30:00Z, channel: air-ground net}\n",
    "satellite_imagery": "imagery: {captured_at: 2022-06-11T08:00:00Z, phase: after}\n",
    "coordinate_sharing": "deconfliction: {shared_on: 2022-03-01, recipients: [VAL]}\n",
    "plane_spotter_log": "sighting: {at: 2022-06-10T07:25:00Z, aircraft: Su-24}\n",
}
BLOCK_NAME = {type_: text.split(":")[0] for type_, text in BLOCKS.items()}


def add_item(ws, text: str, name: str = "new.yaml"):
    path = ws / "evidence" / "items" / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(diagnose, ws) -> list[str]:
    case, lines = diagnose(ws)
    assert case is None, "the workspace was accepted"
    return [line for line in lines if ": error: " in line]  # the warnings printed with them are not these tests'


@pytest.fixture
def ws(make_ws):
    return make_ws("minimal")


def test_minimal_root_loads_with_no_diagnostics(ws, diagnose):
    case, lines = diagnose(ws)
    assert lines == []
    assert sorted(case.items) == ["EV-C1", "EV-M1", "EV-R1", "EV-S1", "EV-W1"]
    assert case.items["EV-W1"].witness.name == "Orsolya Quillfeather"


# --- item types and their blocks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("item_type", sorted(BLOCKS))
def test_each_type_with_its_block_is_accepted(ws, diagnose, item_type):
    add_item(ws, ITEM_HEAD.format(type=item_type) + BLOCKS[item_type])
    case, lines = diagnose(ws)
    assert case is not None, lines
    assert case.items["EV-NEW"].type == item_type
    assert getattr(case.items["EV-NEW"], BLOCK_NAME[item_type]) is not None


@pytest.mark.parametrize("item_type", sorted(BLOCKS))
def test_each_type_requires_its_block(ws, diagnose, item_type):
    add_item(ws, ITEM_HEAD.format(type=item_type))
    assert errors_of(diagnose, ws) == [
        f"evidence/items/new.yaml:1:1: error: {BLOCK_NAME[item_type]}: required field is missing: add it"]


@pytest.mark.parametrize("item_type, foreign, owner", [
    ("report", "witness_statement", "witness_statement"),
    ("witness_statement", "satellite_imagery", "satellite_imagery"),
    ("satellite_imagery", "coordinate_sharing", "coordinate_sharing"),
    ("coordinate_sharing", "plane_spotter_log", "plane_spotter_log"),
    ("plane_spotter_log", "radio_intercept", "radio_intercept"),
    ("radio_intercept", "witness_statement", "witness_statement"),
])
def test_other_types_blocks_are_refused_naming_their_type(ws, diagnose, item_type, foreign, owner):
    text = ITEM_HEAD.format(type=item_type) + BLOCKS.get(item_type, "") + BLOCKS[foreign]
    line = 10 if item_type in BLOCKS else 9
    add_item(ws, text)
    assert errors_of(diagnose, ws) == [
        f"evidence/items/new.yaml:{line}:1: error: {BLOCK_NAME[foreign]}: the '{BLOCK_NAME[foreign]}' block belongs "
        f"to items of type {owner}, not {item_type}: remove it or change the type"]


@pytest.mark.parametrize("block", ["consent: {share_with: [public]}", "interview: {on: 2022-06-11}"])
def test_witness_only_blocks_are_refused_on_a_report(ws, diagnose, block):
    add_item(ws, ITEM_HEAD.format(type="report") + block + "\n")
    name = block.split(":")[0]
    assert errors_of(diagnose, ws) == [
        f"evidence/items/new.yaml:9:1: error: {name}: the '{name}' block belongs to items of type witness_statement, "
        "not report: remove it or change the type"]


def test_unknown_item_type_suggests_the_right_one(ws, diagnose):
    add_item(ws, ITEM_HEAD.format(type="satelite_imagery"))
    assert errors_of(diagnose, ws) == [
        "evidence/items/new.yaml:2:1: error: type: unknown item type 'satelite_imagery' (did you mean "
        "'satellite_imagery'?); use one of: witness_statement, radio_intercept, satellite_imagery, coordinate_sharing, "
        "plane_spotter_log, video, photo, document, report, official_statement, medical_record, munition_analysis, "
        "other"]


def test_missing_required_fields_are_each_reported(ws, diagnose):
    add_item(ws, "id: EV-NEW\ntype: report\ntitle: x\nincidents: [INC-2022-06-10-LOWMERE]\n")
    assert errors_of(diagnose, ws) == [
        # what the field holds, from the model's description, where there is one (one place: by message)
        "evidence/items/new.yaml:1:1: error: summary: required field is missing: add it",
        "evidence/items/new.yaml:1:1: error: credibility: required field is missing: add it (the grade of the "
        "information (Admiralty scale): 1 confirmed ... 5 improbable, 6 cannot be judged)",
        "evidence/items/new.yaml:1:1: error: source: required field is missing: add it (the id of the item's "
        "source, as listed in evidence/sources.yaml)",
        "evidence/items/new.yaml:1:1: error: date: required field is missing: add it (when the item was made)",
    ]


def test_items_in_a_list_file_are_located_in_the_list(ws, diagnose):
    entry = ITEM_HEAD.format(type="report").replace("\n", "\n  ").rstrip()
    text = "- " + entry + "\n- " + entry.replace("EV-NEW", "EV-NEW2").replace("credibility: 2", "credibility: 9")
    add_item(ws, text + "\n")
    assert errors_of(diagnose, ws) == [
        "evidence/items/new.yaml:14:3: error: credibility: must be an integer from 1 to 6 (got 9)"]


# --- unknown keys ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel, old, new, expected", [
    ("evidence/items/report.yaml", "url:", "credibilty: 3\nurl:",
     "evidence/items/report.yaml:10:1: error: credibilty: unknown field (did you mean 'credibility'?)"),
    ("evidence/items/imagery.yaml", "  phase: after\n", "  phase: after\n  phse: after\n",
     "evidence/items/imagery.yaml:18:3: error: imagery.phse: unknown field (did you mean 'phase'?)"),
    ("evidence/items/witness.yaml", "  role: medical_staff\n", "  role: medical_staff\n  nam: X\n",
     "evidence/items/witness.yaml:15:3: error: witness.nam: unknown field (did you mean 'name'?)"),
    ("evidence/items/report.yaml", "  - element: cihl-28/1", "  - element: cihl-28/1\n    stanse: supports",
     "evidence/items/report.yaml:16:5: error: supports[1].stanse: unknown field (did you mean 'stance'?)"),
    ("evidence/sources.yaml", "  reliability: A\n", "  reliability: A\n  derived_form: []\n",
     "evidence/sources.yaml:22:3: error: derived_form: unknown field (did you mean 'derived_from'?)"),
    ("evidence/incidents/one.yaml", "injured: 7,", "injured: 7, kiled: 1,",
     "evidence/incidents/one.yaml:20:37: error: casualties.kiled: unknown field (did you mean 'killed'?)"),
    ("evidence/case.yaml", "standard_of_proof:", "standard_of_prof: x\nstandard_of_proof:",
     "evidence/case.yaml:17:1: error: standard_of_prof: unknown field (did you mean 'standard_of_proof'?)"),
])
def test_unknown_key_suggests_the_close_one(ws, edit, diagnose, rel, old, new, expected):
    edit(ws, rel, old, new)
    assert errors_of(diagnose, ws) == [expected]


def test_unknown_key_with_nothing_close_points_to_the_schema(ws, edit, diagnose):
    edit(ws, "evidence/items/report.yaml", "url:", "zzz: 1\nurl:")
    assert errors_of(diagnose, ws) == [
        "evidence/items/report.yaml:10:1: error: zzz: unknown field; remove it (see `dossier schema` for the fields "
        "allowed here)"]


# --- values: grades, dates, instants, coordinates, digests ----------------------------------------------------------


@pytest.mark.parametrize("value, shown", [("7", "7"), ("0", "0"), ("-1", "-1"), ("'3'", "'3'"), ("2.5", "2.5"),
                                          ("true", "True")])
def test_credibility_out_of_range(ws, edit, diagnose, value, shown):
    edit(ws, "evidence/items/report.yaml", "credibility: 2", f"credibility: {value}")
    assert errors_of(diagnose, ws) == [
        f"evidence/items/report.yaml:6:1: error: credibility: must be an integer from 1 to 6 (got {shown})"]


@pytest.mark.parametrize("value", ["1", "6"])
def test_credibility_bounds_are_accepted(ws, edit, diagnose, value):
    edit(ws, "evidence/items/report.yaml", "credibility: 2", f"credibility: {value}")
    case, lines = diagnose(ws)
    assert case is not None and case.items["EV-R1"].credibility == int(value), lines


@pytest.mark.parametrize("value, expected", [
    ("G", "reliability: must be one of A, B, C, D, E, F (got 'G')"),
    ("b", "reliability: must be one of A, B, C, D, E, F (got 'b') (did you mean 'B'?)"),
    ("1", "reliability: must be one of A, B, C, D, E, F (got 1)"),
])
def test_reliability_is_an_admiralty_letter(ws, edit, diagnose, value, expected):
    edit(ws, "evidence/sources.yaml", "  reliability: A\n", f"  reliability: {value}\n")
    assert errors_of(diagnose, ws) == [f"evidence/sources.yaml:21:3: error: {expected}"]


@pytest.mark.parametrize("value", ["2019-02-30", "2022-13-01", "12/06/2022", "2022-6-11"])
def test_impossible_or_badly_written_date(ws, edit, diagnose, value):
    edit(ws, "evidence/items/report.yaml", "date: 2022-06-11", f"date: {value}")
    assert errors_of(diagnose, ws) == [
        f"evidence/items/report.yaml:7:1: error: date: must be a real date written YYYY-MM-DD (got '{value}')"]


def test_impossible_date_in_a_nested_field(ws, edit, diagnose):
    edit(ws, "evidence/items/notification.yaml", "shared_on: 2022-03-01", "shared_on: 2022-02-29")
    assert errors_of(diagnose, ws) == [
        "evidence/items/notification.yaml:13:3: error: deconfliction.shared_on: must be a real date written "
        "YYYY-MM-DD (got '2022-02-29')"]


def test_leap_day_is_a_real_date(ws, edit, diagnose):
    edit(ws, "evidence/items/notification.yaml", "shared_on: 2022-03-01", "shared_on: 2020-02-29")
    case, lines = diagnose(ws)
    assert case is not None, lines


def test_instant_without_offset(ws, edit, diagnose):
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-11T08:10:00")
    assert errors_of(diagnose, ws) == [
        "evidence/items/imagery.yaml:16:3: error: imagery.captured_at: needs a time-zone offset, e.g. "
        "2019-05-05T14:02:00Z or +03:00 (got '2022-06-11T08:10:00')"]


@pytest.mark.parametrize("value", ["2022-06-11T25:10:00Z", "2022-06-31T08:10:00Z"])
def test_impossible_instant(ws, edit, diagnose, value):
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", f"captured_at: {value}")
    assert errors_of(diagnose, ws) == [
        "evidence/items/imagery.yaml:16:3: error: imagery.captured_at: must be a real date and time, e.g. "
        f"2019-05-05T14:02:00Z (got '{value}')"]


def test_instant_with_an_offset_other_than_z_is_accepted(ws, edit, diagnose):
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-11T11:10:00+03:00")
    case, lines = diagnose(ws)
    assert case is not None, lines
    assert case.items["EV-S1"].imagery.captured_at.utcoffset().total_seconds() == 3 * 3600


@pytest.mark.parametrize("rel, old, new, expected", [
    ("evidence/incidents/one.yaml", "lat: 48.2", "lat: 91",
     "evidence/incidents/one.yaml:8:3: error: location.lat: must be a latitude in decimal degrees from -90 to 90 "
     "(got 91)"),
    ("evidence/incidents/one.yaml", "lon: 16.4", "lon: -180.5",
     "evidence/incidents/one.yaml:9:3: error: location.lon: must be a longitude in decimal degrees from -180 to 180 "
     "(got -180.5)"),
    ("evidence/items/imagery.yaml", "location: {lat: 48.2, lon: 16.4}", "location: {lat: 48.2, lon: 200}",
     "evidence/items/imagery.yaml:18:25: error: imagery.location.lon: must be a longitude in decimal degrees from "
     "-180 to 180 (got 200)"),
    ("evidence/items/notification.yaml", "location: {lat: 48.2, lon: 16.4}", "location: {lat: -90.01, lon: 16.4}",
     "evidence/items/notification.yaml:12:14: error: deconfliction.location.lat: must be a latitude in decimal "
     "degrees from -90 to 90 (got -90.01)"),
    ("evidence/incidents/one.yaml", "lat: 48.2", "lat: '48.2'",
     "evidence/incidents/one.yaml:8:3: error: location.lat: must be a latitude in decimal degrees from -90 to 90 "
     "(got '48.2')"),
])
def test_coordinates_out_of_range(ws, edit, diagnose, rel, old, new, expected):
    edit(ws, rel, old, new)
    assert errors_of(diagnose, ws) == [expected]


def test_coordinate_bounds_are_accepted(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "lat: 48.2", "lat: -90")
    edit(ws, "evidence/incidents/one.yaml", "lon: 16.4", "lon: 180")
    case, _ = diagnose(ws)  # far from the items' coordinates, so warnings, but no error
    assert case is not None
    assert (case.incidents["INC-2022-06-10-LOWMERE"].location.lat,
            case.incidents["INC-2022-06-10-LOWMERE"].location.lon) == (-90.0, 180.0)


@pytest.mark.parametrize("value, shown", [
    ("abc123", "'abc123'"),
    ("g" * 64, "'" + "g" * 59 + "…'"),
    ("019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa9679980",  # 63 characters
     "'019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa967…'"),
])
def test_sha256_must_be_64_hex_characters(ws, edit, diagnose, value, shown):
    edit(ws, "evidence/items/imagery.yaml", "sha256: 019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa96799809",
         f"sha256: {value}")
    assert errors_of(diagnose, ws) == [
        f"evidence/items/imagery.yaml:12:3: error: file.sha256: must be a sha256 digest: 64 hexadecimal characters "
        f"(got {shown})"]


def test_sha256_in_capitals_is_accepted(ws, edit, diagnose):
    digest = "019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa96799809"
    edit(ws, "evidence/items/imagery.yaml", f"sha256: {digest}", f"sha256: {digest.upper()}")
    case, lines = diagnose(ws)
    assert lines == [] and case.items["EV-S1"].file.sha256 == digest


# --- ids ------------------------------------------------------------------------------------------------------------

ID_RULE = "must be an id: ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"


# EV-C1 is referenced by no other item, so a bad id there gives one error, not also dangling references
@pytest.mark.parametrize("written, shown, hint", [
    ("EV C1", "'EV C1'", ""),
    ('"EV-C1\\t"', "'EV-C1\\u0009'", "; remove the control character U+0009 (tab)"),
    ('"EV-C1\\x01"', "'EV-C1\\u0001'", "; remove the control character U+0001"),
    ('"EV-\\u202eC1"', "'EV-\\u202eC1'", "; remove the direction control U+202E (right-to-left override)"),
    ('"EV-\\u2066C1"', "'EV-\\u2066C1'", "; remove the direction control U+2066 (left-to-right isolate)"),
    ('"EV-C1\\u200b"', "'EV-C1\\u200b'", "; remove the invisible character U+200B (zero width space)"),
    ('"EV-C1\\u2028"', "'EV-C1\\u2028'", "; remove the line break U+2028 (line separator)"),
    ('"EV-\\x85C1"', "'EV-\\u0085C1'", "; remove the control character U+0085 (next line)"),
    ("-EV-C1", "'-EV-C1'", ""),
    ("ÉV-C1", "'ÉV-C1'", ""),
])
def test_bad_item_ids_are_refused_and_shown_escaped(ws, edit, diagnose, written, shown, hint):
    edit(ws, "evidence/items/notification.yaml", "id: EV-C1", f"id: {written}")
    lines = errors_of(diagnose, ws)
    assert lines == [f"evidence/items/notification.yaml:1:1: error: id: {ID_RULE} (got {shown}){hint}"]
    assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069]", lines[0])


def test_bidi_override_in_a_source_id_is_refused(ws, edit, diagnose):
    edit(ws, "evidence/sources.yaml", "id: SRC-IMG", 'id: "SRC-\u202eGMI"')
    assert errors_of(diagnose, ws) == [
        # only the cause: which source the item meant cannot be judged while a source id is invalid
        f"evidence/sources.yaml:14:3: error: id: {ID_RULE} (got 'SRC-\\u202eGMI'); remove the direction control "
        "U+202E (right-to-left override)",
    ]


def test_incident_id_with_a_space_is_refused(ws, diagnose):
    incidents = ws / "evidence" / "incidents"
    text = (incidents / "one.yaml").read_text().replace("id: INC-2022-06-10-LOWMERE", "id: INC 2022")
    (incidents / "two.yaml").write_text(text)
    assert errors_of(diagnose, ws) == [f"evidence/incidents/two.yaml:1:1: error: id: {ID_RULE} (got 'INC 2022')"]


def test_overlong_id_is_refused(ws, edit, diagnose):
    edit(ws, "evidence/items/notification.yaml", "id: EV-C1", "id: " + "E" * 121)
    assert errors_of(diagnose, ws) == [
        "evidence/items/notification.yaml:1:1: error: id: is too long for an id (121 characters; at most 120)"]


# --- incidents: date or window ---------------------------------------------------------------------------------------


def test_date_and_window_both_are_refused(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10\n",
         "date: 2022-06-10\nwindow: {from: 2022-06-09, to: 2022-06-10}\n")
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1 and lines[0].startswith("evidence/incidents/one.yaml:"), lines
    assert "give either 'date' or 'window: {from: ..., to: ...}' (not both)" in lines[0]


def test_neither_date_nor_window_is_refused(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10\n", "")
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1 and lines[0].startswith("evidence/incidents/one.yaml:1:1: error: "), lines
    assert "give either 'date' or 'window: {from: ..., to: ...}'" in lines[0]
    assert "not both" not in lines[0]


def test_date_and_window_both_located_at_the_keys(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10\n",
         "date: 2022-06-10\nwindow: {from: 2022-06-09, to: 2022-06-10}\n")
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1
    assert re.match(r"evidence/incidents/one\.yaml:[34]:1: error: (date|window): ", lines[0]), lines[0]


def test_neither_date_nor_window_names_the_field(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10\n", "")
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1
    assert re.match(r"evidence/incidents/one\.yaml:1:1: error: (date|window): ", lines[0]), lines[0]


def test_window_ending_before_it_starts(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10", "window: {from: 2022-06-10, to: 2022-06-09}")
    assert errors_of(diagnose, ws) == [
        "evidence/incidents/one.yaml:3:28: error: window.to: ends before it starts ('to' is earlier than 'from')"]


def test_window_of_one_day_is_accepted(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", 'date: 2022-06-10\ntime: "09:40"', "window: {from: 2022-06-10, to: 2022-06-10}")
    case, lines = diagnose(ws)
    assert case is not None, lines
    assert case.incidents["INC-2022-06-10-LOWMERE"].when() == "2022-06-10 to 2022-06-10"


def test_window_missing_its_end(ws, edit, diagnose):
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10", "window: {from: 2022-06-10}")
    assert errors_of(diagnose, ws) == [
        "evidence/incidents/one.yaml:3:9: error: window.to: required field is missing: add it"]


@pytest.mark.parametrize("value, expected", [
    ('"25:00"', "time: must be a local time written \"HH:MM\" (got '25:00')"),
    ("9:40", "time: must be a local time written \"HH:MM\" (got '9:40')"),
])
def test_incident_time(ws, edit, diagnose, value, expected):
    edit(ws, "evidence/incidents/one.yaml", 'time: "09:40"', f"time: {value}")
    assert errors_of(diagnose, ws) == [f"evidence/incidents/one.yaml:4:1: error: {expected}"]


# --- norms ------------------------------------------------------------------------------------------------------------

NORM = """\
id: test-norm
title: A test rule
instrument: Test instrument
provision: art. 1
kind: rule
applies_to: [NIAC]
binding: customary
elements:
  - id: "1"
    text: First.
    kind: conduct
  - id: "2"
    text: Second.
    kind: conduct
  - id: "{third}"
    text: Third.
    kind: mental
"""


def add_norm(ws, text: str):
    folder = ws / "legal_norms"
    folder.mkdir(exist_ok=True)
    (folder / "test-norm.yaml").write_text(text, encoding="utf-8")


def test_workspace_norm_is_loaded(ws, diagnose):
    add_norm(ws, NORM.format(third="3"))
    case, lines = diagnose(ws)
    assert lines == []
    assert [e.id for e in case.norms["test-norm"].elements] == ["1", "2", "3"]


def test_norm_with_duplicate_element_ids_is_refused(ws, diagnose):
    add_norm(ws, NORM.format(third="1"))
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1 and lines[0].startswith("legal_norms/test-norm.yaml:"), lines
    assert lines[0].endswith("element id '1' appears twice in this norm; ids must be unique"), lines[0]


def test_duplicate_element_id_is_located_at_the_second_id(ws, diagnose):
    add_norm(ws, NORM.format(third="1"))
    lines = errors_of(diagnose, ws)
    assert len(lines) == 1
    assert re.match(r"legal_norms/test-norm\.yaml:15:\d+: error: elements\[2\]\.id: ", lines[0]), lines[0]


def test_norm_values_are_checked(ws, diagnose):
    text = NORM.format(third="3").replace("kind: rule", "kind: law").replace("applies_to: [NIAC]",
                                                                             "applies_to: [NIAC, CIVIL]")
    text = text.replace("    kind: mental\n", "    kind: mental\n    means_of_proof: [satelite_imagery]\n")
    add_norm(ws, text)
    assert errors_of(diagnose, ws) == [
        "legal_norms/test-norm.yaml:5:1: error: kind: must be one of crime, rule, human_rights (got 'law')",
        "legal_norms/test-norm.yaml:6:20: error: applies_to[1]: must be one of NIAC, IAC, any (got 'CIVIL')",
        "legal_norms/test-norm.yaml:18:22: error: elements[2].means_of_proof[0]: must be one of witness_statement, "
        "radio_intercept, satellite_imagery, coordinate_sharing, plane_spotter_log, video, photo, document, report, "
        "official_statement, medical_record, munition_analysis, other (got 'satelite_imagery') (did you mean "
        "'satellite_imagery'?)",
    ]


# --- `dossier norms` ----------------------------------------------------------------------------------------------------


def test_norms_lists_the_library(run_cli):
    code, out, err = run_cli(["norms"])
    assert code == 0, err
    ids = [line.split()[0] for line in out.splitlines() if line.strip()]
    for norm_id in ("rs-8-2-e-iv", "rs-8-2-b-ix", "cihl-28", "ca3"):
        assert norm_id in ids
    assert re.search(r"^rs-8-2-e-iv +NIAC +customary +War crime of attacking protected objects "
                     r"\(non-international armed conflict\)$", out, re.M), out


def test_norms_shows_one_norm_with_its_elements(run_cli):
    code, out, err = run_cli(["norms", "rs-8-2-e-iv"])
    assert code == 0, err
    assert out.startswith("rs-8-2-e-iv: War crime of attacking protected objects (non-international armed conflict)\n")
    shown = re.findall(r"^    rs-8-2-e-iv/(\S+) \[(\w+)\]", out, re.M)
    assert shown == [("1", "conduct"), ("2", "circumstance"), ("3", "mental"), ("4", "contextual"), ("5", "mental")]


def test_norms_includes_a_workspace_norm(make_ws, run_cli):
    ws = make_ws("minimal")
    add_norm(ws, NORM.format(third="3"))
    code, out, err = run_cli(["norms", "test-norm", "--workspace", ws])
    assert code == 0, err
    assert re.findall(r"^    (test-norm/\d)", out, re.M) == ["test-norm/1", "test-norm/2", "test-norm/3"]


@pytest.mark.parametrize("asked, expected", [
    ("rs-8-2-e-v", "dossier: no norm 'rs-8-2-e-v' (valid ids near it: 'rs-8-2-e-iv', 'rs-8-2-e-i', 'rs-8-2-a-iv', "
     "'rs-8-2-b-iv', 'rs-8-2-e-ii'); `dossier norms` lists them"),
    ("cihl28", "dossier: no norm 'cihl28' (did you mean 'cihl-28'?); `dossier norms` lists them"),
    ("zzz", "dossier: no norm 'zzz'; `dossier norms` lists them"),
])
def test_unknown_norm_is_bad_usage(run_cli, asked, expected):
    code, out, err = run_cli(["norms", asked])
    assert code == 2
    assert err.strip() == expected
    assert "Traceback" not in out + err


# --- `dossier schema` ----------------------------------------------------------------------------------------------------

KINDS = ("case", "source", "incident", "item", "norm", "submission")


def _yaml_12_loader():
    """PyYAML's safe loader with YAML 1.2 booleans (only true/false), as editors' language servers read files.

    Plain ``yaml.safe_load`` follows YAML 1.1, where the custody key ``on:`` is the boolean true.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    bool_tag = "tag:yaml.org,2002:bool"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != bool_tag]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return Loader


def _as_json(path, loader):
    import yaml

    return json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=loader), default=str))


def test_schema_writes_a_json_schema_per_kind(tmp_path, run_cli, make_ws):
    out_dir = tmp_path / "schemas"
    code, out, err = run_cli(["schema", "--output", out_dir])
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    schemas = {k: json.loads((out_dir / f"{k}.schema.json").read_text(encoding="utf-8")) for k in KINDS}
    for kind, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", kind
    assert set(schemas["case"]["required"]) >= {"id", "title", "conflict", "parties", "standard_of_proof", "charges"}
    assert schemas["source"]["type"] == "array"
    assert schemas["case"]["additionalProperties"] is False

    try:
        import jsonschema
    except ImportError:
        return  # the validation below needs the jsonschema package
    evidence = make_ws("minimal") / "evidence"
    loader = _yaml_12_loader()
    pairs = [("case", evidence / "case.yaml"), ("source", evidence / "sources.yaml"),
             ("incident", evidence / "incidents" / "one.yaml")]
    pairs += [("item", p) for p in sorted((evidence / "items").glob("*.yaml"))]
    for kind, path in pairs:
        validator = jsonschema.Draft202012Validator(schemas[kind])
        problems = [e.message for e in validator.iter_errors(_as_json(path, loader))]
        assert problems == [], f"{path.name}: {problems}"
    # and the schemas do refuse what the program refuses
    bad = _as_json(evidence / "items" / "report.yaml", loader)
    bad["credibility"] = 7
    assert list(jsonschema.Draft202012Validator(schemas["item"]).iter_errors(bad))


def test_victims_are_persons_or_groups_and_consent_is_withdrawn_after_it_was_given():
    import pytest
    from pydantic import ValidationError

    from dossier.models.incident import Victim
    from dossier.models.item import Consent

    assert Victim.model_validate({"group": "patients of the ward"}).group == "patients of the ward"
    person = Victim.model_validate({"id": "V-1", "pseudonym": "Patient A", "category": "patient", "harm": "killed",
                                    "consent": {"share_with": ["special_procedures", "iiim"], "named": True}})
    assert person.consent.named and not person.withdrawn
    with pytest.raises(ValidationError, match="a group has no identity: remove `pseudonym`, or describe one person "
                                              "without `group`"):
        Victim.model_validate({"group": "patients", "pseudonym": "P"})
    with pytest.raises(ValidationError, match=r"a victim is a person \(give `id` and `pseudonym`\) or a group"):
        Victim.model_validate({"category": "child"})
    with pytest.raises(ValidationError, match=r"consent is withdrawn before it was given \(withdrawn_on is earlier "
                                              r"than given_on\): check both dates"):
        Consent.model_validate({"share_with": ["iiim"], "given_on": "2021-01-02", "withdrawn_on": "2021-01-01"})


def test_item_schema_checks_the_type_first_against_every_type():
    """An editor's message for a wrong ``type`` lists the thirteen types and asks for no field of another type
    (the ``oneOf`` of the six models made it say "missing property 'witness'", and list one model's types)."""
    from dossier.models.common import ITEM_TYPES
    from dossier.schemas import schema_of

    schema = schema_of("item")
    assert "oneOf" not in json.dumps(schema) and "anyOf" not in schema
    any_item = schema["$defs"]["AnyItem"]
    assert any_item["required"] == ["type"]
    assert any_item["properties"]["type"]["enum"] == list(ITEM_TYPES) and len(ITEM_TYPES) == 13
    tested = [t for branch in any_item["allOf"] for t in
              ([branch["if"]["properties"]["type"]["const"]] if "const" in branch["if"]["properties"]["type"]
               else branch["if"]["properties"]["type"]["enum"])]
    assert sorted(tested) == sorted(ITEM_TYPES)  # each type's fields apply only to that type
    assert schema["then"] == {"$ref": "#/$defs/AnyItem"} and schema["else"]["items"] == {"$ref": "#/$defs/AnyItem"}
    try:
        import jsonschema
    except ImportError:
        return
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"id": "EV-1", "type": "statement"}))
    assert [e.message for e in errors] == [f"'statement' is not one of {list(ITEM_TYPES)}"]
