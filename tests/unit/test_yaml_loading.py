"""The YAML layer (dossier/loading/yamlfile.py): what is refused, and where the problem is reported.

Every refusal is asserted with the exact line the program prints
(``path:line:col: error: message``); the file is always named by its
workspace-relative path.
"""

from __future__ import annotations

import re

import pytest

from dossier.loading.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES, read_yaml

REL = "evidence/items/x.yaml"


def read(tmp_path, data: bytes | str):
    """read_yaml on a file holding ``data``; returns (doc, printed diagnostic lines)."""
    path = tmp_path / "x.yaml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    doc, problems = read_yaml(path, REL)
    return doc, [p.format() for p in problems]


def refused(tmp_path, data: bytes | str) -> list[str]:
    doc, lines = read(tmp_path, data)
    assert doc is None, f"the file was accepted: {doc.data!r}"
    assert lines, "refused without saying why"
    return lines


# --- accepted input, positions ---------------------------------------------------------------------------------


def test_plain_file_is_read_with_positions(tmp_path):
    doc, lines = read(tmp_path, "id: EV-1\nsupports:\n  - element: a/1\n  - element: b/2\n    note: x\n")
    assert lines == []
    assert doc.data == {"id": "EV-1", "supports": [{"element": "a/1"}, {"element": "b/2", "note": "x"}]}
    assert str(doc.loc(("supports", 1, "element"))) == f"{REL}:4:5"
    assert str(doc.loc(("supports", 1, "note"))) == f"{REL}:5:5"
    assert str(doc.loc(("supports", 1, "note"), prefer_key=False)) == f"{REL}:5:11"
    # a path that does not exist falls back to its nearest existing parent
    assert str(doc.loc(("supports", 1, "stance"))) == f"{REL}:4:5"


def test_dates_are_kept_as_text_for_the_models_to_judge(tmp_path):
    doc, lines = read(tmp_path, "date: 2019-02-30\non: 2019-05-15\n")
    assert lines == []
    assert doc.data == {"date": "2019-02-30", "on": "2019-05-15"}


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    doc, lines = read(tmp_path, b"\xef\xbb\xbfid: EV-1\n")
    assert lines == [] and doc.data == {"id": "EV-1"}


def test_a_few_aliases_are_accepted(tmp_path):
    doc, lines = read(tmp_path, "a: &shared [x, y]\nb: *shared\n")
    assert lines == [] and doc.data == {"a": ["x", "y"], "b": ["x", "y"]}


# --- duplicate keys -----------------------------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key(tmp_path):
    assert refused(tmp_path, "id: EV-1\ntitle: x\nid: EV-2\n") == [
        f"{REL}:3:1: error: id: duplicate key 'id' in one mapping (first at line 1); keep one"]


def test_duplicate_key_in_a_nested_mapping(tmp_path):
    text = "id: EV-1\nwitness:\n  pseudonym: W-1\n  name: A\n  name: B\n"
    assert refused(tmp_path, text) == [
        f"{REL}:5:3: error: name: duplicate key 'name' in one mapping (first at line 4); keep one"]


def test_every_duplicate_key_is_reported(tmp_path):
    lines = refused(tmp_path, "id: a\nid: b\ntitle: x\ntitle: y\n")
    assert lines == [f"{REL}:2:1: error: id: duplicate key 'id' in one mapping (first at line 1); keep one",
                     f"{REL}:4:1: error: title: duplicate key 'title' in one mapping (first at line 3); keep one"]


# --- tags ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag, col", [
    ("!!python/object:os.system", 5),
    ("!!python/object/apply:os.system", 5),
    ("!!python/name:os.system", 5),
])
def test_python_tags_are_refused_and_never_run(tmp_path, tag, col):
    marker = tmp_path / "ran"
    lines = refused(tmp_path, f"id: {tag} ['touch {marker}']\n")
    assert lines == [f"{REL}:1:{col}: error: YAML tag {tag} is not allowed; remove the tag"]
    assert not marker.exists()


