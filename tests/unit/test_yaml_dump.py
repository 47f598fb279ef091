"""The files `dossier import` writes (dossier/loading/yamldump.py) read back as the values it checked."""

from __future__ import annotations

import datetime as dt

from dossier.loading.yamldump import dump, read_back
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
