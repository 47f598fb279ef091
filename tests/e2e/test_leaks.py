"""Editions withhold what they must, everywhere: a canary in every withheld field, searched in every output.

A copy of tests/roots/editions gets random canary strings (``CANARY-`` + 12 letters,
from a fixed seed) in every field an edition must withhold (case-format.md, "Editions"):

- witness name and contact, and the name of a witness's source: every edition but ``internal``;
- everything about a confidential item (``un``, ``public``) and a restricted item (``public``):
  id, title, summary, excerpts, transcript, callsigns, channel, aircraft, imagery provider and
  analysis, file path and sha256, url, archive, publisher, custody, support notes;
- everything about a witness statement without the consent an edition needs (pseudonym,
  role, interviewer...);
- the protected incident's exact coordinates (5 decimals), and those of a public item about it.

Then ``dossier build`` (all editions) and ``dossier report --format json|html|text`` for
``un`` and ``public``; every canary must be absent from every output of an edition that
withholds it: PDF text (pdftotext, layout and raw), uncompressed bytes (qpdf --qdf), every
string object, metadata (pdfinfo -meta), attachments (pdfdetach), completeness.json, the
reports, and every file name under out/. The internal edition must show them (so the
test can fail).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_root, pdf_strings_of

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "qpdf", "pdfdetach", "pdfinfo")),
                                 reason="needs poppler-utils (pdftotext, pdfdetach, pdfinfo) and qpdf")]

SEED = 20240611
WITHHELD_OUTSIDE_INTERNAL = frozenset({"un", "public"})
WITHHELD_IN_PUBLIC = frozenset({"public"})
TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Canary:
    text: str
    where: str
    absent_in: frozenset[str]
    shown_internal: bool = True  # the internal edition must show it (the brief's exhibit annex does)


@dataclass
class Plan:
    rng: random.Random
    canaries: list[Canary] = field(default_factory=list)

    def new(self, where: str, absent_in: frozenset[str], shown_internal: bool = True) -> str:
        text = "CANARY-" + "".join(self.rng.choice(string.ascii_uppercase) for _ in range(12))
        self.canaries.append(Canary(text, where, absent_in, shown_internal))
        return text

    def literal(self, text: str, where: str, absent_in: frozenset[str], shown_internal: bool = True) -> str:
        self.canaries.append(Canary(text, where, absent_in, shown_internal))
        return text

    def coordinate(self) -> str:
        """Five decimals, none of them 0, so that the 5-, 4- and 3-decimal renderings are all distinct."""
        return f"{self.rng.randint(11, 59)}." + "".join(str(self.rng.randint(1, 9)) for _ in range(5))


# --------------------------------------------------------------------------- the workspace

class _Yaml12Loader(yaml.SafeLoader):
    """Booleans are only true/false (``on:`` stays a key, as the program reads it)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")


def _fill_item(plan: Plan, ws: Path, item: dict, absent: frozenset[str], label: str) -> None:
    """Canaries in every field of an item that an edition withholding it must not show."""
    c = lambda what: plan.new(f"{label} {what}", absent)  # noqa: E731
    item["title"] = c("title")
    item["summary"] = c("summary") + " " + c("summary (second word)")
    item["excerpts"] = [{"text": c("excerpt text"), "lang": "fr", "translation": c("excerpt translation")}]
    item["url"] = "https://example.org/" + c("url")
    item["archive"] = "https://archive.example.org/" + c("archive url")
    item["publisher"] = c("publisher")
    item["chain_of_custody"] = [{"on": item["date"], "by": c("custody by"), "action": c("custody action"),
                                 "note": c("custody note")}]
    for support in item.get("supports", []):
        support["note"] = c("support note")
    name = c("file name")
    content = (c("file content") + "\n").encode()
    plan.canaries[-1].shown_internal = False  # an exhibit's content is never printed
    (ws / "evidence" / "files").mkdir(exist_ok=True)
    (ws / "evidence" / "files" / f"{name}.txt").write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    item["file"] = {"path": f"files/{name}.txt", "sha256": plan.literal(digest, f"{label} file sha256", absent),
                    "media_type": "text/plain"}