def test_custom_tag_on_a_scalar_is_refused(tmp_path):
    assert refused(tmp_path, "id: EV-1\ncontact: !secret abc\n") == [
        f"{REL}:2:10: error: YAML tag !secret is not allowed: case files hold only text, numbers, dates, lists and "
        "mappings; remove the tag"]


@pytest.mark.parametrize("value", ["!foo {a: 1}", "!foo [1, 2]"])
def test_custom_tag_on_a_collection_is_refused(tmp_path, value):
    assert refused(tmp_path, f"id: {value}\n") == [f"{REL}:1:5: error: YAML tag !foo is not allowed; remove the tag"]


def test_binary_tag_is_refused(tmp_path):
    assert refused(tmp_path, "file: !!binary aGVsbG8=\n") == [
        f"{REL}:1:7: error: YAML tag !!binary is not allowed: case files hold only text, numbers, dates, lists and "
        "mappings; remove the tag"]


# --- alias bombs, depth, merge keys --------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(c)}: &{chr(c)} [" + ", ".join([f"*{chr(c - 1)}"] * 9) + "]" for c in range(ord("b"), ord("j"))]
) + "\n"


def test_billion_laughs_is_refused(tmp_path):
    lines = refused(tmp_path, BILLION_LAUGHS)
    assert len(lines) == 1
    # The location (a value inside the first anchored list) is not asserted: see the report.
    assert re.fullmatch(re.escape(REL) + r":\d+:\d+: error: " + re.escape(
        f"aliases expand this file by more than {MAX_VALUES:,} values (an alias bomb?); remove the repeated aliases (*name) "
        "or split the file"), lines[0]), lines[0]


def test_many_plain_values_without_aliases_are_not_an_alias_bomb(tmp_path):
    data = "values: [" + ", ".join(["1"] * (MAX_VALUES + 1)) + "]\n"
    assert len(data.encode()) < MAX_FILE_BYTES
    doc, lines = read(tmp_path, data)
    assert not any("alias" in line for line in lines), lines
    assert doc is not None and len(doc.data["values"]) == MAX_VALUES + 1


