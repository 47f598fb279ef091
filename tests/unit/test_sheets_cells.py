"""Cells read as their column's kind (spreadsheets.md, "Cells"), and the columns derived from the models."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from dossier.diagnostics import Diagnostics
from dossier.loading.sheets import Cell, CellLocation, _delimiter, read_table
from dossier.models.columns import child_sheets, columns_of
from dossier.pipeline.sheet_rows import Parsed, _Bad, _supports, read_value

LOC = CellLocation("log.xlsx", 14, 5, "Items")


def cell(value, fmt="General"):
    return Cell(value, LOC, fmt, isinstance(value, (datetime, date, time)))


def test_cell_location_is_printed_as_excel_names_it():
    assert str(LOC) == "log.xlsx:Items!E14"
    assert str(CellLocation("log.xlsx", 2, 28, "Items")) == "log.xlsx:Items!AB2"


def test_dates():
    assert read_value(cell(datetime(2019, 5, 15)), "date") == date(2019, 5, 15)
    assert read_value(cell(" 2019-05-15 "), "date") == "2019-05-15"  # text: the model decides
    with pytest.raises(_Bad, match="this date cell has the time 10:30:00"):
        read_value(cell(datetime(2019, 5, 15, 10, 30)), "date")


def test_instants_need_their_offset():
    assert read_value(cell("2019-05-05T14:02:00Z"), "instant") == "2019-05-05T14:02:00Z"
    with pytest.raises(_Bad, match=r"no time-zone offset.*2019-05-05T14:02:00Z"):
        read_value(cell(datetime(2019, 5, 5, 14, 2)), "instant")


def test_times_numbers_booleans_lists():
    assert read_value(cell(time(14, 30)), "time") == "14:30"
    assert read_value(cell(12, "0000"), "text") == "0012"
    assert read_value(cell("0012"), "text") == "0012"
    assert read_value(cell(3.5, "0.00"), "text") == "3.50"
    assert read_value(cell(7.0), "text") == "7"
    assert read_value(cell(2.0), "int") == 2
    assert read_value(cell("3"), "int") == 3
    assert read_value(cell("B2"), "int") == "B2"  # the model then says why
    assert read_value(cell("35,58"), "number") == 35.58
    for text, value in (("TRUE", True), ("no", False), ("Yes", True), ("0", False), (True, True), (1, True)):
        assert read_value(cell(text), "bool") is value
    with pytest.raises(_Bad, match=r"must be TRUE or FALSE \(or yes/no, 1/0\) \(got 'maybe'\)"):
        read_value(cell("maybe"), "bool")


def test_supports_short_form():
    parsed = Parsed("item", "EV-1", {}, LOC)
    out = _supports(cell("rs-8-2-e-iv/1; !rs-8-2-e-iv/2@INC-2019-05-15-TARMALA"), parsed, Diagnostics())
    assert out == [{"element": "rs-8-2-e-iv/1"},
                   {"element": "rs-8-2-e-iv/2", "incident": "INC-2019-05-15-TARMALA", "stance": "contradicts"}]
    assert parsed.loc("supports[1].incident") == LOC


def test_columns_come_from_the_models():
    items = columns_of("items")
    assert items["intercept.at"].kind == "instant"
    assert items["imagery.location.lat"].kind == "number"
    assert items["incidents"].is_list and items["consent.share_with"].is_list
    assert items["type"].choices[0] == "witness_statement"
    incidents = columns_of("incidents")
    assert incidents["window.from"].kind == "date" and incidents["time"].kind == "time"
    assert incidents["location.protect"].kind == "bool" and incidents["casualties.killed"].kind == "int"
    sheets = child_sheets()
    assert sheets["Custody"] is not None and "role" in sheets["Custody"].model.model_fields


def test_csv_delimiter_and_byte_order_mark(tmp_path):
    assert _delimiter("id;name;kind;reliability\n") == ";"
    assert _delimiter('id,name,"a;b;c"\n') == ","
    path = tmp_path / "log.csv"
    path.write_bytes("\ufeffid;name\r\nSRC-1;\"Médecins; sans\"\r\n".encode())
    (sheet,), problems = read_table(path, "log.csv")
    assert problems == [] and list(sheet.columns) == ["id", "name"]
    assert sheet.rows[0].cells["name"].value == "Médecins; sans"
    assert str(sheet.rows[0].cells["name"].loc) == "log.csv:2:2"


@pytest.mark.parametrize("xml", [
    "<is><t>plain</t></is>",
    '<is><t xml:space="preserve">  spaced  </t></is>',
    "<is><t/></is>",
    "<is/>",
    "<is><r><t>bold</t></r><r><rPr><b/></rPr><t> and not</t></r></is>",
    "<is><r><t>word</t></r><rPh sb='0' eb='1'><t>guide</t></rPh></is>",
    "<is><t>one</t><t>two</t></is>",
])
def test_inline_strings_read_as_openpyxl_reads_them(xml):
    from xml.etree.ElementTree import fromstring

    from openpyxl.cell.text import Text

    from dossier.loading.sheets import _inline_text

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    element = fromstring(xml.replace("<is", f'<is xmlns="{ns}"', 1))
    assert _inline_text(element) == Text.from_tree(element).content
