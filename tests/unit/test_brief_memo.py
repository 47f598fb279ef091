"""A brief is prepared from its scope (pipeline/memo.py), and kept under a key that hashes that scope.

The scope must be enough: for every brief of every test case, the sample case and a synthetic case with
chains of repeated reports, the brief prepared from its scope is the brief prepared from the whole edition
(same HTML, same manifest, same numbers). The key must move with what the brief shows and only with that: an
edit to an item of the incident prepares it again; an edit to another incident's item does not."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from dossier.pipeline import session
from dossier.pipeline.jobs import brief_part
from dossier.pipeline.memo import BriefMemo, brief_scope, mentions, scope_key
from dossier.pipeline.plan import plan
from dossier.pipeline.state import BuildState
from dossier.rendering import context as ctx

from conftest import REPO, ROOTS, copy_root

EDITIONS = ("internal", "un", "public")


def _synthetic(tmp: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synth import make_case
    finally:
        sys.path.pop(0)
    return make_case(tmp / "synth", 6, 60, seed=3)


def _workspaces(tmp: Path) -> list[Path]:
    found = [copy_root(r.name, tmp) for r in sorted(ROOTS.iterdir()) if (r / "evidence" / "case.yaml").is_file()]
    sample = tmp / "sample"
    shutil.copytree(REPO / "evidence", sample / "evidence")
    return [*found, sample, _synthetic(tmp)]


def test_a_brief_from_its_scope_is_the_brief_from_the_whole_edition(tmp_path):
    checked = 0
    for ws in _workspaces(tmp_path):
        case = session.load(ws)
        for edition in EDITIONS:
            seen = session.edition(case, edition)
            view, assessment = seen.case, seen.assessment
            numbers, named = ctx.exhibit_numbers(view), mentions(view)
            for result in assessment.incidents:
                whole = brief_part(view, assessment, result.id, numbers)
                scoped = brief_part(*brief_scope(view, assessment, result.id, named), result.id, numbers)
                assert scoped.job.html == whole.job.html, (ws.name, edition, result.id)
                assert scoped.manifest == whole.manifest, (ws.name, edition, result.id)
                assert (scoped.numbers, scoped.annex) == (whole.numbers, whole.annex)
                checked += 1
    assert checked > 60


def _keys(ws: Path, edition: str = "public") -> dict[str, str]:
    seen = session.edition(session.load(ws), edition)
    view, assessment = seen.case, seen.assessment
    numbers, named = ctx.exhibit_numbers(view), mentions(view)
    return {r.id: scope_key(*brief_scope(view, assessment, r.id, named), numbers) for r in assessment.incidents}


def test_the_key_moves_with_the_incidents_items_only(tmp_path):
    ws = _synthetic(tmp_path)
    before = _keys(ws)
    incident = sorted(before)[2]
    item = next(p for p in sorted((ws / "evidence" / "items" / incident.lower()).glob("*.yaml"))
                if "confidentiality: public" in p.read_text(encoding="utf-8"))
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("summary: ", "summary: Revised. ", 1), encoding="utf-8")
    after = _keys(ws)
    moved = {i for i in before if before[i] != after[i]}
    # the incident's brief, and those of incidents with an item linked to the edited one (a report repeating it)
    seen = session.edition(session.load(ws), "public")
    named = mentions(seen.case)
    edited = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("id: "))
    linked = {r.id for r in seen.assessment.incidents
              if edited in brief_scope(seen.case, seen.assessment, r.id, named)[0].items}
    assert incident in moved and moved == linked and len(moved) < len(before), (moved, linked)


@pytest.mark.parametrize("edit", ["case title", "an exhibit file"])
def test_the_key_moves_for_every_brief_with_what_each_prints(tmp_path, edit):
    ws = copy_root("editions", tmp_path)
    before = _keys(ws, "internal")
    if edit == "case title":
        path = ws / "evidence" / "case.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("title: Editions test case",
                                                                  "title: Revised editions test case"),
                        encoding="utf-8")
        assert all(before[i] != k for i, k in _keys(ws, "internal").items())
    else:  # the same YAML, other bytes in the file: the brief embeds or lists it
        files = ws / "evidence" / "files"
        files.mkdir(exist_ok=True)
        with (ws / "evidence/items/documents.yaml").open("a", encoding="utf-8") as handle:
            handle.write("- id: ED-FILE\n  type: document\n  title: A ledger\n  incidents: [INC-2021-07-09-ASHFORD]\n"
                         "  source: SRC-RELIEF\n  credibility: 2\n  date: 2021-07-10\n  confidentiality: public\n"
                         "  summary: A ledger.\n  file: {path: files/ledger.txt}\n")
        (files / "ledger.txt").write_text("one", encoding="utf-8")
        first = _keys(ws, "internal")
        (files / "ledger.txt").write_text("a longer one", encoding="utf-8")  # (a size the stat memo sees)
        assert _keys(ws, "internal")["INC-2021-07-09-ASHFORD"] != first["INC-2021-07-09-ASHFORD"]


def test_a_kept_plan_is_read_back_and_gives_the_same_documents(tmp_path):
    ws = copy_root("editions", tmp_path)
    out = ws / "out"
    out.mkdir()
    state = BuildState(out)
    case = session.load(ws)
    first = BriefMemo(out, state)
    documents, _, _ = plan(case, EDITIONS, [], first)
    first.save()
    again = BriefMemo(out, state)
    repeated, _, _ = plan(case, EDITIONS, [], again)
    assert again.hits == 6 and not again.pending  # 2 incidents, 3 editions
    assert [(d.rel, [p.job.key() for p in d.parts], d.manifest) for d in documents] == \
        [(d.rel, [p.job.key() for p in d.parts], d.manifest) for d in repeated]
    # a kept plan altered on disk is not the one recorded: it is prepared again
    kept = next(out.rglob("*.plan.json"))
    kept.write_bytes(kept.read_bytes().replace(b"Ashford", b"Ashf0rd"))
    third = BriefMemo(out, BuildState(out, dict(state.records)))
    plan(case, EDITIONS, [], third)
    assert third.hits == 5 and len(third.pending) == 1
