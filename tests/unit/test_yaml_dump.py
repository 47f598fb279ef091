"""The files `dossier import` writes (dossier/loading/yamldump.py) read back as the values it checked."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from dossier.loading.yamldump import PyDumper, _node, dump, read_back
from dossier.loading.yamlfile import read_yaml

TRICKY = [
    "tRUE", "fALSE", "1e5", "1e-5", "3.0E+2", "0o12", "0x1F", "12:30", "1_000", ".5", "+1", "-0", "01", "1.", "Yes",
    "off", "null", "Null", "~", "", "  ", " lead", "trail ", ".inf", "-.inf", ".nan", "inf", "nan", "2019-05-15",
    "2019-05-15 10:00", "- x", "? x", "#x", "x #y", "a: b", "'q'", '"q"', "a'b", "[a]", "{a}", "&a", "*a", "!x", "%x",
    "@x", "`x", "<<", "=1", "\\", "line1\nline2", "x\n", "\nx", "x\n\n", "a\r\nb", "tab\there", "\t", "x\x01y",
    "<<<<<<< HEAD", "\u2028sep", "\u2029p", "\x85nel", "\ufeffbom", "日本語 text", "é" * 150 + " " + "word " * 40,
]


def test_every_value_reads_back_as_it_was_checked(tmp_path):
    data = {f"s{i}": text for i, text in enumerate(TRICKY)} | {
        "values": [1, -2, 10 ** 30, 0.5, 1e20, 1e-7, float("inf"), float("-inf"), True, False, None,
                   dt.date(2019, 5, 15), dt.datetime(2019, 5, 15, 10, 0)],
        "nested": {"list": [{"a": "1e5"}], "empty": []}}
    path = tmp_path / "x.yaml"
    path.write_text(dump(data), encoding="utf-8")
    doc, problems = read_yaml(path, "x.yaml")
    assert problems == []
    assert doc.data == read_back(data)
    assert doc.data["s2"] == "1e5" and doc.data["s0"] == "tRUE"  # YAML 1.2 would read them unquoted as 1e5, true
    assert read_back(float("nan")) == ".nan"


def test_the_text_is_what_people_write():
    assert dump({"id": "EV-1", "date": dt.date(2019, 5, 15), "title": "1e5", "tags": ["a", "yes"]}) == \
        "id: EV-1\ndate: 2019-05-15\ntitle: '1e5'\ntags:\n- a\n- 'yes'\n"


ITEM = {  # a representative imported item: the fields, nesting, long text and values a log holds
    "id": "EV-0103", "type": "witness_statement", "title": "Statement of a nurse, ward 3 — «triage»",
    "incidents": ["INC-2019-05-15-TARMALA"], "source": "SRC-AMNESTY", "credibility": 2, "date": dt.date(2019, 5, 16),
    "confidentiality": "restricted",
    "summary": "Footage matched nurse children ward unit tail courtyard hospital fence collapsed pharmacy invoice "
               "deconfliction courtyard shelling injured operating: the roof fell at 10:42, #3 of 4. " * 3,
    "witness": {"pseudonym": "W-17", "name": "Amal Q.", "protected": True},
    "consent": {"share_with": ["un", "icc"], "named": False},
    "supports": [{"element": "rs-8-2-e-iv/1", "incident": "INC-2019-05-15-TARMALA", "stance": "supports",
                  "note": "on the roof"}, {"element": "rs-8-2-e-iv/2", "stance": "contradicts"}],
    "chain_of_custody": [{"on": dt.date(2019, 5, 16), "by": "Evidence unit member 8", "action": "collected"}],
    "excerpts": [{"text": "«Nous étions au deuxième étage»\nthen the windows broke", "lang": "fr",
                  "translation": "We were on the second floor"}],
    "location": {"lat": 36.2021, "lon": 37.1343}, "casualties": {"killed": 0, "injured": 12},
    "file": {"path": "files/ev-0103.pdf", "sha256": "0" * 64}, "derived_from": [], "tags": ["yes", "1e5", "12:30"],
}


@pytest.mark.parametrize("data", [ITEM, [ITEM, {"id": "SRC-1", "name": "no"}],
                                  {f"s{i}": t for i, t in enumerate(TRICKY) if t != "\x85nel"}],
                         ids=["item", "list", "tricky"])
def test_libyaml_writes_what_the_pure_python_dumper_writes(data):
    """The files are written through libyaml's emitter (ten times faster) from nodes built here: the text is the
    one PyYAML's pure-Python dumper writes, through its representer or from the same nodes."""
    assert yaml.__with_libyaml__  # what the project installs (setup.sh); without it Dumper is the pure one
    text = dump(data)
    assert text == yaml.dump(data, Dumper=PyDumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                             width=100)
    assert text == yaml.serialize(_node(data), Dumper=PyDumper, allow_unicode=True, width=100)


def test_the_sample_case_is_written_as_the_pure_python_dumper_writes_it():
    from conftest import REPO

    files = sorted((REPO / "evidence").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        doc, problems = read_yaml(path, path.name)
        assert doc is not None and not problems
        assert dump(doc.data) == yaml.dump(doc.data, Dumper=PyDumper, sort_keys=False, allow_unicode=True,
                                           default_flow_style=False, width=100), path


def test_a_next_line_character_is_escaped_where_the_pure_python_dumper_loses_it():
    """The one difference found: PyYAML's pure-Python emitter writes U+0085 raw in single quotes, which reads back
    as a space; libyaml escapes it, and it reads back as written (the test above reads every TRICKY value back)."""
    assert dump({"k": "\x85nel"}) == 'k: "\\Nnel"\n'
    assert yaml.safe_load(yaml.dump({"k": "\x85nel"}, Dumper=PyDumper, allow_unicode=True)) == {"k": " nel"}
