"""`dossier import`: each problem with its exact text and cell, nothing written unless all is valid."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import openpyxl
import pytest

from dossier.diagnostics import InputError
from dossier.loading import sheets as sheets_module
from dossier.loading.workspace import load_case
from dossier.pipeline.importing import import_table

from conftest import REPO

ITEM = ["id", "type", "title", "incidents", "source", "credibility", "date", "summary"]
ROW = ["EV-NEW", "photo", "A photo", "INC-2019-05-15-TARMALA", "SRC-AMNESTY", 2, date(2019, 5, 15), "What it shows"]


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(REPO / "evidence", root / "evidence")
    return root


def book(path, **sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def problems(path, ws, **kw):
    before = sorted(p.relative_to(ws) for p in ws.rglob("*"))
    with pytest.raises(InputError) as exc:
        import_table(path, path.name, ws, kw.get("kind"), None, kw.get("update", False), False)
    assert sorted(p.relative_to(ws) for p in ws.rglob("*")) == before  # nothing written
    return sorted(d.format() for d in exc.value.diagnostics if d.level == "error")


def test_every_problem_at_its_cell(ws, tmp_path):
    path = book(tmp_path / "log.xlsx", Items=[
        ITEM + ["witness.name", "colour"],
        ["EV-A", "photo", "t", "INC-2019-05-15-TARMALA", "SRC-AMNESTY", "B2", datetime(2019, 5, 15, 10), "s", "Bob"],
        ["EV-A"] + ROW[1:],
        ["EV-0037"] + ROW[1:],
        ["EV-B", None] + ROW[2:],
    ], Itemz=[["id"]])
    assert problems(path, ws) == sorted([
        "log.xlsx:Itemz!A1: error: unknown sheet 'Itemz' (did you mean 'Items'?); a workbook holds the sheets "
        "Items, Sources, Incidents, Supports, Custody, Excerpts, Assessments, Victims (Completeness is ignored)",
        "log.xlsx:Items!J1: error: unknown column 'colour'; see the template (`dossier export --template "
        "FILE.xlsx`) for the columns of this sheet",
        "log.xlsx:Items!F2: error: credibility: must be an integer from 1 to 6 (got 'B2'; the letter grades the "
        "source, in Sources)",
        "log.xlsx:Items!G2: error: date: a date field holds only the date, and this date cell has the time "
        "10:00:00: format the cell as a date, or write the date as text YYYY-MM-DD",
        "log.xlsx:Items!I2: error: witness.name: the 'witness' block belongs to items of type witness_statement, "
        "not photo: clear the cell or change the type",
        "log.xlsx:Items!A3: error: id: item id 'EV-A' appears twice (also log.xlsx:Items!A2)",
        "log.xlsx:Items!A4: error: id: item 'EV-0037' is already in the workspace "
        "(evidence/items/tarmala/ev-0037.yaml:1:1): pass --update to change it, or give the row a new id",
        "log.xlsx:Items!B5: error: type: required field is missing: add it",
    ])


def test_workspace_check_is_mapped_to_the_cell(ws, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("id,type,title,incidents,source,credibility,date,summary\n"
                    "EV-NEW,photo,A photo,INC-2019-05-15-TARMALA,SRC-AMNSTY,2,2019-05-15,s\n", encoding="utf-8")
    assert problems(path, ws) == [
        "log.csv:2:5: error: source: unknown source 'SRC-AMNSTY' (did you mean 'SRC-AMNESTY'?)"]


def test_formulas_and_merged_cells_are_refused(ws, tmp_path):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Items"
    sheet.append(ITEM)
    sheet.append(ROW)
    sheet["F2"] = "=1+1"
    sheet.merge_cells("C2:D2")
    wb.save(tmp_path / "log.xlsx")
    found = problems(tmp_path / "log.xlsx", ws)
    assert "log.xlsx:Items!F2: error: the cell holds a formula: replace it by its value (copy, then Paste " \
           "Special > Values)" in found
    assert "log.xlsx:Items!C2: error: merged cells are not read: unmerge them (Home > Merge & Center) and fill " \
           "every cell" in found


def test_supports_in_both_forms(ws, tmp_path):
    path = book(tmp_path / "log.xlsx", Items=[ITEM + ["supports"], ROW + ["rs-8-2-e-iv/1"]],
                Supports=[["item", "element"], ["EV-NEW", "rs-8-2-e-iv/2"]])
    assert problems(path, ws) == [
        "log.xlsx:Supports!A2: error: item: the mappings of item 'EV-NEW' are given both in its supports column "
        "(log.xlsx:Items!I2) and in the Supports sheet: keep one of them"]


def test_too_many_rows(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(sheets_module, "MAX_ROWS", 2)
    path = book(tmp_path / "log.xlsx", Items=[ITEM, ROW, ROW, ROW, ROW])
    assert problems(path, ws) == ["log.xlsx:Items!A5: error: the sheet has 4 rows; at most 2 are read from one "
                                  "sheet: split the log into several files"]


@pytest.mark.parametrize("name, data, message", [
    ("log.xlsm", b"PK", "macro-enabled workbooks (.xlsm) are not read: save a copy as 'Excel Workbook (.xlsx)' "
                        "and import that"),
    ("log.xls", b"\xd0\xcf\x11\xe0", ".xls files are not read: open it in Excel or LibreOffice and save a copy as "
                                    "'Excel Workbook (.xlsx)', or as 'CSV UTF-8'"),
    ("log.xlsx", b"not a zip", "not a readable Excel workbook (.xlsx): the file is damaged or of another kind; "
                               "open it in Excel and save it again"),
    ("log.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
     "the workbook is password-protected: open it, remove the password (File > Info > Protect Workbook > "
     "Encrypt with Password) and save it again"),
    ("log.csv", b"id,name\n\xe9t\xe9,x\n", "the file is not UTF-8 text: in Excel save it as 'CSV UTF-8 (Comma "
                                           "delimited)'; in LibreOffice choose the character set 'Unicode (UTF-8)'"),
])
def test_files_refused(ws, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    found = problems(path, ws, kind="sources")
    assert len(found) == 1 and found[0].endswith(f"error: {message}"), found


def test_update_keeps_the_layout(ws, tmp_path):
    target = ws / "evidence" / "items" / "tarmala" / "ev-0037.yaml"
    before = target.read_text(encoding="utf-8")
    path = book(tmp_path / "log.xlsx", Items=[["id", "title", "credibility", "summary"], ["EV-0037", "New", 3, None]])
    lines = import_table(path, "log.xlsx", ws, None, None, True, False)
    assert "updated evidence/items/tarmala/ev-0037.yaml" in lines
    after = target.read_text(encoding="utf-8")
    expected = before.replace("title: Satellite image of the Tarmala hospital before the strike", "title: New") \
        .replace("credibility: 2", "credibility: 3")
    assert after == expected  # the summary (empty cell) is kept, and every other line as it was


def test_dry_run_and_new_files(ws, tmp_path):
    path = book(tmp_path / "log.xlsx", Items=[ITEM + ["supports"], ROW + ["rs-8-2-e-iv/1; !rs-8-2-e-iv/2"]])
    lines = import_table(path, "log.xlsx", ws, None, None, False, True)
    assert lines[-2:] == ["would create evidence/items/imported/EV-NEW.yaml", "dry run: nothing was written"]
    assert not (ws / "evidence" / "items" / "imported").exists()
    import_table(path, "log.xlsx", ws, None, None, False, False)
    text = (ws / "evidence" / "items" / "imported" / "EV-NEW.yaml").read_text(encoding="utf-8")
    assert "stance: contradicts" in text and "date: 2019-05-15" in text


def test_text_that_yaml_would_read_as_a_number_stays_text(ws, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("id,type,title,incidents,source,credibility,date,summary\n"
                    "EV-NEW,photo,1e5,INC-2019-05-15-TARMALA,SRC-AMNESTY,2,2019-05-15,tRUE\n", encoding="utf-8")
    import_table(path, path.name, ws, None, None, False, False)
    text = (ws / "evidence" / "items" / "imported" / "EV-NEW.yaml").read_text(encoding="utf-8")
    assert "title: '1e5'\n" in text and "summary: 'tRUE'\n" in text
    item = load_case(ws).items["EV-NEW"]
    assert (item.title, item.summary) == ("1e5", "tRUE")  # not the number 100000.0, not the boolean true


def test_update_changes_two_objects_of_one_file(ws, tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("id,name,kind,reliability\nSRC-AMNESTY,Amnesty X,ngo,B\nSRC-PHR,PHR X,ngo,B\n", encoding="utf-8")
    lines = import_table(path, path.name, ws, "sources", None, True, False)
    assert "updated evidence/sources.yaml" in lines
    sources = load_case(ws).sources
    assert (sources["SRC-AMNESTY"].name, sources["SRC-PHR"].name) == ("Amnesty X", "PHR X")


def test_update_writes_text_yaml_would_read_as_a_number_quoted(ws, tmp_path):
    path = book(tmp_path / "log.xlsx", Items=[["id", "title"], ["EV-0037", "1e5"]])
    import_table(path, "log.xlsx", ws, None, None, True, False)
    assert "title: '1e5'\n" in (ws / "evidence" / "items" / "tarmala" / "ev-0037.yaml").read_text(encoding="utf-8")
    assert load_case(ws).items["EV-0037"].title == "1e5"


def test_workspace_warnings_name_their_item_at_the_cell(ws, tmp_path):
    """A reviewer reading the warning must see which item it is about, as in `validate` (issue 15, item 5)."""
    path = book(tmp_path / "log.xlsx", Items=[ITEM, ROW],
                Custody=[["item", "on", "action", "by"], ["EV-NEW", date(2019, 5, 16), "received", "analyst"]])
    lines = import_table(path, path.name, ws, None, None, False, True)
    warnings = [line for line in lines if ": warning: " in line]
    assert warnings and all(": warning: EV-NEW: " in line for line in warnings), lines


def test_a_read_workbook_makes_no_reference_cycle(tmp_path):
    """Rows refer to their sheet's layout, not to the sheet that holds them: freed as soon as they are dropped,
    never left to the cyclic collector (seconds for a log of 10,000 rows)."""
    import gc

    from dossier.loading.sheets import read_table

    path = book(tmp_path / "log.xlsx", Items=[ITEM, ROW, ["EV-2"] + ROW[1:]])
    csv_path = tmp_path / "log.csv"
    csv_path.write_text(",".join(ITEM) + "\nEV-1,photo,t,INC-1,SRC-1,2,2019-05-15,s\n", encoding="utf-8")
    for source in (path, csv_path):
        sheets, _ = read_table(source, source.name)
        assert sheets[0].rows and sheets[0].rows[0].loc("title")
        gc.collect()
        was = gc.isenabled()
        gc.disable()
        try:
            del sheets
            assert gc.collect() == 0
        finally:
            if was:
                gc.enable()


def test_suppressed_warnings_of_imported_rows_are_not_printed(ws, tmp_path):
    """suppress_warnings applies to what import prints, the exhibit file's warnings included."""
    path = book(tmp_path / "log.xlsx", Items=[ITEM + ["file.path"], ROW + ["files/not-there.jpg"]])
    lines = import_table(path, path.name, ws, None, None, False, True)
    assert any(line.endswith("[file-missing]") for line in lines) and any(line.endswith("[no-hash]") for line in lines)
    case_yaml = ws / "evidence" / "case.yaml"
    case_yaml.write_text(case_yaml.read_text(encoding="utf-8")
                         + "suppress_warnings:\n  - no-hash\n  - file-missing\n", encoding="utf-8")  # EV-NEW is not yet an id
    lines = import_table(path, path.name, ws, None, None, False, True)
    assert not any("[file-missing]" in line or "[no-hash]" in line for line in lines), lines
    assert any(line.endswith("[no-supports]") for line in lines), lines


