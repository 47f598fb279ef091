"""Editions withhold what they must, everywhere: a canary in every withheld field, searched in every output.

A copy of tests/roots/editions gets random canary strings (``CANARY-`` + 12 letters,
from a fixed seed) in every field an edition must withhold (case-format.md, "Editions"):

- witness name and contact, and the name of a witness's source: every edition but ``internal``;
- everything about a confidential item (``un``, ``public``) and a restricted item (``public``):
  id, title, summary, excerpts, transcript, callsigns, channel, aircraft, imagery provider and
  analysis, file path and sha256, url, archive, publisher, custody, support notes;
- everything about a witness statement without the consent an edition needs (pseudonym,
  role, interviewer...);
- the protected incident's exact coordinates (5 decimals), and those of a public item about it;
- victims' names (and, without consent for the audience, pseudonyms), withdrawn statements and victims;
- per submission (a Special Procedures and an IIIM one): what its body's consent does not cover; every file of
  its hand-over package is searched too.

Then ``dossier build`` (all editions) and ``dossier report --format json|html|text`` for
``un`` and ``public``; every canary must be absent from every output of an edition that
withholds it: PDF text (pdftotext, layout and raw), uncompressed bytes (qpdf --qdf), every
string object, metadata (pdfinfo -meta), attachments (pdfdetach), completeness.json, the
reports, and every file name under out/. The internal edition must show them (so the
test can fail).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from canaries import SEED, SUB_IIIM, SUB_SP, Plan, found_in, make_workspace, squeeze
from conftest import invoke_dossier, pdf_strings_of, run_dossier

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "qpdf", "pdfdetach", "pdfinfo")),
                                 reason="needs poppler-utils (pdftotext, pdfdetach, pdfinfo) and qpdf")]

TRACEBACK = "Traceback (most recent call last)"

# --------------------------------------------------------------------------- reading the outputs

def _run(args: list[str], cwd: Path, timeout: float = 900) -> tuple[int, str, str]:
    # the text report 400 columns wide: wide enough not to wrap or truncate; the build in a subprocess of its
    # own, as a user runs it, validate and the reports in this process (conftest's invoke_dossier)
    run = run_dossier if args[0] == "build" else invoke_dossier
    return run(args, cwd=cwd, timeout=timeout, columns=400)


def _tool(*cmd: str) -> str:
    return subprocess.run(list(cmd), capture_output=True, text=True, errors="replace").stdout


def pdf_views(pdf: Path, scratch: Path) -> dict[str, str]:
    """Every view of a PDF a reader or a tool gets, by name."""
    views = {"pdftotext": _tool("pdftotext", str(pdf), "-"),
             "pdftotext -raw": _tool("pdftotext", "-raw", str(pdf), "-"),
             "pdfinfo": _tool("pdfinfo", str(pdf)),
             "pdfinfo -meta": _tool("pdfinfo", "-meta", str(pdf)),
             "pdfdetach -list": _tool("pdfdetach", "-list", str(pdf))}
    qdf = scratch / "qdf.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--stream-data=uncompress", str(pdf), str(qdf)],
                   capture_output=True)
    raw = qdf.read_bytes() if qdf.is_file() else pdf.read_bytes()
    views["qpdf --qdf bytes"] = raw.decode("latin-1") + "\n" + raw.decode("utf-8", "ignore")
    hexes = []
    for m in re.finditer(rb"<(?:FEFF|feff)([0-9A-Fa-f\s]*)>", raw):
        try:
            hexes.append(bytes.fromhex(m.group(1).decode()).decode("utf-16-be", "ignore"))
        except ValueError:
            pass
    views["UTF-16 strings"] = "\n".join(hexes)
    try:
        import pikepdf

        strings: list[str] = []
        with pikepdf.open(pdf) as doc:
            for obj in doc.objects:
                strings.extend(pdf_strings_of(obj))
        views["string objects"] = "\n".join(strings)
    except ImportError:  # pragma: no cover - pikepdf is a dependency of dossier
        pass
    detached = scratch / "detached"
    shutil.rmtree(detached, ignore_errors=True)
    detached.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(detached), str(pdf)], capture_output=True)
    views["attachments"] = "\n".join(f.name + "\n" + f.read_bytes().decode("utf-8", "replace")
                                     for f in sorted(detached.iterdir()))
    return views


def _edition_of(rel: Path) -> str | None:
    """The edition an output under out/ belongs to (out/<edition>/..., out/.<folder>/<edition>/...), or the
    submission (out/submissions/<id>/..., and its rendered part out/.parts/submissions/<id>.pdf)."""
    if rel.parts[:1] == ("submissions",) and len(rel.parts) > 2:
        return rel.parts[1]
    if rel.parts[:2] == (".parts", "submissions") and len(rel.parts) == 3:
        return Path(rel.parts[2]).stem
    for part in rel.parts[:2]:
        if part in ("internal", "un", "public"):
            return part
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("leaks")
    plan = Plan(random.Random(SEED))
    ws, renamed = make_workspace(tmp_path, plan)
    texts = [c.text for c in plan.canaries]
    assert len(texts) == len(set(texts)), "canaries must be distinct"
    code, _, err = _run(["validate", "--workspace", str(ws)], tmp_path)
    assert code == 0, f"the canary workspace does not validate:\n{err[-3000:]}"
    code, out, err = _run(["build", "--workspace", str(ws)], tmp_path)
    assert TRACEBACK not in out + err, err[-3000:]
    assert code == 0, err[-3000:]

    # outputs[edition] = list of (what, text)
    outputs: dict[str, list[tuple[str, str]]] = {"internal": [], "un": [], "public": [], SUB_SP: [], SUB_IIIM: [],
                                                 None: []}
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = ws / "out"
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        edition = _edition_of(rel)
        outputs[edition].append((f"file name out/{rel}", str(rel)))
        if path.is_file() and path.suffix == ".pdf":
            for view, text in pdf_views(path, scratch).items():
                outputs[edition].append((f"out/{rel} ({view})", text))
        elif path.is_file() and (path.suffix == ".json" or rel.parts[0] == "submissions"):
            # every file of a submission's hand-over package: exhibits, manifest, custody, SHA256SUMS
            outputs[edition].append((f"out/{rel}", path.read_text(encoding="utf-8", errors="replace")))
    for edition in ("un", "public", "internal"):
        for fmt in ("json", "html", "text"):
            code, report, err = _run(["report", "--format", fmt, "--edition", edition, "--workspace", str(ws)],
                                     tmp_path)
            assert TRACEBACK not in report + err
            assert code == 0, f"report --format {fmt} --edition {edition}: {err[-2000:]}"
            outputs[edition].append((f"report --format {fmt} --edition {edition}", report))
            if fmt == "json":
                data = json.loads(report)
                assert data["edition"] == edition
    return plan, ws, outputs


def _leaks(plan: Plan, outputs: list[tuple[str, str]], edition: str) -> list[str]:
    found = []
    for what, text in outputs:
        squeezed = squeeze(text)
        for canary in plan.canaries:
            if edition in canary.absent_in and found_in(canary, text, squeezed):
                found.append(f"{canary.where} ({canary.text}) in {what}")
    return found


@pytest.mark.parametrize("edition", ["un", "public", SUB_SP, SUB_IIIM])
def test_edition_withholds_every_canary(built, edition):
    """Every edition, and every submission with its hand-over package, withholds what it must."""
    plan, ws, outputs = built
    assert [w for w, _ in outputs[edition] if w.endswith(".pdf (pdftotext)")], f"no {edition} PDF was built"
    leaks = _leaks(plan, outputs[edition], edition)
    assert not leaks, f"{len(leaks)} leak(s) in the {edition} edition:\n" + "\n".join(leaks[:80])


def test_shared_outputs_withhold_every_canary(built):
    """Files under out/ that belong to no edition (state, caches...) must not name what un or public withhold."""
    plan, ws, outputs = built
    leaks = [leak for edition in ("un", "public") for leak in _leaks(plan, outputs[None], edition)]
    assert not leaks, "\n".join(sorted(set(leaks))[:80])


def test_internal_edition_shows_the_canaries(built):
    """The canaries are really in the fields the briefs print: the internal edition shows them."""
    plan, ws, outputs = built
    pdf_text = "\n".join(text for what, text in outputs["internal"] if what.endswith("(pdftotext -raw)"))
    squeezed = squeeze(pdf_text)
    missing = [f"{c.where} ({c.text})" for c in plan.canaries
               if c.shown_internal and c.text not in pdf_text and c.text not in squeezed]
    assert not missing, "the internal PDFs do not show:\n" + "\n".join(missing)
    internal_json = "\n".join(text for what, text in outputs["internal"] if "json" in what)
    assert any(c.text in internal_json for c in plan.canaries if c.where.endswith(" id"))
    # the leak detector itself fires: judged as `un`, the internal outputs leak
    flagged = {leak.split(" (CANARY-")[0] for leak in _leaks(plan, outputs["internal"], "un")}
    assert len(flagged) >= 20, f"the leak detector finds too little in the internal edition: {sorted(flagged)}"
