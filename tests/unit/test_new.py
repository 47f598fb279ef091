"""`dossier new item TYPE`, `new incident`, `new source`: a commented file to fill in, with a fresh id, never
over another file; as written it loads, and `validate` names only its placeholders; filled in, it is valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.diagnostics import InputError, UsageError
from dossier.loading.placeholders import MESSAGE, PLACEHOLDER
from dossier.models.common import ITEM_TYPES
from dossier.pipeline import session
from dossier.pipeline.scaffold import new_file

INCIDENT = "INC-2022-06-10-LOWMERE"
FILLED = {  # what a user writes in place of each placeholder, by field name
    "title": "A title", "summary": "What it shows.", "source": "SRC-NGO", "credibility": "2", "date": "2022-06-11",
    "pseudonym": "W-9", "at": "2022-06-10T09:30:00Z", "captured_at": "2022-06-11T08:00:00Z", "phase": "after",
    "shared_on": "2022-03-01", "place": "Lowmere", "lat": "48.2", "lon": "16.4", "attributed_to": "VAL",
    "name": "A new NGO", "kind": "ngo", "reliability": "B",
}
BLOCK_FIELDS = {"witness_statement": {"witness.pseudonym"}, "radio_intercept": {"intercept.at"},
                "satellite_imagery": {"imagery.captured_at", "imagery.phase"},
                "coordinate_sharing": {"deconfliction.shared_on"}, "plane_spotter_log": {"sighting.at"}}


def _problems(ws: Path) -> list:
    try:
        session.load(ws)
    except InputError as exc:
        return exc.diagnostics
    return []


def _fill(path: Path) -> None:
    """Replace each FILL IN by the value for its field, as a user would."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if PLACEHOLDER in line and not line.lstrip().startswith("#"):
            key = re.match(r"\s*-?\s*(\w+):", line).group(1)
            line = line.replace(PLACEHOLDER, FILLED[key], 1)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fields_commented(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.lstrip("# -") if not line.startswith("# ") or re.match(r"#\s+\w+:", line) else ""
        if re.match(r"\w+:", body):  # a field, written or commented out: it says what it holds
            assert re.search(r"\S\s+# \S", line), f"no explanation: {line!r}"


@pytest.mark.parametrize("item_type", ITEM_TYPES)
def test_a_new_item_of_each_type_loads_names_its_placeholders_and_is_valid_filled_in(make_ws, item_type):
    ws = make_ws("minimal")
    assert new_file(ws, "item", item_type, None, None) == [
        "wrote evidence/items/ev-0001.yaml: fill in every FILL IN, then run `dossier validate`"]
    path = ws / "evidence" / "items" / "ev-0001.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# A new evidence item ({item_type.replace('_', ' ')}), written by "
                           f"`dossier new item {item_type}`.\n")
    assert "\nid: EV-0001 " in text and f"\ntype: {item_type} " in text
    assert f"\nincidents: [{INCIDENT}] " in text  # the case's only incident
    _fields_commented(path)
    problems = _problems(ws)
    assert {d.code for d in problems} == {"placeholder"}, [d.format() for d in problems]
    assert {d.field for d in problems} == {"title", "source", "credibility", "date", "summary"} | \
        BLOCK_FIELDS.get(item_type, set())
    assert all(d.message == MESSAGE and d.location.file == "evidence/items/ev-0001.yaml" for d in problems)
    _fill(path)
    assert [d.format() for d in _problems(ws) if d.level == "error"] == []
    assert session.load(ws).items["EV-0001"].type == item_type


def test_a_new_incident_and_a_new_source_load_and_are_valid_filled_in(make_ws):
    ws = make_ws("minimal")
    sources = ws / "evidence" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    assert new_file(ws, "incident", None, None, None) == [
        "wrote evidence/incidents/inc-0001.yaml: fill in every FILL IN, then run `dossier validate`"]
    assert new_file(ws, "source", None, None, None) == [
        "added source SRC-0001 at the end of evidence/sources.yaml: fill in every FILL IN, then run `dossier validate`"]
    assert sources.read_text(encoding="utf-8").startswith(before)  # nothing else in it changed
    _fields_commented(ws / "evidence" / "incidents" / "inc-0001.yaml")
    problems = _problems(ws)
    assert {d.code for d in problems} == {"placeholder"}, [d.format() for d in problems]
    shown = [d.format() for d in problems]
    assert f"evidence/incidents/inc-0001.yaml:22:19: error: attack.attributed_to[0]: {MESSAGE}" in shown
    assert f"evidence/sources.yaml:28:3: error: name: {MESSAGE}" in shown
    assert {d.field for d in problems} == {"title", "date", "location.place", "location.lat", "location.lon",
                                          "attack.attributed_to[0]", "summary", "name", "kind", "reliability"}
    _fill(ws / "evidence" / "incidents" / "inc-0001.yaml")
    _fill(sources)
    assert [d.format() for d in _problems(ws) if d.level == "error"] == []
    case = session.load(ws)
    assert "INC-0001" in case.incidents and case.sources["SRC-0001"].reliability == "B"


def test_ids_are_fresh_and_no_file_is_overwritten(make_ws):
    ws = make_ws("minimal")
    items = ws / "evidence" / "items"
    (items / "ev-0001.yaml").write_text("# a file of the team's, whatever it holds\n", encoding="utf-8")
    (items / "old.yaml").write_text("id: EV-0007\n", encoding="utf-8")
    new_file(ws, "item", "report", None, None)
    assert (items / "ev-0008.yaml").is_file()  # after the highest number used, and not over ev-0001.yaml
    assert (items / "ev-0001.yaml").read_text(encoding="utf-8") == "# a file of the team's, whatever it holds\n"
    with pytest.raises(UsageError) as used:
        new_file(ws, "item", "report", "EV-R1", None)
    assert str(used.value) == "--id EV-R1: an item with this id exists already (evidence/items/report.yaml)"
    new_file(ws, "item", "video", "EV-CLIP-1", INCIDENT)
    assert (items / "ev-clip-1.yaml").is_file()


def test_an_item_needs_a_known_type(make_ws):
    ws = make_ws("minimal")
    with pytest.raises(UsageError) as wrong:
        new_file(ws, "item", "reprot", None, None)
    assert str(wrong.value) == ("`dossier new item` needs a TYPE, not 'reprot' (did you mean 'report'?): one of "
                                + ", ".join(ITEM_TYPES))


def test_the_command_line(make_ws, run_cli):
    ws = make_ws("minimal")
    code, out, err = run_cli(["new", "item", "witness_statement", "--workspace", ws])
    assert (code, out, err) == (0, "wrote evidence/items/ev-0001.yaml: fill in every FILL IN, then run "
                                   "`dossier validate`\n", "")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 1
    assert err.splitlines()[0] == f"evidence/items/ev-0001.yaml:7:1: error: title: {MESSAGE}"
    assert err.splitlines()[-1] == "6 errors, 0 warnings"
    code, _, err = run_cli(["new", "item", "--workspace", ws])
    assert code == 2 and err.startswith("dossier: `dossier new item` needs a TYPE: one of witness_statement, "), err
