"""`dossier build --submission ID`: the PDF and, for the IIIM, the hand-over package beside it, built from the
canary workspace; its SHA256SUMS verified with `sha256sum -c`, the PDF with `dossier verify`; a second build
renders nothing; a withdrawn consent takes the statement's file out of the package at the next build.
(tests/e2e/test_leaks.py searches every submission PDF and package file for canaries.)"""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

from canaries import SEED, SUB_IIIM, SUB_SP, Plan, _dump, _load, make_workspace
from conftest import ENGINE_WARNING, invoke_dossier, run_dossier

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not all(shutil.which(t) for t in ("sha256sum", "pdftotext")),
                                 reason="needs sha256sum and pdftotext")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    plan = Plan(random.Random(SEED))
    ws, renamed = make_workspace(tmp_path_factory.mktemp("subbuild"), plan)
    code, out, err = run_dossier(["build", "-q", "-j", "1", "--submission", SUB_SP, "--submission", SUB_IIIM,
                                  "--workspace", ws], timeout=900)
    assert code == 0, err[-3000:]
    assert not ENGINE_WARNING.findall(err), ENGINE_WARNING.findall(err)  # our templates give the engine no warning
    return plan, ws, renamed


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_only_the_submissions_are_built(built):
    plan, ws, renamed = built
    out = ws / "out"
    assert not (out / "un").exists() and not (out / "internal").exists()
    sp = sorted(p.relative_to(out).as_posix() for p in (out / "submissions" / SUB_SP).rglob("*") if p.is_file())
    assert sp == [f"submissions/{SUB_SP}/{SUB_SP}.pdf"]  # no package for the Special Procedures


def test_the_iiim_package_verifies_with_sha256sum(built):
    plan, ws, renamed = built
    folder = ws / "out" / "submissions" / SUB_IIIM
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    exhibits = [n for n in names if n.startswith("exhibits/")]
    assert names == sorted(["SHA256SUMS", f"{SUB_IIIM}.pdf", "custody.json", "manifest.json", *exhibits])
    assert exhibits and all(n.startswith("exhibits/exh-") for n in exhibits)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    assert listed == set(names) - {"SHA256SUMS"}
    # the statement whose consent names the IIIM is handed over; one whose consent says un_bodies is not
    assert any(renamed["ED-WIT-IIIM"] in n for n in exhibits)
    assert not any(renamed["ED-WIT-UN"] in n for n in exhibits)
    custody = json.loads((folder / "custody.json").read_text(encoding="utf-8"))
    assert {e["item"] for e in custody["items"]} >= {renamed["ED-WIT-IIIM"]}
    assert all(c["held_by"] in ("custodian", "field team") for e in custody["items"] for c in e["chain_of_custody"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["submission"]["id"] == SUB_IIIM and manifest["submission"]["body"] == "iiim"
    assert manifest["subject"] == {"kind": "submission", "id": SUB_IIIM}


def test_what_each_body_may_see_is_in_its_pdf(built):
    """The positive control of the leak test: consent per body shows up in the right PDF."""
    plan, ws, renamed = built
    sp = _pdf_text(ws / "out" / "submissions" / SUB_SP / f"{SUB_SP}.pdf")
    iiim = _pdf_text(ws / "out" / "submissions" / SUB_IIIM / f"{SUB_IIIM}.pdf")
    named = next(c.text for c in plan.canaries if c.where == "name of a victim named to UN bodies")
    unnamed = next(c.text for c in plan.canaries
                   if c.where == "pseudonym of a victim who consented to the IIIM, not named")
    assert named in sp and named not in iiim
    assert unnamed in iiim and unnamed not in sp
    assert "COMMUNICATION TO THE UN SPECIAL PROCEDURES" in sp and "FOR THE IIIM" in iiim


def test_verify_reads_a_submission_and_a_second_build_renders_nothing(built):
    plan, ws, renamed = built
    pdf = ws / "out" / "submissions" / SUB_SP / f"{SUB_SP}.pdf"
    code, out, err = invoke_dossier(["verify", pdf, "--workspace", ws])
    assert code == 0, out + err
    assert f"submission {SUB_SP}" in out and "ok: every input the manifest records" in out
    before = pdf.read_bytes()
    code, out, err = run_dossier(["build", "--submission", SUB_SP, "--workspace", ws], timeout=600)
    assert code == 0, err
    assert pdf.read_bytes() == before
    assert "built 0 rendered, 1 unchanged" in err, err[-800:]
    code, out, err = run_dossier(["build", "-q", "--force", "--submission", SUB_SP, "--workspace", ws], timeout=600)
    assert code == 0, err
    assert pdf.read_bytes() == before  # reproducible: rendered again, the same bytes


def test_a_changed_exhibit_shown_only_to_the_iiim_is_refused(built):
    """A statement only the IIIM may see is not in the un edition: its changed file still stops the build."""
    plan, ws, renamed = built
    item = _load(ws / "evidence" / "items" / "witnesses" / "ed-wit-iiim.yaml")
    exhibit = ws / "evidence" / item["file"]["path"]
    original = exhibit.read_bytes()
    exhibit.write_bytes(original + b"tampered\n")
    try:
        code, out, err = run_dossier(["build", "-q", "--submission", SUB_IIIM, "--workspace", ws], timeout=600)
        assert code == 1, err
        assert f"error: {renamed['ED-WIT-IIIM']}: file.sha256: " in err and "nothing is built with it" in err, err
    finally:
        exhibit.write_bytes(original)


def test_a_withdrawn_consent_leaves_the_package_at_the_next_build(built):
    plan, ws, renamed = built
    path = ws / "evidence" / "items" / "witnesses" / "ed-wit-iiim.yaml"
    item = _load(path)
    item["consent"]["withdrawn_on"] = "2022-03-01"
    _dump(path, item)
    code, out, err = run_dossier(["build", "-q", "-j", "1", "--submission", SUB_IIIM, "--workspace", ws],
                                 timeout=900)
    assert code == 0, err[-2000:]
    folder = ws / "out" / "submissions" / SUB_IIIM
    assert not any(renamed["ED-WIT-IIIM"] in p.name for p in folder.rglob("*"))
    assert renamed["ED-WIT-IIIM"] not in (folder / "SHA256SUMS").read_text()
    assert renamed["ED-WIT-IIIM"] not in _pdf_text(folder / f"{SUB_IIIM}.pdf")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    code, out, err = invoke_dossier(["verify", folder / f"{SUB_IIIM}.pdf", "--workspace", ws])
    assert code == 0, out + err