def test_the_written_files_load_back_as_the_case_checked(ws, tmp_path, monkeypatch):
    """The import checks the workspace in memory, with its new and changed files as they are about to be written:
    the files written then load back (from disk, read as `dossier validate` reads them) as that very case."""
    from dossier.pipeline import importing
    from dossier.pipeline.session import load as load_session

    checked = []

    def load(*args, **kwargs):
        checked.append(load_session(*args, **kwargs))
        return checked[-1]

    monkeypatch.setattr(importing.session, "load", load)
    path = book(tmp_path / "log.xlsx",
                Items=[ITEM + ["supports", "derived_from"],
                       ROW + ["rs-8-2-e-iv/1; !rs-8-2-e-iv/2", None],
                       ["EV-NEW2", "photo", "1e5", "INC-2019-05-15-TARMALA", "SRC-NEW", 3, "2019-05-16",
                        "tRUE: «x» #y\nline 2 \u2028 " + "word " * 40, None, "EV-NEW"],
                       ["EV-0037", None, "A changed title", None, None, 3, None, None, None, None]],
                Sources=[["id", "name", "kind", "reliability"], ["SRC-NEW", "no", "ngo", "C"]],
                Custody=[["item", "on", "action", "by"], ["EV-NEW", date(2019, 5, 16), "received", "analyst"]])
    lines = import_table(path, "log.xlsx", ws, None, None, True, False)
    assert "updated evidence/items/tarmala/ev-0037.yaml" in lines and "created evidence/items/imported/EV-NEW2.yaml" \
        in lines and len(checked) == 1
    loaded = load_session(ws, check_files=False)  # as the import checked it (its exhibit check is apart)
    for kind in ("items", "sources", "incidents"):
        before, after = getattr(checked[0], kind), getattr(loaded, kind)
        assert {k: v.model_dump() for k, v in before.items()} == {k: v.model_dump() for k, v in after.items()}, kind
    assert (loaded.items["EV-NEW2"].title, loaded.items["EV-0037"].title) == ("1e5", "A changed title")
    assert loaded.origins == checked[0].origins and loaded.warnings == checked[0].warnings
    assert any(d.location.file.startswith("evidence/items/imported/") and d.location.line > 1 for d in loaded.warnings)


