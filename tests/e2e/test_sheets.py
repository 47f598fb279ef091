"""Spreadsheets end to end: the round trip on the sample case, the template, and the edition filter on export."""

from __future__ import annotations

import json
import random
import shutil
import zipfile

import openpyxl
import pytest

from canaries import SEED, Plan, make_workspace
from conftest import REPO


def _elements(report: dict) -> dict:
    return {(inc["id"], ch["norm"], el["id"]): (el["status"], sorted(el["supporting"]), sorted(el["contradicting"]),
                                                el["independent_sources"])
            for inc in report["incidents"] for ch in inc["charges"] for el in ch["elements"]}


def test_round_trip_on_the_sample_case(tmp_path, run_cli):
    book = tmp_path / "case.xlsx"
    code, out, err = run_cli(["export", "--workspace", REPO, "--output", book])
    assert code == 0, err
    fresh = tmp_path / "fresh"
    code, _, err = run_cli(["init", "--empty", fresh])
    assert code == 0, err
    assert [p.name for p in (fresh / "evidence").rglob("*")] == ["case.yaml"]
    shutil.copyfile(REPO / "evidence" / "case.yaml", fresh / "evidence" / "case.yaml")
    shutil.copytree(REPO / "evidence" / "files", fresh / "evidence" / "files")
    code, out, err = run_cli(["import", book, "--workspace", fresh])
    assert code == 0, err + out
    reports = []
    for ws in (REPO, fresh):
        code, out, err = run_cli(["report", "--workspace", ws, "--format", "json"])
        assert code == 0, err
        reports.append(json.loads(out))
    assert _elements(reports[0]) == _elements(reports[1])
    assert len(_elements(reports[0])) > 100
    assert reports[0]["counts"] == reports[1]["counts"]
    # a workbook carries no submissions to UN bodies: their checks before sending are the YAML workspace's alone
    codes = lambda r: sorted((w["code"], w["message"]) for w in r["warnings"]  # noqa: E731
                             if not w["code"].startswith("presend-"))
    assert codes(reports[0]) == codes(reports[1])


def test_template(tmp_path, run_cli):
    path = tmp_path / "template.xlsx"
    code, _, err = run_cli(["export", "--template", path])
    assert code == 0, err
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:6] == ["Items", "Sources", "Incidents", "Supports", "Custody", "Excerpts"]
    items = wb["Items"]
    headers = {c.value: c for c in items[1]}
    assert "Admiralty" in headers["credibility"].comment.text
    assert headers["witness.name"].comment.text.endswith("Only for items of type witness_statement.")
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in items.data_validations.dataValidation}
    assert lists[headers["type"].column_letter + "2"].startswith('"witness_statement,radio_intercept')
    assert lists[headers["confidentiality"].column_letter + "2"] == '"public,restricted,confidential"'
    assert lists[headers["imagery.phase"].column_letter + "2"] == '"before,after"'
    assert lists[headers["credibility"].column_letter + "2"] == '"1,2,3,4,5,6"'
    sources = {c.value: c for c in wb["Sources"][1]}
    assert any(dv.formula1 == '"A,B,C,D,E,F"' for dv in wb["Sources"].data_validations.dataValidation)
    assert "kind" in sources
    assert wb.properties.creator == "dossier" and not wb.properties.lastModifiedBy
    # a field the program sets when it filters an edition is no column: the import would refuse it
    assert "on_material_not_shown" not in [c.value for c in wb["Assessments"][1]]
    assert out_hint(run_cli, tmp_path) == (f"wrote {tmp_path / 't2.xlsx'}: fill it in, then run "
                                           f"`dossier import {tmp_path / 't2.xlsx'} --workspace {tmp_path}`")
    # the template imports as nothing to do
    fresh = tmp_path / "fresh"
    run_cli(["init", "--empty", fresh])
    code, out, err = run_cli(["import", path, "--workspace", fresh])
    assert code == 0 and "nothing to change" in out, err + out


def out_hint(run_cli, tmp_path):
    code, out, err = run_cli(["export", "--template", tmp_path / "t2.xlsx", "--workspace", tmp_path])
    assert code == 0, err
    return out.strip()


@pytest.mark.parametrize("edition", ["un", "public"])
def test_export_withholds_what_the_edition_withholds(tmp_path, run_cli, edition):
    plan = Plan(random.Random(SEED))
    ws, _ = make_workspace(tmp_path, plan)
    withheld = [c for c in plan.canaries if edition in c.absent_in]
    assert len(withheld) > 40
    book, folder = tmp_path / "out.xlsx", tmp_path / "csv"
    for fmt, target in (("xlsx", book), ("csv", folder)):
        code, _, err = run_cli(["export", "--workspace", ws, "--edition", edition, "--format", fmt, "--output", target])
        assert code == 0, err
    texts = []
    wb = openpyxl.load_workbook(book)
    for sheet in wb.worksheets:
        assert sheet.sheet_state == "visible"
        texts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                texts.append(str(cell.value))
                if cell.comment:
                    texts.append(cell.comment.text + cell.comment.author)
    texts += [str(v) for v in vars(wb.properties).values()]
    with zipfile.ZipFile(book) as archive:
        texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    texts += [p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv")]
    everything = "\n".join(texts)
    leaked = [c.where for c in withheld if c.text in everything]
    assert leaked == []
    # the internal edition shows them: the search can find what it looks for
    code, _, err = run_cli(["export", "--workspace", ws, "--output", tmp_path / "internal.xlsx"])
    with zipfile.ZipFile(tmp_path / "internal.xlsx") as archive:
        internal = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert [c for c in withheld if c.shown_internal and c.text.startswith("CANARY") and c.text in internal]
