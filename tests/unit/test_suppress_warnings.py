"""``suppress_warnings:`` in case.yaml: a warning a reviewer has accepted is not printed, not counted, not an error
with --strict and not in the completeness report; a wrong code or id there is itself an error (those are in
tests/hostile/corpus.json, with their exact text). Each test on a copy of tests/roots/minimal."""

from __future__ import annotations

import json

CASE = "evidence/case.yaml"
R1 = ("evidence/items/report.yaml:11:1: warning: EV-R1: chain_of_custody: the chain of custody has no collection "
      "entry (collected, recorded, captured...): say who first obtained the item [custody-no-collection]")
M1 = ("evidence/items/media.yaml:12:1: warning: EV-M1: chain_of_custody: the chain of custody has no collection "
      "entry (collected, recorded, captured...): say who first obtained the item [custody-no-collection]")


def _two_warnings(ws, edit) -> None:
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    edit(ws, "evidence/items/media.yaml", "action: archived", "action: stored")


def _suppress(ws, text: str) -> None:
    path = ws / CASE
    path.write_text(path.read_text(encoding="utf-8") + "suppress_warnings:\n" + text, encoding="utf-8")


def test_without_suppressions_both_warnings_are_printed(make_ws, edit, run_cli, problems):
    ws = make_ws("minimal")
    _two_warnings(ws, edit)
    code, out, err = run_cli(["validate", "-q", "--workspace", ws])
    assert code == 0 and problems(err) == [M1, R1]


def test_a_code_alone_is_suppressed_everywhere(make_ws, edit, run_cli):
    ws = make_ws("minimal")
    _two_warnings(ws, edit)
    _suppress(ws, "  - custody-no-collection\n")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert (code, err) == (0, "")
    assert "  0 warnings\n" in out  # not counted
    code, out, err = run_cli(["validate", "--strict", "--workspace", ws])
    assert (code, err) == (0, "")  # not an error with --strict
    code, out, err = run_cli(["report", "--format", "json", "--workspace", ws])
    assert code == 0 and json.loads(out)["warnings"] == []  # not in the completeness report
    code, out, err = run_cli(["report", "--workspace", ws])
    assert code == 0 and "Warnings" not in out and "custody" not in out


def test_a_code_with_ids_is_suppressed_for_those_items_only(make_ws, edit, run_cli, problems):
    ws = make_ws("minimal")
    _two_warnings(ws, edit)
    _suppress(ws, "  - custody-no-collection: [EV-R1]\n")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 0 and problems(err) == [M1]
    assert err.splitlines()[-1] == "0 errors, 1 warning" and "  1 warning\n" in out
    code, out, err = run_cli(["validate", "--strict", "--workspace", ws])
    assert code == 1 and problems(err) == [M1.replace(": warning: ", ": error: ")]
    code, out, err = run_cli(["report", "--format", "json", "--workspace", ws])
    assert [w["item"] for w in json.loads(out)["warnings"]] == ["EV-M1"]


def test_every_edition_leaves_suppressed_warnings_out(make_ws, edit, run_cli):
    ws = make_ws("minimal")
    _two_warnings(ws, edit)
    _suppress(ws, "  - custody-no-collection: [EV-R1, EV-M1]\n")
    for edition in ("internal", "un", "public"):
        code, out, err = run_cli(["report", "--format", "json", "--edition", edition, "--workspace", ws])
        assert code == 0 and json.loads(out)["warnings"] == [], edition


def test_a_suppression_does_not_change_the_case_a_brief_rests_on(make_ws):
    """The manifest's case hash leaves suppress_warnings out: a PDF built before a suppression still verifies,
    and a case written before the field existed keeps its hash."""
    from dossier.pipeline.manifest import case_sha256
    from dossier.pipeline.session import load

    ws = make_ws("minimal")
    before = case_sha256(load(ws).case)
    _suppress(ws, "  - no-supports\n")
    case = load(ws)
    assert case.case.suppress_warnings == ["no-supports"]
    assert case_sha256(case.case) == before


def test_an_edition_carries_no_suppression_of_an_item_it_withholds(make_ws):
    from dossier.analysis.editions import apply_edition
    from dossier.pipeline.session import load

    ws = make_ws("minimal")
    _suppress(ws, "  - no-supports: [EV-W1, EV-R1]\n  - witness-no-pseudonym: [EV-W1]\n  - coordinates-far\n")
    case = load(ws)
    public = apply_edition(case, "public")
    assert "EV-W1" not in public.items  # a witness statement without public consent
    assert public.case.suppress_warnings == [{"no-supports": ["EV-R1"]}, "coordinates-far"]


def test_the_schema_describes_suppress_warnings(tmp_path, run_cli):
    code, out, err = run_cli(["schema", "--output", tmp_path])
    assert code == 0, err
    schema = json.loads((tmp_path / "case.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema["properties"]["suppress_warnings"])
    assert '"custody-no-collection"' in text and '"hash-mismatch"' not in text  # the codes that may be suppressed
    try:
        import jsonschema
    except ImportError:
        return  # the validation below needs the jsonschema package (as test_models' schema test)
    validator = jsonschema.Draft202012Validator(schema)
    case = {"id": "c", "title": "t", "conflict": {"classification": "NIAC"}, "parties": [{"id": "P", "name": "p"}],
            "standard_of_proof": "reasonable_grounds", "charges": ["cihl-28"]}
    for extra in ({"suppress_warnings": ["no-supports", {"no-hash": ["EV-1", "EV-2"]}]}, {}):
        assert [e.message for e in validator.iter_errors({**case, **extra})] == [], extra
    for value in (["no-suports"], ["hash-mismatch"], [{"no-hash": []}], [{"no-hash": ["EV 1"]}], "no-supports", [12]):
        assert list(validator.iter_errors({**case, "suppress_warnings": value})), value