@pytest.mark.parametrize("fail_at", ["create", "write", "changed"])
def test_a_write_failing_part_way_leaves_the_workspace_as_it_was(ws, tmp_path, monkeypatch, fail_at):
    """All or nothing: a disk that fills (or any failure) while the files are written removes the new files already
    written and restores the changed ones; the error names the file, as every output error does."""
    import errno
    import os

    from dossier.atomic import OutputError
    from dossier.pipeline import importing

    rows = [ITEM] + [[f"EV-N{i}"] + ROW[1:] for i in range(5)] + [["EV-0037", None, "New title"] + [None] * 5]
    path = book(tmp_path / "log.xlsx", Items=rows)
    before = {p.relative_to(ws): p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    calls = {"open": 0, "write": 0}
    real_open, real_write = os.open, os.write

    def failing_open(name, flags, *args, **kwargs):
        calls["open"] += 1
        if fail_at == "create" and calls["open"] == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(name, flags, *args, **kwargs)

    def failing_write(fd, data):
        calls["write"] += 1
        if fail_at == "write" and calls["write"] == 3:
            real_write(fd, bytes(data[:5]))  # half a file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    def failing_atomic(target, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(importing.os, "open", failing_open)
    monkeypatch.setattr(importing.os, "write", failing_write)
    if fail_at == "changed":  # the new files are all written, then changing the existing one fails
        monkeypatch.setattr(importing, "write_text_atomic", failing_atomic)
    with pytest.raises((OutputError, OSError)) as exc:
        import_table(path, "log.xlsx", ws, None, None, True, False)
    if fail_at != "changed":
        assert str(exc.value).startswith("evidence/items/imported/EV-N") and "No space left" in str(exc.value)
    monkeypatch.undo()
    after = {p.relative_to(ws): p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    assert after == before
