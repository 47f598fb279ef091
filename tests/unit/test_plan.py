"""Incremental-build logic without a PDF: the keys of the planned render jobs, and the build state, in process.

A build renders a part only when its key (``RenderJob.key()``) differs from the one recorded in
``out/.dossier-state.json`` (or the file there is not the one written), and assembles a document again only
when one of its parts, its page numbering or its manifest changed. So which outputs a change renders again is
decided by the keys of the planned parts and the manifests: these tests check that on tests/roots/editions
without rendering anything.
tests/e2e/test_incremental.py checks the same by real builds, for fewer changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dossier.pipeline import session
from dossier.pipeline.plan import plan
from dossier.pipeline.state import STATE_FILE, load_state, save_state

from conftest import copy_root

EDITIONS = ("internal", "un", "public")
WESTMERE, ASHFORD = "INC-2021-06-02-WESTMERE", "INC-2021-07-09-ASHFORD"


def planned(ws: Path) -> dict[str, str]:
    """For every document a full build of ``ws`` plans (by path under out/: briefs, completeness reports, case
    dossiers), a key over what it is assembled from: its parts' keys, its front's (with the contents' page
    numbers not yet known) and its manifest."""
    keys = {}
    for doc in _documents(ws):
        front = [doc.front(doc.guess, [1] * len(doc.parts)).key()] if doc.front else []
        inputs = [*front, *(p.job.key() for p in doc.parts), hashlib.sha256(doc.manifest).hexdigest()]
        keys[doc.rel] = hashlib.sha256("\x00".join(inputs).encode()).hexdigest()
    return keys


def engine_calls(ws: Path) -> dict[str, str]:
    """The key of every part the engine renders, by path under out/ (a brief's part once, for the brief and the
    case dossier's chapter)."""
    keys = {}
    for doc in _documents(ws):
        for p in doc.parts:
            keys[p.job.rel] = p.job.key()
        if doc.front:
            keys[doc.front_rel] = doc.front(doc.guess, [1] * len(doc.parts)).key()
    return keys


def _documents(ws: Path):
    documents, _, failures = plan(session.load(ws), EDITIONS, [])
    assert not failures, failures
    return documents


def outputs_of(rels: set[str]) -> set[str]:
    return rels


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert set(before) == set(after), "the change added or removed outputs"
    return {rel for rel in before if before[rel] != after[rel]}


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> dict[str, str]:
    return planned(copy_root("editions", tmp_path_factory.mktemp("original")))


def test_keys_are_the_same_in_another_folder(original, tmp_path):
    """A moved or freshly cloned workspace renders nothing again: no key holds the workspace's path."""
    moved = copy_root("editions", tmp_path / "somewhere" / "else")
    again = planned(moved)
    assert again == original
    assert planned(moved) == again  # and loading twice gives the same keys


def both(files: tuple[str, ...]) -> set[str]:
    return {f"{e}/{f}" for e in ("internal", "un") for f in files}


ALL_FILES = (f"{WESTMERE}.pdf", f"{ASHFORD}.pdf", "case-dossier.pdf", "completeness.pdf")
# (file, old text, new text, the outputs whose inputs change)
EDITS = {
    # restricted, Westmere: shown in internal and un, withheld from public
    "restricted item": ("evidence/items/documents.yaml", "Registration of the clinic with the health directorate.",
                        "Registration of the clinic with the regional health directorate.",
                        both((f"{WESTMERE}.pdf", "case-dossier.pdf", "completeness.pdf"))),
    # public, Ashford: shown in every edition
    "public item": ("evidence/items/documents.yaml", "The strike hit the market square at the busiest hour.",
                    "The strike hit the market square at the busiest hour of the day.",
                    {f"{e}/{f}" for e in EDITIONS for f in (f"{ASHFORD}.pdf", "case-dossier.pdf",
                                                            "completeness.pdf")}),
    # confidential, Westmere: shown in internal only
    "confidential item": ("evidence/items/documents.yaml", "A pilot confirms the target is the clinic before release.",
                          "A pilot confirms the target is the clinic just before release.",
                          {f"internal/{f}" for f in (f"{WESTMERE}.pdf", "case-dossier.pdf", "completeness.pdf")}),
    # the case's title is printed on every output
    "case title": ("evidence/case.yaml", "title: Editions test case", "title: Revised editions test case",
                   {f"{e}/{f}" for e in EDITIONS for f in ALL_FILES}),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_changes_the_keys_of_exactly_the_outputs_that_show_it(original, tmp_path, edit):
    rel, old, new, expected = EDITS[edit]
    ws = copy_root("editions", tmp_path)
    path = ws / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert outputs_of(changed(original, planned(ws))) == expected


def test_a_withheld_witness_statement_changes_only_the_internal_outputs(original, tmp_path):
    """A statement without consent for un or public: what it says reaches the internal outputs only."""
    ws = copy_root("editions", tmp_path)
    statement = ws / "evidence/items/witnesses/ed-wit-noconsent.yaml"
    text = statement.read_text(encoding="utf-8")
    assert text.count("The driver saw no fighters") == 1
    statement.write_text(text.replace("The driver saw no fighters", "The driver saw no fighters at all"),
                         encoding="utf-8")
    assert outputs_of(changed(original, planned(ws))) == {f"internal/{f}" for f in (f"{WESTMERE}.pdf", "case-dossier.pdf",
                                                                                     "completeness.pdf")}


@pytest.mark.parametrize("garbage", [b"\x00\xff{{ not json at all", b'{"version": 1, "outputs": {"internal/x": 5}}',
                                     b'{"version": 2, "program": "0.0.0", "outputs": {}}', b"[]", b""],
                         ids=["binary", "wrong-shape", "other-program", "a-list", "empty"])
def test_a_corrupt_state_keeps_nothing_fresh_and_is_repaired(original, tmp_path, garbage):
    """Whatever is in the state file, no planned job is taken as up to date (a full build, never a crash);
    the state saved after it reads back whole."""
    out = tmp_path / "out"
    out.mkdir()
    for rel in original:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"%PDF-1.7 written by a build\n")
    (out / STATE_FILE).write_bytes(garbage)
    state = load_state(out)
    assert not [rel for rel, key in original.items() if state.fresh(rel, key)]
    for rel, key in original.items():
        state.record(rel, key)
    save_state(state)
    json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    again = load_state(out)
    assert all(again.fresh(rel, key) for rel, key in original.items())
    # a file changed on disk since it was recorded is not fresh, whatever its key
    (out / f"public/{ASHFORD}.pdf").write_bytes(b"%PDF-1.7 copied in from elsewhere\n")
    assert not load_state(out).fresh(f"public/{ASHFORD}.pdf", original[f"public/{ASHFORD}.pdf"])


def test_the_state_ignores_a_folder_copied_over_an_output(original, tmp_path):
    """An output that is not a regular file (a folder where a PDF was) is never fresh."""
    out = tmp_path / "out"
    (out / "internal").mkdir(parents=True)
    rel = f"internal/{WESTMERE}.pdf"
    (out / rel).write_bytes(b"%PDF-1.7\n")
    state = load_state(out)
    state.record(rel, original[rel])
    save_state(state)
    (out / rel).unlink()
    (out / rel).mkdir()
    assert not load_state(out).fresh(rel, original[rel])
    shutil.rmtree(out / rel)


def test_an_edit_renders_only_the_parts_that_show_it(tmp_path):
    """An item's summary is printed in its incident's brief alone: the engine renders that brief's part once per
    edition (the brief and the case dossier's chapter are the same rendering), and nothing else. The case dossier
    and the completeness report, which rest on the item, are assembled again with their new manifest, from the
    parts they have."""
    ws = copy_root("editions", tmp_path)
    before_calls, before_docs = engine_calls(ws), planned(ws)
    path = ws / "evidence/items/documents.yaml"
    text = path.read_text(encoding="utf-8")
    old = "The strike hit the market square at the busiest hour."
    assert text.count(old) == 1
    path.write_text(text.replace(old, old[:-1] + " of the day."), encoding="utf-8")
    assert changed(before_calls, engine_calls(ws)) == {f".parts/{e}/brief-{ASHFORD}.pdf" for e in EDITIONS}
    assert changed(before_docs, planned(ws)) == {f"{e}/{f}" for e in EDITIONS
                                                 for f in (f"{ASHFORD}.pdf", "case-dossier.pdf", "completeness.pdf")}


def test_a_status_change_renders_the_incidents_sections_and_the_fronts(tmp_path):
    """An item that now contradicts an element changes the incident's statuses: its brief, its section of the
    completeness report and the fronts that count statuses are rendered again; the other incident's parts are
    not. (The edit keeps every line where it was: a warning names its line, so an edit that moves the lines of
    a file of several items renders again the sections that print their warnings.)"""
    ws = copy_root("editions", tmp_path)
    before = engine_calls(ws)
    path = ws / "evidence/items/documents.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    - {element: rs-8-2-e-iv/1, stance: supports}\n    - {element: rs-8-2-e-iv/2, stance: supports}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("/1, stance: supports", "/1, stance: contradicts")), encoding="utf-8")
    touched = changed(before, engine_calls(ws))
    assert not {rel for rel in touched if ASHFORD in rel}, touched
    assert {f".parts/{e}/{p}" for e in EDITIONS for p in (f"brief-{WESTMERE}.pdf", "front.pdf", "completeness-head.pdf",
                                                          f"completeness-incident-{WESTMERE}.pdf")} == touched


def test_each_section_of_the_completeness_report_runs_under_its_incident(tmp_path):
    """Every page of an incident's section names that incident in its running head, as a brief's pages do (a
    section is a document of its own when rendered: its opening sets the head). (Regression: every page of
    every section read "Completeness report".)"""
    documents = _documents(copy_root("editions", tmp_path))
    report = next(d for d in documents if d.rel == "public/completeness.pdf")
    sections = [p.job for p in report.parts if p.job.name.startswith("completeness-incident-")]
    assert len(sections) == 2
    for job in sections:
        incident = job.name.removeprefix("completeness-incident-").removesuffix(".pdf")
        assert f'data-subject="{incident}"' in job.html, job.name
