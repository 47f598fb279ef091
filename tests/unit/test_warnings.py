"""Warnings (cli.md's list and more), each on a copy of tests/roots/minimal.

A warning keeps the exit code at 0; `validate --strict` turns it into an error
(exit 1). Each test asserts the exact line printed, and that it is the only one.
Most load the workspace in-process (the code `validate` runs, the lines it
prints); the exit codes, the summary line and --strict go through the CLI.
"""

from __future__ import annotations

import hashlib

import pytest

LOWMERE = "INC-2022-06-10-LOWMERE"


@pytest.fixture
def ws(make_ws):
    return make_ws("minimal")


@pytest.fixture
def warnings_of(diagnose):
    """Load in-process, as `validate` does; assert there is no error; return the warning lines printed."""

    def _run(ws) -> list[str]:
        case, lines = diagnose(ws)
        assert case is not None, f"the workspace has errors: {lines}"
        assert all(": warning: " in line for line in lines), lines
        return lines

    return _run


@pytest.fixture
def cli_warnings(run_cli, problems):
    """Run `dossier validate` through the CLI; assert exit 0 and the summary; return the warning lines printed."""

    def _run(ws) -> list[str]:
        code, out, err = run_cli(["validate", "--workspace", ws])
        assert "Traceback" not in out + err, err
        assert code == 0, f"exit code {code}\n{err}"
        if not err:
            assert "  0 warnings\n" in out
            return []
        lines = problems(err)
        assert all(": warning: " in line for line in lines), lines
        n = len(lines)
        assert err.splitlines()[-1] == f"0 errors, {n} warning{'s' if n != 1 else ''}"
        assert f"  {n} warning{'s' if n != 1 else ''}\n" in out
        return lines

    return _run


def test_minimal_root_has_no_warnings(ws, cli_warnings):
    assert cli_warnings(ws) == []


# --- cli.md's list ----------------------------------------------------------------------------------------------------


def test_item_with_no_supports(ws, edit, warnings_of):
    edit(ws, "evidence/items/report.yaml", "supports:\n  - element: rs-8-2-e-iv/2\n  - element: cihl-28/1\n", "")
    assert warnings_of(ws) == [
        "evidence/items/report.yaml:1:1: warning: EV-R1: supports: the item supports no legal element: map it with "
        "`supports:` or note why it is kept [no-supports]"]


def test_file_without_sha256(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml",
         "  sha256: 019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa96799809\n", "")
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:10:1: warning: EV-S1: file.sha256: the exhibit has no sha256: run `dossier hash` to "
        "record it [no-hash]"]


def test_item_with_no_chain_of_custody(ws, edit, warnings_of):
    edit(ws, "evidence/items/media.yaml",
         "chain_of_custody:\n  - {on: 2022-06-12, by: Legal team intake, action: archived}\n", "")
    assert warnings_of(ws) == [
        "evidence/items/media.yaml:1:1: warning: EV-M1: chain_of_custody: no chain of custody: record who collected the "
        "item, when, and every hand it passed through [no-chain-of-custody]"]


def test_hash_mismatch(ws, cli_warnings):
    (ws / "evidence" / "files" / "ev-s1-after.txt").write_bytes(b"tampered\n")
    actual = hashlib.sha256(b"tampered\n").hexdigest()
    assert cli_warnings(ws) == [
        f"evidence/items/imagery.yaml:12:3: warning: EV-S1: file.sha256: the file's sha256 is {actual[:12]}…, not the "
        "019e84c61dc0… recorded: the exhibit changed since it was hashed [hash-mismatch]"]


def test_missing_exhibit_file(ws, warnings_of):
    (ws / "evidence" / "files" / "ev-s1-after.txt").unlink()
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:11:3: warning: EV-S1: file.path: exhibit file evidence/files/ev-s1-after.txt is not in "
        "the workspace [file-missing]"]


