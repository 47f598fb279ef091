"""`dossier validate` on broken workspaces: cross-references, duplicate ids, derivation cycles, exhibit paths,
missing files; the exit codes and the printed form of every error.

Each test copies tests/roots/minimal, breaks one thing, runs the CLI as a user
does and compares every line it prints with the expected ones.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def ws(make_ws):
    return make_ws("minimal")


@pytest.fixture
def validate_fails(run_cli, problems):
    """Run `dossier validate` on a workspace expected to have errors; returns the printed problem lines."""

    def _run(ws, *extra) -> list[str]:
        code, out, err = run_cli(["validate", "--workspace", ws, *extra])
        assert "Traceback" not in out + err, err
        assert code == 1, f"exit code {code}\n{err}"
        lines = problems(err)
        errors = [line for line in lines if ": error: " in line]
        warnings = [line for line in lines if ": warning: " in line]
        assert err.splitlines()[-1] == (f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
                                        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
        return lines

    return _run


def test_minimal_root_is_valid(ws, run_cli):
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 0, err
    assert err == ""
    assert out.startswith("ok: Strike on the Lowmere clinic (test case) (minimal-case)\n")
    assert "  0 warnings\n" in out


def test_validate_finds_the_workspace_in_the_current_folder(ws, run_cli):
    code, out, err = run_cli(["validate"], cwd=ws)
    assert code == 0, err
    assert out.startswith("ok: ")


# --- unknown references ------------------------------------------------------------------------------------------------


def test_unknown_source_suggests_the_close_one(ws, edit, validate_fails):
    edit(ws, "evidence/items/media.yaml", "source: SRC-MEDIA", "source: SRC-MEDA")
    assert validate_fails(ws) == [
        "evidence/items/media.yaml:5:1: error: source: unknown source 'SRC-MEDA' (did you mean 'SRC-MEDIA'?)"]


def test_unknown_incident(ws, edit, validate_fails):
    edit(ws, "evidence/items/imagery.yaml", "incidents: [INC-2022-06-10-LOWMERE]",
         "incidents: [INC-2022-06-10-LOWMERE, INC-2022-06-10-LOWMER, INC-ELSEWHERE]")
    assert validate_fails(ws) == [
        "evidence/items/imagery.yaml:4:37: error: incidents[1]: unknown incident 'INC-2022-06-10-LOWMER' (did you mean "
        "'INC-2022-06-10-LOWMERE'?)",
        "evidence/items/imagery.yaml:4:60: error: incidents[2]: unknown incident 'INC-ELSEWHERE'",
    ]


def test_unknown_party_in_attributed_to(ws, edit, validate_fails):
    edit(ws, "evidence/incidents/one.yaml", "attributed_to: [VAL]", "attributed_to: [VAL, VALL]")
    assert validate_fails(ws) == [
        "evidence/incidents/one.yaml:19:24: error: attack.attributed_to[1]: unknown party 'VALL' (did you mean "
        "'VAL'?)"]


def test_unknown_party_in_deconfliction_recipients(ws, edit, validate_fails):
    edit(ws, "evidence/items/notification.yaml", "recipients: [VAL]", "recipients: [VAL, NFL]")
    assert validate_fails(ws) == [
        "evidence/items/notification.yaml:15:21: error: deconfliction.recipients[1]: unknown party 'NFL' (did you "
        "mean 'NLF'?)"]


def test_unknown_party_as_conflict_territory(ws, edit, validate_fails):
    edit(ws, "evidence/case.yaml", "territory: VAL", "territory: VLA")
    assert validate_fails(ws) == [
        "evidence/case.yaml:8:3: error: conflict.territory: unknown party 'VLA' (did you mean 'VAL'?)"]


def test_duplicate_party_id(ws, edit, validate_fails):
    edit(ws, "evidence/case.yaml", "  - id: NLF", "  - id: VAL")
    assert validate_fails(ws) == ["evidence/case.yaml:14:5: error: parties[1].id: party id 'VAL' is used twice"]


def test_unknown_norm_in_case_charges(ws, edit, validate_fails):
    edit(ws, "evidence/case.yaml", "charges: [rs-8-2-e-iv, cihl-28]", "charges: [rs-8-2-e-iv, cihl-28x]")
    assert validate_fails(ws) == [
        "evidence/case.yaml:18:24: error: charges[1]: unknown norm 'cihl-28x' (did you mean 'cihl-28'?); "
        "`dossier norms` lists them"]


def test_unknown_norm_in_incident_charges(ws, edit, validate_fails):
    edit(ws, "evidence/incidents/one.yaml", "summary:", "charges: [rs-8-2-e-iv, cihl-28x]\nsummary:")
    assert validate_fails(ws) == [
        "evidence/incidents/one.yaml:21:24: error: charges[1]: unknown norm 'cihl-28x' (did you mean 'cihl-28'?)"]


def test_unknown_element_lists_the_norms_elements(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "element: rs-8-2-e-iv/2", "element: rs-8-2-e-iv/9")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:14:5: error: supports[0].element: norm rs-8-2-e-iv has no element '9' "
        "(its elements: 1, 2, 3, 4, 5)"]


def test_unknown_norm_in_an_element_reference(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "element: cihl-28/1", "element: cihl-280/1")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:15:5: error: supports[1].element: unknown norm 'cihl-280' (valid ids near it: "
        "'cihl-20', 'cihl-28', 'cihl-8', 'cihl-10', 'cihl-12')"]


@pytest.mark.parametrize("written", ["rs-8-2-e-iv", "rs-8-2-e-iv/1/2", "rs-8-2-e-iv/ 1"])
def test_malformed_element_reference(ws, edit, validate_fails, written):
    edit(ws, "evidence/items/report.yaml", "element: rs-8-2-e-iv/2", f"element: '{written}'")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:14:5: error: supports[0].element: must be an element reference "
        f"NORM-ID/ELEMENT-ID, e.g. rs-8-2-e-iv/2 (got '{written}')"]


def test_support_incident_must_be_one_of_the_items_incidents(ws, edit, validate_fails):
    edit(ws, "evidence/items/imagery.yaml", "  - element: cihl-28/3", "  - element: cihl-28/3\n    incident: INC-OTHER")
    assert validate_fails(ws) == [
        "evidence/items/imagery.yaml:27:5: error: supports[1].incident: incident 'INC-OTHER' is not among this item's "
        "incidents (INC-2022-06-10-LOWMERE)"]


def test_unknown_item_in_derived_from(ws, edit, validate_fails):
    edit(ws, "evidence/items/media.yaml", "derived_from: [EV-R1]", "derived_from: [EV-R2]")
    assert validate_fails(ws) == [
        "evidence/items/media.yaml:9:16: error: derived_from[0]: unknown item 'EV-R2' (valid ids near it: 'EV-R1', "
        "'EV-S1', 'EV-M1', 'EV-C1', 'EV-W1')"]


def test_unknown_source_in_derived_from(ws, edit, validate_fails):
    edit(ws, "evidence/sources.yaml", "derived_from: [SRC-NGO]", "derived_from: [SRC-NG0]")
    assert validate_fails(ws) == [
        "evidence/sources.yaml:9:18: error: derived_from[0]: unknown source 'SRC-NG0' (valid ids near it: "
        "'SRC-NGO', 'SRC-UN', 'SRC-IMG', 'SRC-W1')"]


# --- duplicate ids, cycles -----------------------------------------------------------------------------------------------


def test_duplicate_item_id_across_two_files_names_the_other_place(ws, edit, validate_fails):
    edit(ws, "evidence/items/media.yaml", "id: EV-M1", "id: EV-R1")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:1:5: error: id: item id 'EV-R1' is used twice (also at "
        "evidence/items/media.yaml:1:1); ids must be unique in the case"]


def test_duplicate_item_id_inside_a_list_file(ws, validate_fails):
    entry = ("- id: EV-W1\n  type: report\n  title: x\n  incidents: [INC-2022-06-10-LOWMERE]\n  source: SRC-NGO\n"
             "  credibility: 2\n  date: 2022-06-11\n  summary: x\n")
    (ws / "evidence" / "items" / "extra.yaml").write_text(entry.replace("EV-W1", "EV-X1") + entry)
    assert [line for line in validate_fails(ws) if ": error: " in line] == [
        "evidence/items/witness.yaml:1:5: error: id: item id 'EV-W1' is used twice (also at "
        "evidence/items/extra.yaml:9:3); ids must be unique in the case"]


def test_duplicate_incident_id_across_two_files(ws, validate_fails):
    incidents = ws / "evidence" / "incidents"
    (incidents / "two.yaml").write_text((incidents / "one.yaml").read_text())
    assert validate_fails(ws) == [
        "evidence/incidents/two.yaml:1:5: error: id: incident id 'INC-2022-06-10-LOWMERE' is used twice (also at "
        "evidence/incidents/one.yaml:1:1); ids must be unique in the case"]


def test_duplicate_source_id(ws, edit, validate_fails):
    edit(ws, "evidence/sources.yaml", "- id: SRC-UN", "- id: SRC-NGO")
    assert validate_fails(ws) == [
        # SRC-UN is gone: the item that cites it is a real second problem
        "evidence/items/notification.yaml:5:1: error: source: unknown source 'SRC-UN' (valid ids near it: "
        "'SRC-NGO', 'SRC-W1', 'SRC-IMG')",
        "evidence/sources.yaml:18:7: error: id: source id 'SRC-NGO' is used twice (also at evidence/sources.yaml:1:3); "
        "ids must be unique in the case"]


def test_item_derivation_cycle(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "summary:", "derived_from: [EV-M1]\nsummary:")
    assert validate_fails(ws) == [
        "evidence/items/media.yaml:9:1: error: derived_from: circular derivation: EV-M1 -> EV-R1 -> EV-M1; an item or "
        "source cannot (even indirectly) repeat itself"]


def test_item_derived_from_itself(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "summary:", "derived_from: [EV-R1]\nsummary:")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:9:1: error: derived_from: circular derivation: EV-R1 -> EV-R1; an item or source "
        "cannot (even indirectly) repeat itself"]


def test_source_derivation_cycle(ws, edit, validate_fails):
    edit(ws, "evidence/sources.yaml", "  reliability: B\n- id: SRC-MEDIA",
         "  reliability: B\n  derived_from: [SRC-MEDIA]\n- id: SRC-MEDIA")
    assert validate_fails(ws) == [
        "evidence/sources.yaml:5:3: error: derived_from: circular derivation: SRC-NGO -> SRC-MEDIA -> SRC-NGO; an item "
        "or source cannot (even indirectly) repeat itself"]


# --- exhibit paths ---------------------------------------------------------------------------------------------------

PATH_LINE = "evidence/items/imagery.yaml:11:3: error: file.path: "


@pytest.mark.parametrize("written", ["/etc/passwd", "'C:\\evidence\\x.png'", "'\\\\server\\share\\x.png'",
                                     "file:///etc/passwd"])
def test_absolute_exhibit_path_is_refused(ws, edit, validate_fails, written):
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", f"path: {written}")
    assert validate_fails(ws) == [
        PATH_LINE + "must be a path relative to evidence/, e.g. files/EV-0012.pdf (absolute paths are not allowed)"]


@pytest.mark.parametrize("written", ["../evidence/files/ev-s1-after.txt", "files/../../outside.txt",
                                     "'files\\..\\..\\outside.txt'"])
def test_exhibit_path_with_dotdot_is_refused(ws, edit, validate_fails, written):
    (ws / "outside.txt").write_text("outside")
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", f"path: {written}")
    assert validate_fails(ws) == [PATH_LINE + "must stay inside evidence/ ('..' is not allowed)"]


@pytest.mark.parametrize("written, holds", [
    ('"files/x\\u202egnp.exe"', "the direction control U+202E (right-to-left override)"),
    ('"files/x\\ty.png"', "the control character U+0009 (tab)"),
    # what the YAML reader lets through unescaped (YAML reads a raw NEL or U+2028 as a line break), and what
    # the path check once accepted
    ("files/x\u200egnp.exe", "the direction control U+200E (left-to-right mark)"),
    ("files/x\u200fgnp.exe", "the direction control U+200F (right-to-left mark)"),
    ("files/x\u061cgnp.exe", "the direction control U+061C (arabic letter mark)"),
    ('"files/x\\x85y.png"', "the control character U+0085 (next line)"),
    ('"files/x\\u2028y.png"', "the line break U+2028 (line separator)"),
    ('"files/x\\u2029y.png"', "the line break U+2029 (paragraph separator)"),
    ("files/ev\u200b-s1.png", "the invisible character U+200B (zero width space)"),
    ("files/ev\ufeff-s1.png", "the invisible character U+FEFF (zero width no-break space)"),
    ("files/ev\u2060-s1.png", "the invisible character U+2060 (word joiner)"),
    ('"files/x\\e]0;title\\a.png"', "the control character U+001B (escape)"),
])
def test_exhibit_path_with_control_characters_is_refused(ws, edit, validate_fails, written, holds):
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", f"path: {written}")
    assert validate_fails(ws) == [
        PATH_LINE + f"must not contain control, direction or invisible characters: it holds {holds}; rename the file"]


def test_symlinked_exhibit_escaping_evidence_is_refused(ws, edit, validate_fails, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not evidence")
    os.symlink(secret, ws / "evidence" / "files" / "link.txt")
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", "path: files/link.txt")
    assert validate_fails(ws) == [
        PATH_LINE + "leads outside evidence/ through a symbolic link; copy the file into evidence/files/"]


def test_symlinked_folder_escaping_evidence_is_refused(ws, edit, validate_fails, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("not evidence")
    os.symlink(outside, ws / "evidence" / "files" / "dir")
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", "path: files/dir/x.txt")
    assert validate_fails(ws) == [
        PATH_LINE + "leads outside evidence/ through a symbolic link; copy the file into evidence/files/"]


def test_symlink_inside_evidence_is_accepted(ws, edit, run_cli):
    os.symlink("ev-s1-after.txt", ws / "evidence" / "files" / "alias.txt")
    edit(ws, "evidence/items/imagery.yaml", "path: files/ev-s1-after.txt", "path: files/alias.txt")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 0 and err == "", err


def test_symlinked_case_file_from_outside_the_workspace_is_refused(ws, tmp_path, validate_fails):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((ws / "evidence" / "items" / "media.yaml").read_text().replace("EV-M1", "EV-M2"))
    os.symlink(outside, ws / "evidence" / "items" / "m2.yaml")
    assert validate_fails(ws) == [
        "evidence/items/m2.yaml:1:1: error: this file is a link to a file outside the workspace; copy the file in"]


# --- missing files and folders -------------------------------------------------------------------------------------


def test_missing_case_file(ws, validate_fails):
    (ws / "evidence" / "case.yaml").unlink()
    assert validate_fails(ws) == [
        "evidence/case.yaml:1:1: error: the case file is missing: create evidence/case.yaml (see `dossier init`)"]


def test_missing_sources_file(ws, validate_fails):
    (ws / "evidence" / "sources.yaml").unlink()
    assert validate_fails(ws) == [
        "evidence/sources.yaml:1:1: error: the sources list is missing: create evidence/sources.yaml"]


def test_no_evidence_folder_is_bad_usage(tmp_path, run_cli):
    code, out, err = run_cli(["validate", "--workspace", tmp_path])
    assert code == 2
    assert "Traceback" not in out + err
    assert err.strip() == (f"dossier: {tmp_path.resolve()}: not a dossier workspace (no evidence/ folder). "
                           "Run `dossier init DIR` to make one, or pass --workspace DIR.")


def test_current_folder_without_evidence_is_bad_usage(tmp_path, run_cli):
    code, out, err = run_cli(["validate"], cwd=tmp_path)
    assert code == 2
    assert "not a dossier workspace (no evidence/ folder)" in err and "Traceback" not in err


def test_workspace_that_does_not_exist_is_bad_usage(tmp_path, run_cli):
    code, out, err = run_cli(["validate", "--workspace", tmp_path / "nope"])
    assert code == 2
    assert err.strip() == f"dossier: {tmp_path / 'nope'}: no such folder"


def test_unknown_option_is_bad_usage(ws, run_cli):
    code, out, err = run_cli(["validate", "--workspace", ws, "--bogus"])
    assert code == 2
    assert "No such option: --bogus" in err or "No such option '--bogus'" in err, err
    assert "Traceback" not in err


# --- file shapes -------------------------------------------------------------------------------------------------------


def test_sources_file_holding_one_mapping_is_refused(ws, validate_fails):
    (ws / "evidence" / "sources.yaml").write_text("id: SRC-X\nname: x\nkind: ngo\nreliability: A\n")
    assert validate_fails(ws) == [
        "evidence/sources.yaml:1:1: error: this file must hold a list of sources, each starting with '- id: ...'; it "
        "holds a single mapping"]


def test_wrong_shape_messages_speak_plainly(ws, validate_fails):
    (ws / "evidence" / "sources.yaml").write_text("id: SRC-X\nname: x\nkind: ngo\nreliability: A\n")
    (ws / "evidence" / "items" / "bad.yaml").write_text("just some text\n")
    lines = validate_fails(ws)
    assert len(lines) == 2
    for line in lines:
        assert "(got dict)" not in line and "(got str)" not in line, line
        assert " a item" not in line, line
    assert lines[0] == ("evidence/items/bad.yaml:1:1: error: this file must hold an item (a mapping of fields: id, "
                        "title, ...) or a list of items; it holds only plain text")


def test_case_file_holding_a_list_is_refused(ws, validate_fails):
    (ws / "evidence" / "case.yaml").write_text("- a\n")
    assert validate_fails(ws) == [
        "evidence/case.yaml:1:1: error: case.yaml must hold the case's fields (id, title, conflict, parties ...); it "
        "holds a list"]


def test_list_entry_that_is_not_a_mapping(ws, validate_fails):
    (ws / "evidence" / "items" / "bad.yaml").write_text("- 1\n")
    lines = validate_fails(ws)
    assert len(lines) == 1 and lines[0].startswith("evidence/items/bad.yaml:1:3: error: [0]: each entry must be "), lines
    assert lines[0].endswith(" (got 1)"), lines


def test_list_entry_message_grammar(ws, validate_fails):
    (ws / "evidence" / "items" / "bad.yaml").write_text("- 1\n")
    assert validate_fails(ws) == [
        "evidence/items/bad.yaml:1:3: error: [0]: each entry must be an item (a mapping of fields) (got 1)"]


def test_yaml_problem_is_reported_through_the_cli(ws, validate_fails):
    (ws / "evidence" / "case.yaml").write_text(
        (ws / "evidence" / "case.yaml").read_text() + "title: Duplicate title\n")
    assert validate_fails(ws) == [
        "evidence/case.yaml:19:1: error: title: duplicate key 'title' in one mapping (first at line 3); keep one"]


# --- every problem at once ---------------------------------------------------------------------------------------------


def test_independent_errors_in_two_files_are_both_reported(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "credibility: 2", "credibility: 7")
    edit(ws, "evidence/sources.yaml", "  reliability: A\n", "  reliability: G\n")
    assert validate_fails(ws) == [
        "evidence/items/report.yaml:6:1: error: credibility: must be an integer from 1 to 6 (got 7)",
        "evidence/sources.yaml:21:3: error: reliability: must be one of A, B, C, D, E, F (got 'G')",
    ]


def test_independent_reference_errors_in_two_files_are_both_reported(ws, edit, validate_fails):
    edit(ws, "evidence/items/media.yaml", "source: SRC-MEDIA", "source: SRC-MEDA")
    edit(ws, "evidence/incidents/one.yaml", "attributed_to: [VAL]", "attributed_to: [VALL]")
    assert validate_fails(ws) == [
        "evidence/incidents/one.yaml:19:19: error: attack.attributed_to[0]: unknown party 'VALL' (did you mean "
        "'VAL'?)",
        "evidence/items/media.yaml:5:1: error: source: unknown source 'SRC-MEDA' (did you mean 'SRC-MEDIA'?)",
    ]


def test_a_yaml_error_and_a_model_error_are_both_reported(ws, edit, validate_fails):
    (ws / "evidence" / "items" / "broken.yaml").write_text("id: EV-B\n  title: x\n")
    edit(ws, "evidence/items/report.yaml", "credibility: 2", "credibility: 7")
    lines = validate_fails(ws)
    assert len(lines) == 2
    assert lines[0] == ("evidence/items/broken.yaml:2:3: error: this line is indented more than the line above, so it "
                        "cannot be read as a field of its own: indent it as 'id' above (line 1)")
    assert lines[1] == "evidence/items/report.yaml:6:1: error: credibility: must be an integer from 1 to 6 (got 7)"


def test_an_unreadable_file_does_not_hide_a_dangling_reference_elsewhere(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "title: Health Watch", "title: Health: Watch")
    edit(ws, "evidence/items/media.yaml", "source: SRC-MEDIA", "source: SRC-MEDA")
    lines = validate_fails(ws)
    assert len(lines) == 2, lines
    assert lines[0] == ("evidence/items/media.yaml:5:1: error: source: unknown source 'SRC-MEDA' (did you mean "
                        "'SRC-MEDIA'?)")
    assert lines[1] == ("evidence/items/report.yaml:3:14: error: a colon and a space in an unquoted value start a new field: "
                        'put the title in quotes: title: "Health: Watch incident report"')


def test_an_unreadable_file_does_not_make_its_ids_look_unknown(ws, edit, validate_fails):
    # media.yaml derives from EV-R1, which is in the file that cannot be read: no 'unknown item' cascade
    edit(ws, "evidence/items/report.yaml", "title: Health Watch", "title: Health: Watch")
    lines = validate_fails(ws)
    assert lines == ["evidence/items/report.yaml:3:14: error: a colon and a space in an unquoted value start a new field: "
                        'put the title in quotes: title: "Health: Watch incident report"']


def test_a_field_error_does_not_hide_a_dangling_reference_elsewhere(ws, edit, validate_fails):
    edit(ws, "evidence/items/report.yaml", "credibility: 2", "credibility: 7")
    edit(ws, "evidence/items/media.yaml", "source: SRC-MEDIA", "source: SRC-MEDA")
    assert validate_fails(ws) == [
        "evidence/items/media.yaml:5:1: error: source: unknown source 'SRC-MEDA' (did you mean 'SRC-MEDIA'?)",
        "evidence/items/report.yaml:6:1: error: credibility: must be an integer from 1 to 6 (got 7)",
    ]


# --- dossier init ---------------------------------------------------------------------------------------------------------


def test_init_makes_a_valid_workspace(tmp_path, run_cli):
    target = tmp_path / "new-case"
    code, out, err = run_cli(["init", target])
    assert code == 0, err
    assert (target / "evidence" / "case.yaml").is_file()
    code, out, err = run_cli(["validate", "--workspace", target])
    assert code == 0, err
    assert ": error:" not in err
    # the one warning is the example submission's check before sending: the attack is alleged against a party
    # whose attribution is short of established
    assert [line.split(": warning: ")[1] for line in err.splitlines() if ": warning: " in line] == [
        "SUB-SR-HEALTH: attack.attributed_to[0]: the attack is alleged against GOV, whose attribution is not "
        "established (partly supported) on what this submission may show: the submission names it an alleged "
        "perpetrator and says what that rests on; substantiate it before sending, or say why it is alleged [presend-attribution]"]
    assert out.startswith("ok: ")


def test_init_into_an_empty_folder(tmp_path, run_cli):
    target = tmp_path / "empty"
    target.mkdir()
    code, out, err = run_cli(["init", target])
    assert code == 0, err
    assert (target / "evidence" / "case.yaml").is_file()


def test_init_into_a_non_empty_folder_is_bad_usage(tmp_path, run_cli):
    target = tmp_path / "used"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    code, out, err = run_cli(["init", target])
    assert code == 2
    assert err.strip() == f"dossier: {target} already exists and is not empty: choose a new folder"
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert (target / "notes.txt").read_text() == "keep me"