def test_nesting_at_the_limit_is_accepted(tmp_path):
    doc, lines = read(tmp_path, "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert lines == [] and doc is not None


def test_deep_nesting_is_refused_at_the_first_level_too_deep(tmp_path):
    depth = MAX_DEPTH + 10
    # "a: " is 3 columns; the list at depth d (1-based) opens at column 3 + d
    assert refused(tmp_path, "a: " + "[" * depth + "]" * depth + "\n") == [
        f"{REL}:1:{3 + MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} levels deep; case files are shallow, "
        "check the brackets and indentation"]


def test_deep_block_nesting_is_refused(tmp_path):
    text = "".join("  " * i + "k:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n"
    lines = refused(tmp_path, text)
    assert lines == [f"{REL}:{MAX_DEPTH + 2}:{2 * MAX_DEPTH + 3}: error: nested more than {MAX_DEPTH} levels deep; "
                     "case files are shallow, check the brackets and indentation"]


def test_very_deep_nesting_does_not_crash_the_program(make_ws, run_cli):
    ws = make_ws("minimal")
    depth = 100_000
    (ws / "evidence" / "items" / "deep.yaml").write_text("a: " + "[" * depth + "]" * depth + "\n")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 1, f"exit code {code}"
    assert f"evidence/items/deep.yaml:1:{3 + MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} levels deep" in err


def test_merge_key_is_refused_at_the_key(tmp_path):
    assert refused(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n") == [
        f"{REL}:3:3: error: merge keys (<<) are not supported: write the fields out"]


# --- empty and non-text files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n  \n", b"# only a comment\n\n# and another\n", b"~\n"],
                         ids=["empty", "whitespace", "comments", "null"])
def test_empty_file_is_refused(tmp_path, data):
    assert refused(tmp_path, data) == [f"{REL}:1:1: error: the file is empty: write its content or delete the file"]


def test_non_utf8_byte_is_located(tmp_path):
    assert refused(tmp_path, b"id: EV-1\ntitle: x\nsummary: caf\xe9 au lait\n") == [
        f"{REL}:3:13: error: the file is not valid UTF-8 (byte 0xe9); save it with UTF-8 encoding"]


def test_utf16_file_is_refused(tmp_path):
    lines = refused(tmp_path, "id: EV-1\n".encode("utf-16"))
    assert len(lines) == 1 and lines[0].startswith(f"{REL}:1:1: error: ") and "UTF-8" in lines[0], lines


def test_utf16_file_is_not_called_binary(tmp_path):
    lines = refused(tmp_path, "id: EV-1\n".encode("utf-16"))
    assert "not a text file" not in lines[0] and "NUL" not in lines[0], lines[0]
    assert "save it with UTF-8 encoding" in lines[0], lines[0]


def test_non_utf8_column_counts_characters(tmp_path):
    # 'summary: ééé' is 12 characters (15 bytes); the bad byte is the 13th character
    assert refused(tmp_path, "summary: ééé".encode() + b"\xff\n") == [
        f"{REL}:1:13: error: the file is not valid UTF-8 (byte 0xff); save it with UTF-8 encoding"]


def test_nul_byte_is_refused_with_its_line(tmp_path):
    assert refused(tmp_path, b"id: EV-1\ntitle: x\n\x00summary: y\n") == [
        f"{REL}:3:1: error: this is not a text file (it contains NUL bytes): case files must be UTF-8 YAML"]


# --- syntax errors --------------------------------------------------------------------------------------------------


def test_syntax_error_is_located(tmp_path):
    # the second ': ' on line 2 (a colon inside an unquoted value)
    lines = refused(tmp_path, "id: EV-1\nsummary: Note: the clinic was hit\n")
    assert len(lines) == 1
    assert lines == [f"{REL}:2:14: error: a colon and a space in an unquoted value start a new field: put the summary "
                     'in quotes: summary: "Note: the clinic was hit"']


def test_second_document_is_refused(tmp_path):
    assert refused(tmp_path, "id: EV-1\n---\nid: EV-2\n") == [
        f"{REL}:2:1: error: YAML syntax error: expected a single document in the stream but found another document"]


def test_unclosed_quote_names_the_line_it_opens_on(tmp_path):
    lines = refused(tmp_path, 'id: EV-1\ntitle: "Strike on the clinic\nsummary: x\ndate: 2020-01-01\n')
    assert len(lines) == 1
    assert lines[0].startswith(f"{REL}:2:") or re.search(r"\bline 2\b", lines[0]), lines[0]


def test_unclosed_list_names_the_line_it_opens_on(tmp_path):
    lines = refused(tmp_path, "id: EV-1\ncharges: [rs-8-2-e-iv\ntitle: z\n")
    assert len(lines) == 1
    assert lines[0].startswith(f"{REL}:2:") or re.search(r"\bline 2\b", lines[0]), lines[0]


# --- size -----------------------------------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    with path.open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(6 * 1024 * 1024)
    doc, problems = read_yaml(path, REL)
    assert doc is None
    assert [p.format() for p in problems] == [
        f"{REL}:1:1: error: file is too large (6,291,456 bytes; the limit is 5,242,880 bytes, 5 MiB, per file): "
        "split it into several files"]


def test_file_at_the_size_limit_is_read(tmp_path):
    head = b"id: EV-1\n# "
    data = head + b"x" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(data) == MAX_FILE_BYTES
    doc, lines = read(tmp_path, data)
    assert lines == [] and doc.data == {"id": "EV-1"}


def test_size_message_just_over_the_limit_is_not_self_contradictory(tmp_path):
    path = tmp_path / "x.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    doc, problems = read_yaml(path, REL)
    assert doc is None and len(problems) == 1
    assert not re.search(r"\(5(\.0+)? MiB; the limit is 5 MiB", problems[0].message), problems[0].message


# --- YAML 1.1 surprises, through the whole loader -------------------------------------------------------------------


def test_unquoted_time_is_read_as_written(make_ws, edit, diagnose):
    # YAML 1.1 reads 14:30 as the number 870; case files are read as YAML 1.2 reads them: the text "14:30"
    ws = make_ws("minimal")
    edit(ws, "evidence/incidents/one.yaml", 'time: "09:40"', "time: 14:30")
    case, lines = diagnose(ws)
    assert case is not None, lines
    assert next(iter(case.incidents.values())).time == "14:30"


def test_leading_zero_id_is_not_silently_renumbered(make_ws, edit, diagnose):
    ws = make_ws("minimal")
    edit(ws, "evidence/items/report.yaml", "id: EV-R1", "id: 0012")
    edit(ws, "evidence/items/media.yaml", "derived_from: [EV-R1]", "derived_from: [0012]")
    case, lines = diagnose(ws)
    if case is not None:  # accepted: then the id must be the one written
        assert "0012" in case.items and "10" not in case.items, sorted(case.items)
    else:  # refused: then the message must say what was written
        assert any("0012" in line for line in lines), lines


def test_yaml_11_boolean_words_are_not_reported_as_false(make_ws, edit, diagnose):
    ws = make_ws("minimal")
    edit(ws, "evidence/items/witness.yaml", "language: en", "language: no")
    case, lines = diagnose(ws)
    if case is not None:
        assert case.items["EV-W1"].interview.language == "no"
    else:
        assert not any("(got False)" in line for line in lines), lines
        assert any("'no'" in line for line in lines), lines


@pytest.mark.parametrize("text, expected", [
    ("- id: SRC-1\n  name: UN: OCHA\n",
     "2:11: error: a colon and a space in an unquoted value start a new field: put the name in quotes: "
     "name: \"UN: OCHA\""),
    ('id: EV-1\ntitle: The "Strike": hospital\n',
     "2:20: error: a colon and a space in an unquoted value start a new field: put the title in quotes: "
     "title: 'The \"Strike\": hospital'"),
    ("attack:\n  date: x\n time: y\n",
     "3:2: error: the indentation of this line does not match the lines above: indent it as the field it "
     "belongs with"),
    ("id: EV-1\nsupports:\n  - element: a\n     stance: supports\n",
     "4:6: error: this line is indented more than the line above, so it cannot be read as a field of its own: "
     "indent it as 'element' above (line 3)"),
    ("id: EV-1\n=======\n", "2:1: error: this file has unresolved merge-conflict markers `=======`: resolve them "
     "(keep the right version of the lines between <<<<<<< and >>>>>>>, delete the marker lines)"),
])
def test_yaml_mistakes_say_what_to_do(tmp_path, text, expected):
    assert refused(tmp_path, text) == [f"{REL}:{expected}"]


def test_a_tab_inside_a_value_is_no_mistake(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: EV-1\nsummary: \"a\\tb\"\nnotes: |\n  keep\tthis\n", encoding="utf-8")
    doc, problems = read_yaml(path, REL)
    assert problems == [] and doc.data["notes"] == "keep\tthis\n"


def test_a_file_is_composed_again_only_for_a_diagnostic_that_names_it():
    """Positions cost a second parse of the file: loading asks for them only to print a problem."""
    from dossier.loading.workspace import load_case

    from conftest import REPO

    case = load_case(REPO)
    files = {w.file for w in case.where.values()}
    composed = {w.file for w in case.where.values() if w.positions._marks is not None}
    assert composed <= {d.location.file for d in case.warnings}
    assert len(composed) < len(files) // 2