def test_after_image_captured_before_the_incident(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-09T08:10:00Z")
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:16:3: warning: EV-S1: imagery.captured_at: an 'after' image captured 2022-06-09, before "
        "the incident (2022-06-10 09:40) [after-image-before-incident]"]


def test_after_image_captured_on_the_day_is_not_warned(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-10T12:00:00Z")
    assert warnings_of(ws) == []


def test_before_image_captured_after_the_incident(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml", "phase: after", "phase: before")
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:16:3: warning: EV-S1: imagery.captured_at: a 'before' image captured 2022-06-11, after "
        "the incident (2022-06-10 09:40) [before-image-after-incident]"]


def _strike_at_1530_local(ws, edit):
    edit(ws, "evidence/incidents/one.yaml", 'time: "09:40"', 'time: "15:30"\nutc_offset: "+02:00"')


def test_after_image_captured_hours_before_the_strike(ws, edit, warnings_of):
    # 11:10 UTC is before 15:30 at +02:00 (13:30 UTC): the same day, but not after the strike
    _strike_at_1530_local(ws, edit)
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-10T11:10:00Z")
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:16:3: warning: EV-S1: imagery.captured_at: an 'after' image captured 2022-06-10 11:10 "
        "UTC, before the incident (2022-06-10 15:30 +02:00, that is 2022-06-10 13:30 UTC) [after-image-before-incident]"]


def test_after_image_captured_after_the_strike_in_utc(ws, edit, warnings_of):
    _strike_at_1530_local(ws, edit)
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-10T13:45:00Z")
    assert warnings_of(ws) == []


def test_before_image_captured_after_the_strike_on_the_day(ws, edit, warnings_of):
    _strike_at_1530_local(ws, edit)
    edit(ws, "evidence/items/imagery.yaml", "phase: after", "phase: before")
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", "captured_at: 2022-06-10T16:00:00+02:00")
    assert warnings_of(ws) == [
        "evidence/items/imagery.yaml:16:3: warning: EV-S1: imagery.captured_at: a 'before' image captured 2022-06-10 14:00 "
        "UTC, after the incident (2022-06-10 15:30 +02:00, that is 2022-06-10 13:30 UTC) [before-image-after-incident]"]


