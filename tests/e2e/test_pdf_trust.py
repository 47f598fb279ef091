"""What a reader of a built PDF must be able to trust: PDF/A-3b, the embedded manifest, reproducible bytes,
`dossier verify`, `dossier hash`, builds that survive being killed, and the case dossier's page numbers.

Builds run in subprocesses, as a user runs them (verify, hash and validate in this process). Builds are
expensive, so module-scoped fixtures build a root once and many tests read the result:

- ``golden_build``: tests/roots/golden (one incident, four items, an Arabic excerpt, a Russian
  intercept, an exhibit file), every edition, ``--jobs 2``;
- ``editions_build``: tests/roots/editions, every edition, to compare manifests.

Both are the session's shared builds (conftest's ``built_workspace``), read by other modules too.

Tests that change a workspace work on a copy (``clone``), never on the fixture's folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pypdf
import pytest
import yaml

from conftest import (
    EDITIONS_BUILD,
    GOLDEN_BUILD,
    REPO,
    cli_env,
    copy_root,
    dossier_command,
    invoke_dossier,
    run_dossier,
)

GOLDEN_INCIDENT = "INC-2023-02-14-QARNAZ"
GOLDEN_ITEMS = {"EV-G1", "EV-G2", "EV-G3", "EV-G4"}
GOLDEN_PUBLIC_ITEMS = {"EV-G1", "EV-G2"}  # EV-G3 is confidential, EV-G4 restricted
GOLDEN_FILE = "evidence/files/ev-g4-after.txt"
EDITIONS = ("internal", "un", "public")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


# ---------------------------------------------------------------- helpers


def cli(*args, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300):
    """``dossier *args`` -> (exit code, stdout, stderr): a build in a subprocess of its own, as a user runs
    it (the reproducibility tests compare builds made by different processes); verify, hash and validate
    in this process (conftest's ``invoke_dossier``)."""
    run = run_dossier if args[0] == "build" else invoke_dossier
    return run(args, cwd=cwd, env=env, timeout=timeout)


def no_traceback(rc: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err and "internal error" not in out + err and rc != 3, \
        f"a traceback / internal error (a bug):\n{out}\n{err}"


def clone(ws: Path, dest: Path) -> Path:
    """A copy of a built workspace (with its out/, modification times kept)."""
    target = dest / ws.name
    shutil.copytree(ws, target, symlinks=True)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def tool(*cmd) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, errors="replace", timeout=120)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdfs(ws: Path) -> list[Path]:
    """The PDFs a user reads: out/<edition>/*.pdf."""
    return sorted(p for e in EDITIONS for p in (ws / "out" / e).glob("*.pdf") if not p.name.startswith("."))


def outputs(ws: Path) -> dict[str, str]:
    """sha256 of every output (PDF and JSON in out/<edition>/), by path relative to out/."""
    out = ws / "out"
    return {str(p.relative_to(out)): sha256(p) for e in EDITIONS for p in sorted((out / e).glob("*"))
            if p.is_file() and p.suffix in (".pdf", ".json") and not p.name.startswith(".")}


def manifest_of(pdf: Path) -> dict:
    with pikepdf.open(pdf) as doc:
        return json.loads(doc.attachments["manifest.json"].get_file().read_bytes().decode("utf-8"))


def pdfinfo(pdf: Path, *opts) -> dict[str, str]:
    result = tool("pdfinfo", *opts, pdf)
    assert result.returncode == 0, result.stderr
    info = {}
    for line in result.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def font_rows(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb column) of every font pdffonts lists."""
    result = tool("pdffonts", pdf)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("---"), result.stdout
    rows = []
    for line in lines[2:]:
        if line.strip():
            cols = line.split()  # name type... encoding emb sub uni num gen: count from the right
            rows.append((cols[0], cols[-5]))
    return rows


def qpdf_check(pdf: Path) -> subprocess.CompletedProcess:
    return tool("qpdf", "--check", pdf)


def plain_weasyprint_pdf(html: str = "<p>Not built by dossier.</p>", **kwargs) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(**kwargs)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def golden_build(built_workspace) -> Path:
    """The shared build of tests/roots/golden (read-only: a test that changes it works on a ``clone``)."""
    return built_workspace(*GOLDEN_BUILD)


@pytest.fixture(scope="module")
def editions_build(built_workspace) -> Path:
    """The shared build of tests/roots/editions (every edition)."""
    return built_workspace(*EDITIONS_BUILD)


def brief(ws: Path, edition: str, incident: str = GOLDEN_INCIDENT) -> Path:
    return ws / "out" / edition / f"{incident}.pdf"


# ---------------------------------------------------------------- 1. PDF/A-3b and metadata


def test_every_output_is_there(golden_build):
    expected = {f"{e}/{n}" for e in EDITIONS
                for n in (f"{GOLDEN_INCIDENT}.pdf", "case-dossier.pdf", "completeness.pdf", "completeness.json")}
    assert set(outputs(golden_build)) == expected


def test_qpdf_check_passes(golden_build):
    for pdf in pdfs(golden_build):
        result = qpdf_check(pdf)
        assert result.returncode == 0, f"{pdf.relative_to(golden_build)}:\n{result.stdout}{result.stderr}"
        assert "No syntax or stream encoding errors" in result.stdout


def test_xmp_declares_pdfa_3b(golden_build):
    for pdf in pdfs(golden_build):
        meta = tool("pdfinfo", "-meta", pdf).stdout
        part = re.search(r'pdfaid:part(?:="|>)\s*(\d+)', meta)
        conformance = re.search(r'pdfaid:conformance(?:="|>)\s*([A-Za-z]+)', meta)
        assert part and part.group(1) == "3", f"{pdf.name}: no pdfaid:part 3 in the XMP:\n{meta[:600]}"
        assert conformance and conformance.group(1).upper() == "B", f"{pdf.name}: no pdfaid:conformance B"


def test_output_intent(golden_build):
    for pdf in pdfs(golden_build):
        with pikepdf.open(pdf) as doc:
            intents = doc.Root.get("/OutputIntents")
            assert intents is not None and len(intents) >= 1, f"{pdf.name}: no OutputIntents in the catalog"
            intent = intents[0]
            assert intent.get("/S") == pikepdf.Name("/GTS_PDFA1"), f"{pdf.name}: output intent is not GTS_PDFA1"
            profile = intent.get("/DestOutputProfile")
            assert profile is not None and len(profile.read_bytes()) > 0, f"{pdf.name}: no ICC output profile"


def test_every_font_is_embedded(golden_build):
    for pdf in pdfs(golden_build):
        rows = font_rows(pdf)
        assert rows, f"{pdf.name}: pdffonts lists no font"
        missing = [name for name, emb in rows if emb != "yes"]
        assert not missing, f"{pdf.name}: fonts not embedded: {missing}"


def test_arabic_font_embedded_for_arabic_excerpt(golden_build):
    # EV-G2 (public, public consent) quotes Arabic: every edition's brief shows it
    for edition in EDITIONS:
        names = [name for name, _ in font_rows(brief(golden_build, edition))]
        assert any(re.search(r"Noto.?Naskh.?Arabic", n, re.I) for n in names), \
            f"{edition}: Noto Naskh Arabic not embedded, fonts: {names}"


def test_metadata_from_the_case(golden_build):
    case = yaml.safe_load((golden_build / "evidence" / "case.yaml").read_text(encoding="utf-8"))
    incident = yaml.safe_load((golden_build / "evidence" / "incidents" / "qarnaz.yaml").read_text(encoding="utf-8"))
    for edition in EDITIONS:
        info = pdfinfo(brief(golden_build, edition))
        assert case["title"] in info.get("Title", ""), info
        assert incident["title"] in info["Title"], info
        assert edition in info["Title"], info
        assert info.get("Author") == case["prepared_by"], info
        assert GOLDEN_INCIDENT in info.get("Subject", ""), info
        assert edition in info["Subject"], info
        dossier_info = pdfinfo(golden_build / "out" / edition / "case-dossier.pdf")
        assert case["title"] in dossier_info.get("Title", ""), dossier_info
        assert dossier_info.get("Author") == case["prepared_by"], dossier_info
        assert dossier_info.get("Subject"), dossier_info


def test_docinfo_and_xmp_agree(golden_build):
    """PDF/A: the document information dictionary and the XMP metadata say the same."""
    for pdf in pdfs(golden_build):
        with pikepdf.open(pdf) as doc:
            info = doc.docinfo
            with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
                assert str(info.get("/Title")) == str(xmp.get("dc:title")), pdf.name
                creators = xmp.get("dc:creator")
                assert str(info.get("/Author")) in (list(creators) if creators else []), pdf.name


# ---------------------------------------------------------------- 2. the manifest


def test_exactly_one_manifest_attachment(golden_build):
    for pdf in pdfs(golden_build):
        listing = tool("pdfdetach", "-list", pdf).stdout.splitlines()
        assert listing[0].startswith("1 embedded file"), f"{pdf.name}: {listing}"
        assert [line.split(":", 1)[1].strip() for line in listing[1:]] == ["manifest.json"], listing
        with pikepdf.open(pdf) as doc:
            tree = pikepdf.NameTree(doc.Root.Names.EmbeddedFiles)
            assert list(tree.keys()) == ["manifest.json"], f"{pdf.name}: name tree {list(tree.keys())}"
            af = doc.Root.get("/AF")
            assert af is not None and len(af) == 1, \
                f"{pdf.name}: catalog /AF has {0 if af is None else len(af)} entries (WeasyPrint 70 bug 2917)"
            assert af[0].objgen == tree["manifest.json"].objgen, "the /AF entry is not the embedded file spec"
            assert af[0].get("/AFRelationship") is not None
            assert str(af[0].EF.F.get("/Subtype")) == "/application/json"


def test_the_manifest_is_attached_at_assembly_as_pdf_a_wants_it(golden_build):
    """The engine's parts carry no attachment (a change to the manifest alone renders nothing again); the
    assembled file's manifest has what PDF/A-3 asks of an associated file: its relationship, media type, dates,
    size and checksum."""
    import hashlib

    parts = sorted((golden_build / "out" / ".parts").rglob("*.pdf"))
    assert parts
    for part in parts:
        with pikepdf.open(part) as doc:
            assert "/AF" not in doc.Root and not doc.attachments, part.name
    with pikepdf.open(brief(golden_build, "internal")) as doc:
        spec = doc.Root.AF[0]
        data = doc.attachments["manifest.json"].get_file().read_bytes()
        params = spec.EF.F.Params
        assert str(spec.AFRelationship) == "/Source" and str(spec.UF) == "manifest.json"
        assert int(params.Size) == len(data) and bytes(params.CheckSum) == hashlib.md5(data).digest()
        assert str(params.ModDate).startswith("D:") and str(params.CreationDate).startswith("D:")


def test_manifest_content(golden_build):
    import dossier

    manifest = manifest_of(brief(golden_build, "internal"))
    assert manifest["program"]["version"] == dossier.__version__
    assert manifest["case"] == "golden-case"
    assert manifest["edition"] == "internal"
    assert manifest["subject"] == {"kind": "incident", "id": GOLDEN_INCIDENT}
    assert manifest["standard_of_proof"] == "reasonable_grounds"
    assert {n["id"] for n in manifest["norms"]} == {"rs-8-2-e-iv", "cihl-28"}
    assert all(HEX64.match(n["sha256"]) for n in manifest["norms"]), manifest["norms"]
    items = {i["id"]: i for i in manifest["items"]}
    assert set(items) == GOLDEN_ITEMS
    assert all(HEX64.match(i["sha256"]) for i in items.values()), items
    assert len({i["sha256"] for i in items.values()}) == len(items), "two items with the same hash"
    assert items["EV-G4"]["file"] == GOLDEN_FILE
    assert items["EV-G4"]["file_sha256"] == sha256(golden_build / GOLDEN_FILE)
    for item_id in GOLDEN_ITEMS - {"EV-G4"}:
        assert items[item_id].get("file_sha256") is None, items[item_id]


def test_manifest_of_each_output_kind(golden_build):
    for edition in EDITIONS:
        dossier_manifest = manifest_of(golden_build / "out" / edition / "case-dossier.pdf")
        assert dossier_manifest["edition"] == edition
        assert dossier_manifest["subject"]["kind"] == "case"
        completeness = manifest_of(golden_build / "out" / edition / "completeness.pdf")
        assert completeness["edition"] == edition
    public = manifest_of(brief(golden_build, "public"))
    assert public["edition"] == "public"
    assert {i["id"] for i in public["items"]} == GOLDEN_PUBLIC_ITEMS
    assert {i["id"] for i in manifest_of(golden_build / "out/public/case-dossier.pdf")["items"]} == GOLDEN_PUBLIC_ITEMS


def _shown_in_public(evidence: Path) -> tuple[set[str], set[str]]:
    """(every item id, the ids the public edition may show), from the YAML and case-format.md's editions table."""
    every, public = set(), set()
    for path in (evidence / "items").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data if isinstance(data, list) else [data]:
            every.add(item["id"])
            if item.get("confidentiality", "restricted") != "public":
                continue
            if item["type"] == "witness_statement" and "public" not in (item.get("consent") or {}).get("share_with", []):
                continue
            public.add(item["id"])
    return every, public


def test_public_manifests_name_no_withheld_item(editions_build):
    every, shown = _shown_in_public(editions_build / "evidence")
    withheld = every - shown
    assert withheld >= {"ED-CONF-INTERCEPT", "ED-WIT-LEGAL", "ED-WIT-NOCONSENT", "ED-WIT-UN", "ED-RESTR-DOC",
                        "ED-SAT-AFTER"}
    internal_hashes = {}
    for pdf in sorted((editions_build / "out" / "internal").glob("*.pdf")):
        for entry in manifest_of(pdf)["items"]:
            internal_hashes[entry["id"]] = entry["sha256"]
    assert withheld <= set(internal_hashes), "the internal manifests should list the withheld items (sanity)"
    public_pdfs = sorted((editions_build / "out" / "public").glob("*.pdf"))
    assert len(public_pdfs) == 4
    for pdf in public_pdfs:
        manifest = manifest_of(pdf)
        raw = json.dumps(manifest)
        ids = {i["id"] for i in manifest["items"]}
        assert not ids & withheld, f"{pdf.name}: the public manifest names withheld items {ids & withheld}"
        for item_id in withheld:
            assert item_id not in raw, f"{pdf.name}: {item_id} appears in the public manifest"
            assert internal_hashes[item_id] not in raw, f"{pdf.name}: the hash of withheld {item_id} appears"
        assert manifest["withheld_items"] == len(withheld), "the public manifest miscounts the withheld items"
    public_brief = manifest_of(editions_build / "out/public/INC-2021-06-02-WESTMERE.pdf")
    internal_brief = manifest_of(editions_build / "out/internal/INC-2021-06-02-WESTMERE.pdf")
    westmere_shown = {"ED-PUB-REPORT", "ED-PRESS-RELAY", "ED-NOTIF-PUB", "ED-WIT-PUBLIC"}
    assert {i["id"] for i in public_brief["items"]} == westmere_shown
    assert {i["id"] for i in internal_brief["items"]} >= westmere_shown | {"ED-CONF-INTERCEPT", "ED-WIT-LEGAL"}
    public_dossier = manifest_of(editions_build / "out/public/case-dossier.pdf")
    assert {i["id"] for i in public_dossier["items"]} == shown


def test_public_metadata_names_no_withheld_item(editions_build):
    every, shown = _shown_in_public(editions_build / "evidence")
    for pdf in sorted((editions_build / "out" / "public").glob("*.pdf")):
        meta = tool("pdfinfo", "-meta", pdf).stdout + tool("pdfinfo", pdf).stdout
        for item_id in every - shown:
            assert item_id not in meta, f"{pdf.name}: withheld {item_id} in the metadata"


# ---------------------------------------------------------------- 3. reproducibility


@pytest.fixture(scope="module")
def second_build(golden_build, tmp_path_factory) -> Path:
    """The golden root built again: another folder, a later wall-clock second, --jobs 1 instead of 2."""
    time.sleep(1.1)
    other = copy_root("golden", tmp_path_factory.mktemp("golden-b"))
    rc, out, err = cli("build", "--workspace", other, "--jobs", "1", "--quiet", cwd=other.parent)
    assert rc == 0, err
    return other


def test_rebuild_gives_the_same_outputs(golden_build, second_build):
    assert set(outputs(golden_build)) == set(outputs(second_build))


def test_rebuild_is_byte_identical(golden_build, second_build):
    first, second = outputs(golden_build), outputs(second_build)
    differ = sorted(rel for rel in first if first[rel] != second.get(rel))
    assert not differ, f"not reproducible: {differ}"


SOURCE_DATE_EPOCH = 1700000000  # 2023-11-14T22:13:20Z; the latest material of the golden case is 2023-02-20


@pytest.fixture(scope="module")
def sde_build(tmp_path_factory) -> Path:
    ws = copy_root("golden", tmp_path_factory.mktemp("golden-sde"))
    rc, out, err = cli("build", "--workspace", ws, "--edition", "public", "--incident", GOLDEN_INCIDENT, "--quiet",
                       env={"SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)})
    assert rc == 0, err
    return ws


def test_source_date_epoch_sets_the_pdf_dates(sde_build):
    day = datetime.fromtimestamp(SOURCE_DATE_EPOCH, tz=UTC).date().isoformat()
    pdf = brief(sde_build, "public")
    info = pdfinfo(pdf, "-isodates")
    assert info["CreationDate"].startswith(day), info
    assert info["ModDate"].startswith(day), info
    meta = tool("pdfinfo", "-meta", pdf).stdout
    assert re.search(rf"xmp:CreateDate(?:=\"|>){day}", meta), meta
    assert manifest_of(pdf)["build_date"] == day
    text = tool("pdftotext", "-layout", "-l", "1", pdf, "-").stdout
    assert "14 November 2023" in text


def test_cover_does_not_misdescribe_a_source_date_epoch_date(sde_build):
    """(Regression: the cover called every build date 'date of the latest material analysed'.)"""
    cover = " ".join(tool("pdftotext", "-l", "1", brief(sde_build, "public"), "-").stdout.split())
    assert "14 November 2023" in cover
    assert not re.search(r"14 November 2023 \(date of the latest material analysed\)", cover), cover


def test_default_build_date_is_the_latest_material(golden_build):
    # no as_of, no SOURCE_DATE_EPOCH: the latest date in the (edition's view of the) case, never the clock
    for edition in EDITIONS:
        info = pdfinfo(brief(golden_build, edition), "-isodates")
        assert info["CreationDate"].startswith("2023-02-20"), info


# ---------------------------------------------------------------- 4. verify


def verify(ws: Path, pdf: Path):
    rc, out, err = cli("verify", pdf, "--workspace", ws)
    no_traceback(rc, out, err)
    return rc, out + err


def test_verify_ok_on_a_fresh_build(golden_build):
    for pdf in (brief(golden_build, "internal"), brief(golden_build, "public"),
                golden_build / "out/un/case-dossier.pdf", golden_build / "out/internal/completeness.pdf"):
        rc, text = verify(golden_build, pdf)
        assert rc == 0, text
        assert "ok" in text.lower()


def test_verify_names_an_item_whose_summary_changed(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    replace_in(ws / "evidence/items/report.yaml", "no fighters or weapons were on the premises.",
               "no fighters were on the premises.")
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1, text
    assert re.search(r"changed.*EV-G1", text), text
    for other in GOLDEN_ITEMS - {"EV-G1"}:
        assert other not in text, f"only EV-G1 changed, but {other} is named:\n{text}"
    rc, text = verify(ws, ws / "out/public/case-dossier.pdf")
    assert rc == 1 and "EV-G1" in text, text


def test_verify_names_an_item_whose_exhibit_file_changed(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    exhibit = ws / GOLDEN_FILE
    data = exhibit.read_bytes()
    exhibit.write_bytes(data.replace(b"post-strike", b"post-strikE"))  # same size, one byte changed
    assert exhibit.read_bytes() != data and len(exhibit.read_bytes()) == len(data)
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1, text
    assert "EV-G4" in text and "ev-g4-after.txt" in text, text
    # the public edition does not show EV-G4: its brief still matches
    rc, text = verify(ws, brief(ws, "public"))
    assert rc == 0, text


def test_verify_reports_a_missing_exhibit_file(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    (ws / GOLDEN_FILE).unlink()
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1, text
    assert "EV-G4" in text and "missing" in text.lower(), text


def test_verify_reports_a_removed_item(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    (ws / "evidence/items/report.yaml").unlink()
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1, text
    assert re.search(r"removed.*EV-G1", text), text


NEW_ITEM = """\
id: EV-G5
type: report
title: Second relief agency report
incidents: [INC-2023-02-14-QARNAZ]
source: SRC-MEDAID
credibility: 3
date: 2023-02-18
confidentiality: {confidentiality}
summary: A second account of the strike on the field hospital.
supports:
  - element: cihl-28/3
"""


def test_verify_reports_an_added_item(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    (ws / "evidence/items/added.yaml").write_text(NEW_ITEM.format(confidentiality="public"), encoding="utf-8")
    for pdf in (brief(ws, "internal"), brief(ws, "public"), ws / "out/internal/case-dossier.pdf"):
        rc, text = verify(ws, pdf)
        assert rc == 1, text
        assert re.search(r"added.*EV-G5", text), text


def test_verify_ignores_changes_the_edition_does_not_show(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    replace_in(ws / "evidence/items/intercept.yaml", "is cleared to strike.", "is cleared to strike at once.")
    (ws / "evidence/items/added.yaml").write_text(NEW_ITEM.format(confidentiality="confidential"), encoding="utf-8")
    rc, text = verify(ws, brief(ws, "public"))
    assert rc == 0, text
    assert "EV-G3" not in text and "EV-G5" not in text, f"the public verify names withheld items:\n{text}"
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1 and "EV-G3" in text and "EV-G5" in text, text


REFORMATTED_IMAGERY = """\
# Reformatted by hand: keys reordered, four-space indentation, other quoting, flow and block styles swapped.
'type': "satellite_imagery"
id: 'EV-G4'
incidents:
    - "INC-2023-02-14-QARNAZ"
title: "Image of the field hospital after the strike"
source: 'SRC-ORBIT'
credibility: 2
confidentiality: "restricted"
date: "2023-02-15"
summary: >-
    Two craters beside the operating block;
    the triage tent is gone.
imagery:
    phase: 'after'
    provider: "Orbitview Imaging"
    captured_at: "2023-02-15T08:05:00Z"
    resolution_m: 0.5
    location:
        lon: 44.27361
        lat: 39.41873
    analysis: 'Two fresh craters beside the operating block; the triage tent has been destroyed.'
file: {media_type: "text/plain", sha256: "%s", path: 'files/ev-g4-after.txt'}
supports: [{element: "rs-8-2-e-iv/1"}, {element: 'cihl-28/3'}]
chain_of_custody:
    -   "on": 2023-02-15
        role: imagery provider
        by: Orbitview Imaging
        action: captured
    - {action: received, "by": "Evidence unit", 'on': "2023-02-17", role: 'evidence unit'}
"""

REFORMATTED_CASE = """\
id: "golden-case"
prepared_by: 'Golden test legal team'
title: "Strike on the Qarnaz field hospital (golden test case)"
charges:
- rs-8-2-e-iv
- "cihl-28"
standard_of_proof: "reasonable_grounds"
language: 'en'
parties:
- {id: KAR, name: "Republic of Karvania (government armed forces)", treaties: ["GC", API]}
- name: Qarnaz Defence Front
  kind: "armed_group"
  id: QDF
conflict: {territory: KAR, classification: 'NIAC', description: "Government forces of Karvania against the Qarnaz Defence Front, an organised armed group."}
"""


# every input the analysis rests on, edited in the workspace: (file, old, new, the line verify must print)
INPUT_EDITS = {
    "incident casualties": ("evidence/incidents/qarnaz.yaml", "killed: 5,", "killed: 6,",
                            "changed: incident INC-2023-02-14-QARNAZ (evidence/incidents/qarnaz.yaml)"),
    "incident attribution": ("evidence/incidents/qarnaz.yaml", "attributed_to: [KAR]", "attributed_to: [KAR, QDF]",
                             "changed: incident INC-2023-02-14-QARNAZ (evidence/incidents/qarnaz.yaml)"),
    "incident coordinates": ("evidence/incidents/qarnaz.yaml", "lat: 39.41", "lat: 39.61",
                             "changed: incident INC-2023-02-14-QARNAZ (evidence/incidents/qarnaz.yaml)"),
    "source grade": ("evidence/sources.yaml", "reliability: C", "reliability: B",
                     "changed: source SRC-"),
    "standard of proof": ("evidence/case.yaml", "standard_of_proof: reasonable_grounds",
                          "standard_of_proof: beyond_reasonable_doubt",
                          "changed: standard of proof is now beyond_reasonable_doubt, the PDF was built for "
                          "reasonable_grounds (evidence/case.yaml)"),
}


@pytest.mark.parametrize("what", list(INPUT_EDITS))
def test_verify_names_every_input_the_analysis_rests_on(golden_build, tmp_path, what):
    """(Regression: the manifest recorded only the items, norms and case, so an edited incident or source grade
    changed the analysis while verify exited 0.)"""
    rel, old, new, expected = INPUT_EDITS[what]
    ws = clone(golden_build, tmp_path)
    replace_in(ws / rel, old, new)
    for pdf in (brief(ws, "internal"), brief(ws, "public"), ws / "out/un/case-dossier.pdf",
                ws / "out/internal/completeness.pdf"):
        rc, text = verify(ws, pdf)
        assert rc == 1, f"{pdf.name}: {text}"
        assert expected in text, f"{pdf.name}: {text}"
        assert re.search(r"^1 difference: ", text, re.M), text


def test_verify_judges_protected_coordinates_as_the_edition_shows_them(golden_build, tmp_path):
    """The protected site moved by 100 m: the internal brief (exact coordinates) no longer matches; the public
    one, which shows them rounded to 0.1 degree, still does."""
    ws = clone(golden_build, tmp_path)
    replace_in(ws / "evidence/incidents/qarnaz.yaml", "lat: 39.41873", "lat: 39.41973")
    rc, text = verify(ws, brief(ws, "internal"))
    assert rc == 1 and "changed: incident INC-2023-02-14-QARNAZ" in text, text
    rc, text = verify(ws, brief(ws, "public"))
    assert rc == 0, text


def test_verify_names_a_changed_template(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    (ws / "templates").mkdir()
    (ws / "templates" / "base.css").write_text((REPO / "templates" / "base.css").read_text(encoding="utf-8")
                                               + "\nh1 { color: red; }\n", encoding="utf-8")
    rc, text = verify(ws, brief(ws, "un"))
    assert rc == 1, text
    assert "changed: templates" in text, text


def test_verify_is_not_fooled_by_reformatted_yaml(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)
    (ws / "evidence/items/imagery.yaml").write_text(REFORMATTED_IMAGERY % sha256(ws / GOLDEN_FILE), encoding="utf-8")
    (ws / "evidence/case.yaml").write_text(REFORMATTED_CASE, encoding="utf-8")
    rc, out, err = cli("validate", "--workspace", ws)
    assert rc == 0, err
    for pdf in (brief(ws, "internal"), ws / "out/internal/case-dossier.pdf", brief(ws, "un")):
        rc, text = verify(ws, pdf)
        assert rc == 0, f"reformatting the YAML made verify fail:\n{text}"


def test_verify_a_pdf_without_manifest(tmp_path, golden_build):
    for name, data in (("plain.pdf", plain_weasyprint_pdf()),
                       ("plain-pdfa.pdf", plain_weasyprint_pdf(pdf_variant="pdf/a-3b"))):
        pdf = tmp_path / name
        pdf.write_bytes(data)
        rc, text = verify(golden_build, pdf)
        assert rc == 1, text
        assert "manifest" in text.lower(), f"the message should say the manifest is missing:\n{text}"


def test_verify_a_non_pdf_file(tmp_path, golden_build):
    for name, data in (("notes.pdf", b"these are notes, not a PDF\n"), ("empty.pdf", b""),
                       ("truncated.pdf", brief(golden_build, "internal").read_bytes()[:2000])):
        path = tmp_path / name
        path.write_bytes(data)
        rc, text = verify(golden_build, path)
        assert rc == 1, f"{name}: {text}"
        assert "pdf" in text.lower(), f"{name}: the message should say it is not a (readable) PDF:\n{text}"
    rc, text = verify(golden_build, golden_build / "out/internal/completeness.json")
    assert rc == 1, text


# ---------------------------------------------------------------- 5. dossier hash

IMAGERY_WITHOUT_HASH = """\
# The post-strike image. Comments, key order and quoting must survive `dossier hash`.
id: EV-G4
type: "satellite_imagery"      # double-quoted on purpose
title: 'Image of the field hospital after the strike'
incidents: [INC-2023-02-14-QARNAZ]
source: SRC-ORBIT
credibility: 2
date: 2023-02-15
confidentiality: restricted
summary: >-
  Two craters beside the operating block;
  the triage tent is gone.
file:
  # the exhibit as received from the provider
  path: files/ev-g4-after.txt
  media_type: "text/plain"     # as declared by the provider
imagery:
  provider: Orbitview Imaging
  captured_at: 2023-02-15T08:05:00Z
  phase: after
  location: {lat: 39.41873, lon: 44.27361}
  resolution_m: 0.5
  analysis: Two fresh craters beside the operating block; the triage tent has been destroyed.
chain_of_custody:
  - {on: 2023-02-15, by: Orbitview Imaging, action: captured}
  - {on: 2023-02-17, by: Evidence unit, action: received}   # trailing comment
supports:
  - element: rs-8-2-e-iv/1
  - element: cihl-28/3
"""

LIST_WITHOUT_HASHES = """\
# Two items in one file, neither with a hash: a flow-style file block, and a block one inside a list entry.

- id: EV-G6
  type: document
  title: "Hospital registration certificate"
  incidents: [INC-2023-02-14-QARNAZ]
  source: SRC-MEDAID
  credibility: 2
  date: 2023-01-05
  confidentiality: public
  summary: 'The field hospital is registered with the health directorate.'
  file: {path: files/ev-g6-registration.txt, media_type: text/plain}   # flow style
  supports:
    - element: cihl-28/1

# the second item
- id: EV-G7
  type: document
  title: Hospital staff roster
  incidents: [INC-2023-02-14-QARNAZ]
  source: SRC-MEDAID
  credibility: 2
  date: 2023-01-06
  confidentiality: restricted
  summary: The roster lists the staff on duty on the morning of the strike.
  file:
      path: "files/ev-g7-roster.txt"
      media_type: text/plain
  supports:
    - element: cihl-28/2
"""


@pytest.fixture
def unhashed(tmp_path) -> Path:
    ws = copy_root("golden", tmp_path)
    (ws / "evidence/items/imagery.yaml").write_text(IMAGERY_WITHOUT_HASH, encoding="utf-8")
    (ws / "evidence/items/registry.yaml").write_text(LIST_WITHOUT_HASHES, encoding="utf-8")
    (ws / "evidence/files/ev-g6-registration.txt").write_text("Registration certificate (fictional).\n")
    (ws / "evidence/files/ev-g7-roster.txt").write_text("Staff roster (fictional).\n")
    return ws


def _yaml_texts(ws: Path) -> dict[str, bytes]:
    return {str(p.relative_to(ws)): p.read_bytes() for p in sorted((ws / "evidence").rglob("*.yaml"))}


def _one_line_added(old: str, new: str) -> tuple[int, str]:
    """(index, text) of the single line ``new`` has more than ``old``; fails if anything else differs."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(b) == len(a) + 1, f"expected exactly one added line:\n{new}"
    index = next(i for i, (x, y) in enumerate(zip(a + [""], b, strict=False)) if x != y)
    assert b[:index] + b[index + 1:] == a, f"lines other than the new sha256 line changed:\n{new}"
    return index, b[index]


def test_hash_check_reports_and_changes_nothing(unhashed):
    before = _yaml_texts(unhashed)
    rc, out, err = cli("hash", "--check", "--workspace", unhashed)
    no_traceback(rc, out, err)
    assert rc == 1, out + err
    for item_id in ("EV-G4", "EV-G6", "EV-G7"):
        assert item_id in out + err, out + err
    assert _yaml_texts(unhashed) == before, "`dossier hash --check` changed a file"
    assert not list(unhashed.rglob(".tmp-*")), "a temporary file was left behind"


def test_hash_records_only_the_sha256_lines(unhashed):
    rc, out, err = cli("validate", "--workspace", unhashed)
    assert rc == 0, err
    assert re.search(r"imagery\.yaml:\d+:\d+: warning: [A-Z0-9-]+: file\.sha256", err), err
    assert re.search(r"registry\.yaml:\d+:\d+: warning: [A-Z0-9-]+: file\.sha256", err), err
    before = _yaml_texts(unhashed)
    rc, out, err = cli("hash", "--workspace", unhashed)
    no_traceback(rc, out, err)
    assert rc == 0, out + err
    after = _yaml_texts(unhashed)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"evidence/items/imagery.yaml", "evidence/items/registry.yaml"}, changed

    digest = sha256(unhashed / GOLDEN_FILE)
    old = before["evidence/items/imagery.yaml"].decode()
    index, line = _one_line_added(old, after["evidence/items/imagery.yaml"].decode())
    assert line == f"  sha256: {digest}\n", repr(line)
    assert old.splitlines()[index - 1].strip().startswith(("path:", "media_type:")), "not inside file:"

    d6 = sha256(unhashed / "evidence/files/ev-g6-registration.txt")
    d7 = sha256(unhashed / "evidence/files/ev-g7-roster.txt")
    old_lines = before["evidence/items/registry.yaml"].decode().splitlines(keepends=True)
    new_text = after["evidence/items/registry.yaml"].decode()
    # EV-G6: the flow mapping gains ", sha256: ..." on its line; EV-G7: one line under path:, same indent
    flow = next(i for i, line in enumerate(old_lines) if "ev-g6-registration" in line)
    expected_flow = old_lines[flow].replace("files/ev-g6-registration.txt,",
                                            f"files/ev-g6-registration.txt, sha256: {d6},")
    patched = old_lines[:flow] + [expected_flow] + old_lines[flow + 1:]
    index, line = _one_line_added("".join(patched), new_text)
    assert line == f"      sha256: {d7}\n", repr(line)
    assert new_text.splitlines()[flow].rstrip().endswith("# flow style"), "the comment on the flow line was lost"

    data = yaml.safe_load(new_text)
    assert data[0]["file"] == {"path": "files/ev-g6-registration.txt", "media_type": "text/plain", "sha256": d6}
    assert data[1]["file"]["sha256"] == d7
    assert yaml.safe_load(after["evidence/items/imagery.yaml"].decode())["file"]["sha256"] == digest

    rc, out, err = cli("validate", "--workspace", unhashed)
    assert rc == 0, err
    assert "sha256" not in err, f"validate still warns about hashes:\n{err}"
    rc, out, err = cli("hash", "--check", "--workspace", unhashed)
    assert rc == 0, out + err
    assert not list(unhashed.rglob(".tmp-*")), "a temporary file was left behind"


def test_hash_of_a_changed_file_is_replaced_only_with_update(tmp_path):
    ws = copy_root("golden", tmp_path)
    imagery = ws / "evidence/items/imagery.yaml"
    digest = sha256(ws / GOLDEN_FILE)
    replace_in(imagery, f"sha256: {digest}", f'sha256: "{"0" * 64}"   # recorded at intake')
    before = imagery.read_text(encoding="utf-8")
    rc, out, err = cli("hash", "--workspace", ws)
    no_traceback(rc, out, err)
    assert rc == 1 and re.search(r"imagery\.yaml:\d+:\d+: error: [A-Z0-9-]+: file\.sha256", out + err), out + err
    assert imagery.read_text(encoding="utf-8") == before, "a changed file's hash was replaced without --update"
    rc, out, err = cli("hash", "--update", "--workspace", ws)
    no_traceback(rc, out, err)
    assert rc == 0, out + err
    assert imagery.read_text(encoding="utf-8") == before.replace("0" * 64, digest), \
        "--update should replace the digest in place, keeping quotes and comment"


# ---------------------------------------------------------------- 6. a killed build


def _wait_group_gone(pgid: int, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.05)


def _check_out_folder(ws: Path, when: str) -> None:
    """Every PDF under out/ (outputs, and cached parts in hidden folders) is whole; JSON parses; a temporary
    (.tmp-*) is the only kind of file that may be incomplete, and nothing else looks like an output."""
    out = ws / "out"
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name.startswith(".tmp-"):
            continue
        rel = path.relative_to(out)
        hidden = any(part.startswith(".") for part in rel.parts)
        if not hidden:
            assert rel.parts[0] in EDITIONS and path.suffix in (".pdf", ".json"), f"{when}: unexpected out/{rel}"
        if path.suffix == ".pdf":
            result = qpdf_check(path)
            assert result.returncode == 0, f"{when}: out/{rel} is not a whole PDF:\n{result.stdout}{result.stderr}"
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_killed_build_leaves_only_whole_pdfs(golden_build, tmp_path):
    ws = clone(golden_build, tmp_path)  # a complete earlier build in out/
    replace_in(ws / "evidence/items/report.yaml", "no fighters or weapons were on the premises.",
               "no fighters or weapons were on the premises that morning.")
    killed = 0
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen(dossier_command("build", "--force", "--jobs", "2", "--quiet", "--workspace", ws),
                                cwd=str(tmp_path), env=cli_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed += 1
        _wait_group_gone(proc.pid)
        _check_out_folder(ws, f"killed after {delay} s")
    assert killed == 3, "the build finished before it could be killed: the test proves nothing"

    rc, out, err = cli("build", "--workspace", ws, "--jobs", "2")
    assert rc == 0, err
    assert not [p for p in (ws / "out").rglob(".tmp-*")], "temporaries left after a normal build"
    _check_out_folder(ws, "after the next build")
    assert set(outputs(ws)) == set(outputs(golden_build))
    for edition in ("internal", "public"):  # every brief rests on the edited item: none may be stale
        rc, text = verify(ws, brief(ws, edition))
        assert rc == 0, f"{edition} brief is stale after the killed builds:\n{text}"
    rc, text = verify(ws, ws / "out/public/case-dossier.pdf")
    assert rc == 0, text


# ---------------------------------------------------------------- printed hashes


def test_printed_file_hash_is_copyable(golden_build):
    """(Regression: hyphens: auto reached the .mono hash, which was printed as 'bca060e‐' + newline + ...)"""
    digest = sha256(golden_build / GOLDEN_FILE)
    text = tool("pdftotext", brief(golden_build, "internal"), "-").stdout
    joined = re.sub(r"\s+", "", text)
    assert digest in joined, "the annex does not print the exhibit file's sha256 intact " \
        f"(found: {re.findall(r'sha256[^A-Za-z]{0,90}', joined)[:2]})"


# ---------------------------------------------------------------- the case dossier's page numbers

PAGE_OF = re.compile(r"Page (\d+) of (\d+)")
CONTENTS_ROW = re.compile(r"^(?P<label>.*?\S)\s*(?:\.\s*){3,}(?P<page>\d+)$")


def dossier_pages(*builds: Path) -> dict[str, list[str]]:
    """Every built case dossier ("<root>/<edition>") -> the text of each of its pages."""
    found = {}
    for ws in builds:
        for pdf in sorted((ws / "out").glob("*/case-dossier.pdf")):
            found[f"{ws.name}/{pdf.parent.name}"] = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    assert found, "no case dossier was built"
    return found


def test_every_dossier_page_prints_its_own_number(golden_build, editions_build):
    """(Regression: every page of a part printed the number of the part's last page, "Page 5 of 18" on
    sheets 1-5: the stamp was added to the /Resources dictionary all the part's pages share.)"""
    wrong = []
    for name, pages in dossier_pages(golden_build, editions_build).items():
        for n, text in enumerate(pages, start=1):
            printed = PAGE_OF.findall(text)
            if printed != [(str(n), str(len(pages)))]:
                wrong.append(f"{name} page {n}: prints {printed}")
    assert not wrong, "pages that do not print exactly 'Page N of TOTAL':\n" + "\n".join(wrong)


def test_dossier_contents_agree_with_the_printed_page_numbers(golden_build, editions_build):
    """Each contents row gives the number printed on the page where its heading is."""
    wrong = []
    for name, pages in dossier_pages(golden_build, editions_build).items():
        contents = next(i for i, text in enumerate(pages) if "Contents" in text.splitlines())
        rows = [m for line in pages[contents].splitlines() if (m := CONTENTS_ROW.match(line.strip()))]
        assert len(rows) >= 5, f"{name}: contents rows not found on page {contents + 1}:\n{pages[contents]}"
        for row in rows:
            label = row["label"]
            # a part's heading is its label ("2. Pattern analysis"); an incident's is its title ("<when> · <title>")
            heading = label if re.match(r"\d+\. ", label) else label.split(" · ", 1)[1]
            where = [i for i in range(contents + 1, len(pages))
                     if heading in (line.strip() for line in pages[i].splitlines())]
            if not where:
                wrong.append(f"{name}: no page after the contents has the heading {heading!r}")
                continue
            printed = PAGE_OF.findall(pages[where[0]])
            if printed[:1] != [(row["page"], str(len(pages)))] or where[0] + 1 != int(row["page"]):
                wrong.append(f"{name}: contents give {label!r} page {row['page']}; its heading is on sheet "
                             f"{where[0] + 1}, which prints {printed}")
    assert not wrong, "\n".join(wrong)


def test_a_long_cover_keeps_its_notice_on_the_cover(tmp_path):
    """The un cover of the sample's M2 brief has the most rows of any (perpetrators, withheld items, the
    standard of proof): its last paragraph must stay on page 1. (Regression: it ran over onto a page of its
    own, the page before the summary.)"""
    import shutil

    from conftest import REPO, run_dossier

    ws = tmp_path / "sample"
    shutil.copytree(REPO / "evidence", ws / "evidence")
    incident = "INC-2016-07-ALEPPO-M2"
    code, _, err = run_dossier(["build", "--workspace", ws, "--edition", "un", "--incident", incident,
                                "--jobs", "1", "--quiet"])
    assert code == 0, err
    pdf = ws / "out" / "un" / f"{incident}.pdf"
    first, second = (tool("pdftotext", "-f", str(n), "-l", str(n), pdf, "-").stdout for n in (1, 2))
    assert "Generated by dossier" in first and "Generated by dossier" not in second