def make_workspace(tmp_path: Path, plan: Plan) -> tuple[Path, dict[str, str]]:
    ws = copy_root("editions", tmp_path)
    ev = ws / "evidence"
    renamed: dict[str, str] = {}

    # protected incident: exact coordinates with 5 decimals
    west_path = ev / "incidents" / "westmere.yaml"
    west = _load(west_path)
    lat, lon = plan.coordinate(), plan.coordinate()
    west["location"]["lat"], west["location"]["lon"] = float(lat), float(lon)
    assert west["location"]["protect"] is True
    _dump(west_path, west)
    coordinates = {"lat": lat, "lon": lon}
    # a public item's coordinates of the protected facility, a little apart
    nlat, nlon = f"{float(lat) + 0.00511:.5f}", f"{float(lon) - 0.00373:.5f}"
    coordinates.update(notif_lat=nlat, notif_lon=nlon)
    for name, value in coordinates.items():
        x = float(value)
        plan.literal(value, f"protected coordinate {name} (5 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=name in ("lat", "lon"))
        plan.literal(f"{x:.4f}", f"protected coordinate {name} (4 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=False)
        plan.literal(f"{x:.3f}", f"protected coordinate {name} (3 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=False)

    # documents.yaml: a confidential intercept, two restricted items, public items
    docs_path = ev / "items" / "documents.yaml"
    docs = _load(docs_path)
    for item in docs:
        if item["confidentiality"] == "confidential":
            absent = WITHHELD_OUTSIDE_INTERNAL
        elif item["confidentiality"] == "restricted":
            absent = WITHHELD_IN_PUBLIC
        else:
            absent = None
        if item["id"] == "ED-NOTIF-PUB":
            item["deconfliction"]["location"] = {"lat": float(nlat), "lon": float(nlon)}
        if absent is None:
            continue
        label = f"{item['confidentiality']} {item['type']} {item['id']}"
        new_id = plan.new(f"{label} id", absent)
        renamed[item["id"]] = new_id
        item["id"] = new_id
        _fill_item(plan, ws, item, absent, label)
        if item["type"] == "radio_intercept":
            b = item["intercept"]
            b["channel"] = plan.new(f"{label} channel", absent)
            b["aircraft"] = plan.new(f"{label} aircraft", absent)
            b["callsigns"] = [plan.new(f"{label} callsign 1", absent), plan.new(f"{label} callsign 2", absent)]
            b["transcript"] = {"text": plan.new(f"{label} transcript", absent), "lang": "ru",
                               "translation": plan.new(f"{label} transcript translation", absent)}
        if item["type"] == "satellite_imagery":
            b = item["imagery"]
            b["provider"] = plan.new(f"{label} imagery provider", absent)
            b["analysis"] = plan.new(f"{label} imagery analysis", absent)
            b["location"] = {"lat": float(lat), "lon": float(lon)}

    # witness statements
    needs = {"ED-WIT-LEGAL": WITHHELD_OUTSIDE_INTERNAL,      # consent: legal team only
             "ED-WIT-NOCONSENT": WITHHELD_OUTSIDE_INTERNAL,  # no consent at all
             "ED-WIT-UN": WITHHELD_IN_PUBLIC,                # consent: legal team and UN bodies
             "ED-WIT-PUBLIC": frozenset()}                   # consent for everyone: only name and contact withheld
    sources_path = ev / "sources.yaml"
    sources = _load(sources_path)
    for path in sorted((ev / "items" / "witnesses").glob("*.yaml")):
        item = _load(path)
        old_id = item["id"]
        absent = needs[old_id]
        label = f"witness statement {old_id}"
        item["witness"]["name"] = plan.new(f"{label} witness name", WITHHELD_OUTSIDE_INTERNAL)
        item["witness"]["contact"] = "+999 " + plan.new(f"{label} witness contact", WITHHELD_OUTSIDE_INTERNAL)
        for source in sources:
            if source["id"] == item["source"]:
                source["name"] = plan.new(f"{label} name of the witness's source", WITHHELD_OUTSIDE_INTERNAL)
                # not printed today, in any edition: absence is still checked, should a template start printing them
                source["description"] = plan.new(f"{label} description of the witness's source",
                                                 WITHHELD_OUTSIDE_INTERNAL, shown_internal=False)
                source["url"] = "https://example.org/" + plan.new(f"{label} url of the witness's source",
                                                                  WITHHELD_OUTSIDE_INTERNAL, shown_internal=False)
        if absent:
            new_id = plan.new(f"{label} id", absent)
            renamed[old_id] = new_id
            item["id"] = new_id
            item["witness"]["pseudonym"] = plan.new(f"{label} pseudonym", absent)
            item["witness"]["role"] = plan.new(f"{label} role", absent)
            item["interview"]["interviewer"] = plan.new(f"{label} interviewer", absent)
            _fill_item(plan, ws, item, absent, label)
        _dump(path, item)
    _dump(sources_path, sources)

    # references to renamed items
    for item in docs:
        item["derived_from"] = [renamed.get(ref, ref) for ref in item.get("derived_from", [])]
    _dump(docs_path, docs)
    return ws, renamed


# --------------------------------------------------------------------------- reading the outputs

def _run(args: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("DOSSIER_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["COLUMNS"] = "400"  # the text report: wide enough not to wrap or truncate
    return subprocess.run([sys.executable, "-m", "dossier", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout)


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
    """The edition an output under out/ belongs to (out/<edition>/..., out/.<folder>/<edition>/...)."""
    for part in rel.parts[:2]:
        if part in ("internal", "un", "public"):
            return part
    return None


def squeeze(text: str) -> str:
    """The text with line breaks, spaces and the hyphens the layout inserts (U+2010, soft hyphens) removed,
    so a word broken over two lines is found whole."""
    return re.sub(r"\s+", "", re.sub(r"[\u2010\u00ad]\s*", "", text))


def _found(canary: Canary, text: str, squeezed: str) -> bool:
    if canary.text in text or canary.text in squeezed:
        return True
    # a canary cut short ("CANARY-ABCDEFGH…") or broken at its hyphen is still a leak
    return canary.text.startswith("CANARY-") and canary.text[7:15] in squeezed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("leaks")
    plan = Plan(random.Random(SEED))
    ws, renamed = make_workspace(tmp_path, plan)
    texts = [c.text for c in plan.canaries]
    assert len(texts) == len(set(texts)), "canaries must be distinct"
    validate = _run(["validate", "--workspace", str(ws)], tmp_path)
    assert validate.returncode == 0, f"the canary workspace does not validate:\n{validate.stderr[-3000:]}"
    proc = _run(["build", "--workspace", str(ws)], tmp_path)
    assert TRACEBACK not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]

    # outputs[edition] = list of (what, text)
    outputs: dict[str, list[tuple[str, str]]] = {"internal": [], "un": [], "public": [], None: []}
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
        elif path.is_file() and path.suffix == ".json":
            outputs[edition].append((f"out/{rel}", path.read_text(encoding="utf-8", errors="replace")))
    for edition in ("un", "public", "internal"):
        for fmt in ("json", "html", "text"):
            rep = _run(["report", "--format", fmt, "--edition", edition, "--workspace", str(ws)], tmp_path)
            assert TRACEBACK not in rep.stdout + rep.stderr
            assert rep.returncode == 0, f"report --format {fmt} --edition {edition}: {rep.stderr[-2000:]}"
            outputs[edition].append((f"report --format {fmt} --edition {edition}", rep.stdout))
            if fmt == "json":
                data = json.loads(rep.stdout)
                assert data["edition"] == edition
    return plan, ws, outputs


def _leaks(plan: Plan, outputs: list[tuple[str, str]], edition: str) -> list[str]:
    found = []
    for what, text in outputs:
        squeezed = squeeze(text)
        for canary in plan.canaries:
            if edition in canary.absent_in and _found(canary, text, squeezed):
                found.append(f"{canary.where} ({canary.text}) in {what}")
    return found


@pytest.mark.parametrize("edition", ["un", "public"])
def test_edition_withholds_every_canary(built, edition):
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