# 1 km of latitude is 1 / 111.195 degrees on the mean Earth radius
def test_imagery_more_than_1_km_away(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml", "location: {lat: 48.2, lon: 16.4}", "location: {lat: 48.2108, lon: 16.4}")
    assert warnings_of(ws) == [
        f"evidence/items/imagery.yaml:18:3: warning: EV-S1: imagery.location: the imagery coordinates are 1.2 km from the "
        f"incident's ({LOWMERE}); more than 1 km apart [coordinates-far]"]


def test_deconfliction_more_than_1_km_away(ws, edit, warnings_of):
    # 0.02 degrees of longitude at 48.2 N is 1.48 km
    edit(ws, "evidence/items/notification.yaml", "location: {lat: 48.2, lon: 16.4}", "location: {lat: 48.2, lon: 16.42}")
    assert warnings_of(ws) == [
        f"evidence/items/notification.yaml:12:3: warning: EV-C1: deconfliction.location: the notified coordinates are 1.5 km "
        f"from the incident's ({LOWMERE}); more than 1 km apart [coordinates-far]"]


def test_coordinates_half_a_km_away_are_not_warned(ws, edit, warnings_of):
    edit(ws, "evidence/items/imagery.yaml", "location: {lat: 48.2, lon: 16.4}", "location: {lat: 48.2045, lon: 16.4}")
    edit(ws, "evidence/items/notification.yaml", "location: {lat: 48.2, lon: 16.4}",
         "location: {lat: 48.2, lon: 16.4067}")
    assert warnings_of(ws) == []


def test_witness_statement_without_consent(ws, edit, warnings_of):
    edit(ws, "evidence/items/witness.yaml", "consent:\n  share_with: [legal_team, un_bodies]\n  given_on: 2022-06-15\n",
         "")
    assert warnings_of(ws) == [
        "evidence/items/witness.yaml:10:1: warning: EV-W1: consent: witness statement without consent: it is shown in the "
        "internal edition only; record `consent.share_with` [witness-no-consent]"]


def test_element_of_a_norm_the_incident_is_not_charged_with(ws, edit, warnings_of):
    edit(ws, "evidence/items/report.yaml", "element: cihl-28/1", "element: cihl-7/1")
    assert warnings_of(ws) == [
        f"evidence/items/report.yaml:15:5: warning: EV-R1: supports[1].element: {LOWMERE} is not charged with cihl-7: this "
        "support is not analysed (add the norm to the incident's or the case's charges) [element-not-charged]"]


def test_incident_charges_replace_the_cases(ws, edit, warnings_of):
    edit(ws, "evidence/incidents/one.yaml", "summary:", "charges: [rs-8-2-e-iv]\nsummary:")
    assert warnings_of(ws) == [
        f"evidence/items/{name}:{line}:5: warning: {item}: supports[1].element: {LOWMERE} is not charged with cihl-28: "
        "this support is not analysed (add the norm to the incident's or the case's charges) [element-not-charged]"
        for name, line, item in (("imagery.yaml", 26, "EV-S1"), ("notification.yaml", 22, "EV-C1"),
                                 ("report.yaml", 15, "EV-R1"), ("witness.yaml", 24, "EV-W1"))]


# --- more consistency checks ----------------------------------------------------------------------------------------


def test_fewer_killed_than_medical_staff_killed(ws, edit, warnings_of):
    edit(ws, "evidence/incidents/one.yaml", "{killed: 3, injured: 7, medical_staff_killed: 1,",
         "{killed: 2, injured: 7, medical_staff_killed: 3,")
    assert warnings_of(ws) == [
        "evidence/incidents/one.yaml:20:14: warning: casualties.killed: 2 killed but 3 medical staff killed [casualties-inconsistent]"]


def test_casualty_counts_that_add_up_are_not_warned(ws, edit, warnings_of):
    edit(ws, "evidence/incidents/one.yaml", "medical_staff_killed: 1, children_killed: 1",
         "medical_staff_killed: 3, children_killed: 3")
    assert warnings_of(ws) == []


def test_intercept_outside_the_incident_date(ws, warnings_of):
    (ws / "evidence" / "items" / "intercept.yaml").write_text(f"""\
id: EV-I1
type: radio_intercept
title: Intercepted pilot radio traffic
incidents: [{LOWMERE}]
source: SRC-NGO
credibility: 3
date: 2022-06-13
summary: A pilot reports the target in sight.
intercept:
  at: 2022-06-13T09:00:00Z
  channel: air-ground net
chain_of_custody:
  - {{on: 2022-06-13, by: Monitoring network, action: intercepted}}
supports:
  - element: rs-8-2-e-iv/1
""")
    assert warnings_of(ws) == [
        "evidence/items/intercept.yaml:10:3: warning: EV-I1: intercept.at: the intercept at 2022-06-13T09:00:00+00:00 falls "
        "outside the incident's date (2022-06-10 09:40) [time-outside-incident]"]


def test_sighting_within_a_day_of_the_incident_is_not_warned(ws, warnings_of):
    (ws / "evidence" / "items" / "sighting.yaml").write_text(f"""\
id: EV-P1
type: plane_spotter_log
title: Observer network log
incidents: [{LOWMERE}]
source: SRC-NGO
credibility: 3
date: 2022-06-10
summary: Two jets seen heading south.
sighting: {{at: 2022-06-10T06:25:00Z, observer: Post 4, aircraft: Su-24}}
chain_of_custody:
  - {{on: 2022-06-10, by: Post 4, action: recorded}}
supports:
  - element: rs-8-2-e-iv/1
""")
    assert warnings_of(ws) == []


def test_custody_entry_before_the_item_date(ws, edit, warnings_of):
    edit(ws, "evidence/items/report.yaml", "{on: 2022-06-11, by: Legal team intake", "{on: 2022-06-09, by: Legal team intake")
    assert warnings_of(ws) == [
        "evidence/items/report.yaml:12:6: warning: EV-R1: chain_of_custody[0].on: custody entry dated 2022-06-09, before the "
        "item itself (2022-06-11) [custody-before-item]"]


def test_custody_entries_out_of_order(ws, edit, warnings_of):
    edit(ws, "evidence/items/witness.yaml", "{on: 2022-06-16, by: Evidence unit", "{on: 2022-06-15, by: Evidence unit")
    edit(ws, "evidence/items/witness.yaml", "{on: 2022-06-15, by: Investigator 2", "{on: 2022-06-16, by: Investigator 2")
    assert warnings_of(ws) == [
        "evidence/items/witness.yaml:21:6: warning: EV-W1: chain_of_custody[1].on: custody entries must be oldest first; this "
        "one is older than the one before it [custody-order]"]


@pytest.mark.parametrize("action", ["received", "stored", "copied"])
def test_custody_without_a_collection_entry(ws, edit, warnings_of, action):
    edit(ws, "evidence/items/report.yaml", "action: downloaded", f"action: {action}")
    assert warnings_of(ws) == [
        "evidence/items/report.yaml:11:1: warning: EV-R1: chain_of_custody: the chain of custody has no collection entry "
        "(collected, recorded, captured...): say who first obtained the item [custody-no-collection]"]


@pytest.mark.parametrize("action", ["purchased", "bought"])
def test_a_bought_image_has_its_collection_entry(ws, edit, warnings_of, action):
    """Commercial satellite imagery is bought: that is how the team first obtained it."""
    edit(ws, "evidence/items/report.yaml", "action: downloaded", f"action: {action}")
    assert warnings_of(ws) == []


def test_collection_action_is_matched_whatever_its_case(ws, edit, warnings_of):
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: ' Collected '")
    assert warnings_of(ws) == []


def test_every_warning_is_printed(ws, edit, cli_warnings):
    edit(ws, "evidence/items/report.yaml", "supports:\n  - element: rs-8-2-e-iv/2\n  - element: cihl-28/1\n", "")
    edit(ws, "evidence/items/witness.yaml", "consent:\n  share_with: [legal_team, un_bodies]\n  given_on: 2022-06-15\n",
         "")
    (ws / "evidence" / "files" / "ev-s1-after.txt").unlink()
    assert [line.split(": warning: ")[1].split(":")[0] for line in cli_warnings(ws)] == [
        "EV-S1", "EV-R1", "EV-W1"]


# --- --strict ------------------------------------------------------------------------------------------------------------


def test_strict_turns_warnings_into_errors(ws, edit, run_cli, problems):
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    code, out, err = run_cli(["validate", "--strict", "--workspace", ws])
    assert code == 1
    assert problems(err) == [
        "evidence/items/report.yaml:11:1: error: EV-R1: chain_of_custody: the chain of custody has no collection entry "
        "(collected, recorded, captured...): say who first obtained the item [custody-no-collection]"]
    assert err.splitlines()[-1] == "1 error, 0 warnings"


def test_strict_on_a_clean_workspace_succeeds(ws, run_cli):
    code, out, err = run_cli(["validate", "--strict", "--workspace", ws])
    assert code == 0 and err == "", err


# --- every item warning names its item ------------------------------------------------------------------------------


def test_item_warnings_name_their_item_in_the_report(ws, edit, run_cli):
    import json

    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    code, out, err = run_cli(["report", "--format", "json", "--workspace", ws])
    assert code == 0, err
    assert [(w["item"], w["code"], w["line"]) for w in json.loads(out)["warnings"]] == [
        ("EV-R1", "custody-no-collection", 11)]
    code, out, err = run_cli(["report", "--format", "html", "--workspace", ws])
    assert code == 0, err
    assert "evidence/items/report.yaml:11:1: warning: EV-R1: chain_of_custody: " in out


# --- warnings are not hidden by errors -------------------------------------------------------------------------------


def test_warnings_are_shown_with_the_errors_errors_first(ws, edit, run_cli, problems):
    """Fixing the errors must not reveal warnings a reviewer could have seen in the same run: both are printed,
    the errors first, and the summary counts both."""
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    edit(ws, "evidence/items/witness.yaml", "credibility: 2", "credibility: 9")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 1
    assert problems(err) == [
        "evidence/items/witness.yaml:6:1: error: credibility: must be an integer from 1 to 6 (got 9)",
        "evidence/items/report.yaml:11:1: warning: EV-R1: chain_of_custody: the chain of custody has no collection "
        "entry (collected, recorded, captured...): say who first obtained the item [custody-no-collection]"]
    assert err.splitlines()[-1] == "1 error, 1 warning"
    assert out == ""


# --- validate --format json ------------------------------------------------------------------------------------------


def test_validate_json_prints_the_problems_as_data_and_nothing_else(ws, edit, run_cli):
    import json

    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    code, out, err = run_cli(["validate", "--format", "json", "--workspace", ws])
    assert (code, err) == (0, "")
    assert json.loads(out) == {"diagnostics": [
        {"file": "evidence/items/report.yaml", "line": 11, "column": 1, "level": "warning",
         "code": "custody-no-collection", "item": "EV-R1", "field": "chain_of_custody",
         "message": "the chain of custody has no collection entry (collected, recorded, captured...): say who first "
                    "obtained the item"}], "errors": 0, "warnings": 1}
    code, out, err = run_cli(["validate", "--format", "json", "--strict", "--workspace", ws])
    assert (code, err) == (1, "")
    assert [(d["level"], d["code"]) for d in json.loads(out)["diagnostics"]] == [("error", "custody-no-collection")]
    edit(ws, "evidence/items/witness.yaml", "credibility: 2", "credibility: 9")
    code, out, err = run_cli(["validate", "--format", "json", "--workspace", ws])
    assert (code, err) == (1, "")
    data = json.loads(out)
    assert [(d["level"], d["code"], d["file"], d["line"]) for d in data["diagnostics"]] == [
        ("error", "invalid-range", "evidence/items/witness.yaml", 6),
        ("warning", "custody-no-collection", "evidence/items/report.yaml", 11)]
    assert (data["errors"], data["warnings"]) == (1, 1)


def test_validate_json_on_a_clean_workspace(ws, run_cli):
    import json

    code, out, err = run_cli(["validate", "--format", "json", "--workspace", ws])
    assert (code, err) == (0, "")
    assert json.loads(out) == {"diagnostics": [], "errors": 0, "warnings": 0}


# --- report prints each warning once ----------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["internal", "un", "public"])
def test_report_prints_each_warning_once(ws, edit, run_cli, edition):
    """In the report (stdout), once, and not again on stderr; the same in every format."""
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    line = ("evidence/items/report.yaml:11:1: warning: EV-R1: chain_of_custody: the chain of custody has no "
            "collection entry (collected, recorded, captured...): say who first obtained the item "
            "[custody-no-collection]")
    code, out, err = run_cli(["report", "--edition", edition, "--workspace", ws])
    assert (code, err) == (0, "")
    assert out.count("no collection entry") == 1 and out.splitlines()[-2:] == ["Warnings (1)", line]
    for fmt in ("json", "html"):
        code, out, err = run_cli(["report", "--format", fmt, "--edition", edition, "--workspace", ws])
        assert (code, err) == (0, "") and out.count("no collection entry") == 1, fmt
