"""Incremental builds: what is rendered again, and what is not, after each kind of change.

tests/roots/editions (two incidents, items of every confidentiality and consent) is built once a session
(conftest's shared ``EDITIONS_BUILD``). Each test works on a copy of that build in its own folder (the render
keys do not depend on the workspace's path: a copy builds again without rendering anything, which
``test_unchanged_rebuild_renders_nothing`` checks), changes something, builds for real, and reads the
build's report on stderr: one ``rendered out/<edition>/<file>`` line per output written, then
``built N rendered, M unchanged, K failed in S s``. The same logic without PDFs, on the planned render
jobs and the state, is in tests/unit/test_plan.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EDITIONS_BUILD, REPO, run_dossier

EDITIONS = ("internal", "un", "public")
WESTMERE, ASHFORD = "INC-2021-06-02-WESTMERE", "INC-2021-07-09-ASHFORD"
FILES = (f"{WESTMERE}.pdf", f"{ASHFORD}.pdf", "case-dossier.pdf", "completeness.pdf")
ALL = {f"{e}/{f}" for e in EDITIONS for f in FILES}
SUMMARY = re.compile(r"^built (\d+) rendered, (\d+) unchanged, (\d+) failed", re.M)


class Build:
    def __init__(self, rc: int, stdout: str, stderr: str):
        assert "Traceback" not in stderr and "internal error" not in stderr and rc != 3, \
            f"a traceback / internal error (a bug):\n{stderr}"
        self.rc, self.stdout, self.stderr = rc, stdout, stderr
        self.rendered = set(re.findall(r"^rendered out/(\S+)$", self.stderr, re.M))
        match = SUMMARY.search(self.stderr)
        assert match, f"no summary line on stderr:\n{self.stderr}"
        self.counts = tuple(int(g) for g in match.groups())  # rendered, unchanged, failed

    def __repr__(self) -> str:
        return f"exit {self.rc}\n{self.stderr}"


def build(ws: Path, *args) -> Build:
    return Build(*run_dossier(["build", "--workspace", ws, *args], cwd=ws.parent, timeout=600))


def snapshot_of(ws: Path) -> dict[str, tuple[str, int]]:
    """(sha256, mtime_ns) of every output file in out/<edition>/."""
    result = {}
    for edition in EDITIONS:
        for path in sorted((ws / "out" / edition).glob("*")):
            if path.is_file() and not path.name.startswith("."):
                result[f"{edition}/{path.name}"] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                    path.stat().st_mtime_ns)
    return result


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def built(built_workspace) -> tuple[Path, dict]:
    """The shared build (read-only) and the (sha256, mtime) of each of its outputs; its first build rendered
    every output."""
    first = built_workspace.result(*EDITIONS_BUILD)
    result = Build(first.code, first.stdout, first.stderr)
    assert result.rc == 0, result
    assert result.rendered == ALL, result
    assert result.counts == (len(ALL), 0, 0), result
    return first.path, snapshot_of(first.path)


@pytest.fixture
def ws(built, copy_built, tmp_path) -> Path:
    """A copy of the built workspace (contents and modification times), in this test's own folder."""
    return copy_built(EDITIONS_BUILD, tmp_path)


def test_unchanged_rebuild_renders_nothing(ws, built):
    result = build(ws, "--jobs", "2")
    assert result.rc == 0, result
    assert result.rendered == set(), result
    assert result.counts == (0, len(ALL), 0), result
    assert "0 rendered" in result.stderr
    assert snapshot_of(ws) == built[1], "an unchanged build rewrote an output (bytes or modification time)"


# (item, file, old text, new text, outputs expected to be rendered again)
EDITS = {
    # restricted, Westmere: shown in internal and un, withheld from public
    "restricted-item": ("evidence/items/documents.yaml", "Registration of the clinic with the health directorate.",
                        "Registration of the clinic with the regional health directorate.",
                        {f"{e}/{f}" for e in ("internal", "un")
                         for f in (f"{WESTMERE}.pdf", "case-dossier.pdf", "completeness.pdf")}),
    # public, Ashford: shown in every edition
    "public-item": ("evidence/items/documents.yaml", "The strike hit the market square at the busiest hour.",
                    "The strike hit the market square at the busiest hour of the day.",
                    {f"{e}/{f}" for e in EDITIONS for f in (f"{ASHFORD}.pdf", "case-dossier.pdf",
                                                            "completeness.pdf")}),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_editing_one_item_renders_exactly_the_outputs_that_show_it(ws, built, edit):
    rel, old, new, expected = EDITS[edit]
    replace_in(ws / rel, old, new)
    result = build(ws, "--jobs", "2")
    assert result.rc == 0, result
    assert result.rendered == expected, (f"rendered again: {sorted(result.rendered)}\n"
                                         f"expected: {sorted(expected)}\n{result}")
    assert result.counts == (len(expected), len(ALL) - len(expected), 0), result
    before, after = built[1], snapshot_of(ws)
    for output in sorted(ALL - expected):
        assert after[output] == before[output], f"{output} does not show the item but was rewritten"
    for output in sorted(expected):
        assert after[output][0] != before[output][0], f"{output} was 'rendered' but its bytes did not change"


def test_corrupt_state_means_a_full_build(ws):
    """(Other kinds of damaged state file, on the state and the planned jobs: tests/unit/test_plan.py.)"""
    (ws / "out" / ".dossier-state.json").write_bytes(b"\x00\xff{{ not json at all")
    result = build(ws, "--edition", "internal", "--jobs", "2")
    internal = {o for o in ALL if o.startswith("internal/")}
    assert result.rc == 0, result
    assert result.rendered == internal, result
    assert result.counts == (len(internal), 0, 0), result
    json.loads((ws / "out" / ".dossier-state.json").read_text(encoding="utf-8"))  # repaired
    again = build(ws, "--edition", "internal", "--jobs", "2")
    assert again.counts == (0, len(internal), 0), again


def test_missing_output_is_rendered_again(ws, built):
    (ws / "out" / "public" / f"{ASHFORD}.pdf").unlink()
    result = build(ws, "--edition", "public", "--jobs", "2")
    assert result.rc == 0, result
    assert result.rendered == {f"public/{ASHFORD}.pdf"}, result
    assert snapshot_of(ws)[f"public/{ASHFORD}.pdf"][0] == built[1][f"public/{ASHFORD}.pdf"][0]


@pytest.fixture(scope="module")
def forced(built, copy_built, tmp_path_factory) -> tuple[Build, dict]:
    """--force --jobs 1 over a copy of the shared build (made with --jobs 2)."""
    path = copy_built(EDITIONS_BUILD, tmp_path_factory.mktemp("forced"))
    result = build(path, "--force", "--jobs", "1")
    return result, snapshot_of(path)


def test_force_renders_everything(forced):
    result, _ = forced
    assert result.rc == 0, result
    assert result.rendered == ALL, result
    assert result.counts == (len(ALL), 0, 0), result


def test_jobs_1_and_2_give_identical_bytes(forced, built):
    _, after = forced
    before = built[1]
    assert set(after) == set(before)
    differ = sorted(o for o in before if after[o][0] != before[o][0])
    assert not differ, f"--jobs 1 and --jobs 2 differ: {differ}"


BROKEN = '{% if incident.id == "' + ASHFORD + '" %}{{ undefined_variable.attr }}{% endif %}\n'


def test_a_failed_output_does_not_stop_the_others(ws, built):
    """A template error in one brief (StrictUndefined) fails that output only; the build exits 1.
    (Regression: templates were rendered in plan(), so one error aborted the build with exit 3.)"""
    builtin = (REPO / "templates" / "brief.html").read_text(encoding="utf-8")
    lines = builtin.splitlines(keepends=True)
    body = next(i for i, line in enumerate(lines) if line.startswith("<body"))
    (ws / "templates").mkdir()
    (ws / "templates" / "brief.html").write_text("".join(lines[:body + 1] + [BROKEN] + lines[body + 1:]),
                                                 encoding="utf-8")
    result = build(ws, "--edition", "internal", "--jobs", "2")
    assert result.rc == 1, result
    assert ASHFORD in result.stderr and "error" in result.stderr, result
    # the case dossier's chapters are the briefs: it fails with the brief it holds, and says so
    assert "out/internal/case-dossier.pdf: error: could not render: a brief it holds could not be prepared" \
        in result.stderr, result
    assert result.counts[2] == 2, result
    others = {f"internal/{f}" for f in (f"{WESTMERE}.pdf", "completeness.pdf")}
    assert others <= result.rendered, result  # the template override changed every output's inputs
    after = snapshot_of(ws)
    for output in others:
        assert after[output][1] != built[1][output][1], f"{output} was not written"
    # the failed output is tried again next time, not taken as up to date
    again = build(ws, "--edition", "internal", "--jobs", "2")
    assert again.rc == 1 and again.counts == (0, 2, 2), again


def test_a_moved_workspace_renders_nothing(built, tmp_path):
    """(Regression: the output keys held the workspace's absolute path, so a moved or freshly cloned
    workspace rendered everything again.)"""
    moved = tmp_path / "moved" / "editions"
    shutil.copytree(built[0], moved, symlinks=True)
    result = build(moved, "--edition", "public", "--jobs", "2")
    assert result.rc == 0, result
    assert result.counts == (0, 4, 0), result


# ---------------------------------------------------------------- a build never trusts what is in out/

def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, errors="replace").stdout


def test_a_truncated_output_is_rendered_again(ws, built):
    path = ws / "out" / "public" / "completeness.pdf"
    path.write_bytes(path.read_bytes()[:5000])
    result = build(ws, "--edition", "public", "--jobs", "2")
    assert result.rc == 0, result
    assert result.rendered == {"public/completeness.pdf"}, result
    assert snapshot_of(ws)["public/completeness.pdf"][0] == built[1]["public/completeness.pdf"][0]


def test_a_brief_copied_in_from_another_edition_is_replaced(ws, built):
    """(Regression: the internal brief copied over the un one was reported "unchanged" and kept.)"""
    shutil.copyfile(ws / "out" / "internal" / f"{WESTMERE}.pdf", ws / "out" / "un" / f"{WESTMERE}.pdf")
    result = build(ws, "--edition", "un", "--jobs", "2")
    assert result.rc == 0, result
    assert result.rendered == {f"un/{WESTMERE}.pdf"}, result
    assert snapshot_of(ws)[f"un/{WESTMERE}.pdf"][0] == built[1][f"un/{WESTMERE}.pdf"][0]


def test_an_internal_part_copied_into_the_un_parts_never_reaches_the_un_dossier(ws, built):
    """(Regression: the internal chapter copied into out/.parts/un was assembled into the un dossier, witness
    name included, as soon as anything else made the dossier be assembled again.) The part is the un brief's
    too: neither the un brief nor the un dossier may be assembled from the copy."""
    parts = ws / "out" / ".parts"
    shutil.copyfile(parts / "internal" / f"brief-{WESTMERE}.pdf", parts / "un" / f"brief-{WESTMERE}.pdf")
    assert "Canary Alpha Wexley" in _text(parts / "un" / f"brief-{WESTMERE}.pdf")
    replace_in(ws / "evidence/items/documents.yaml", "The strike hit the market square at the busiest hour.",
               "The strike hit the market square at the busiest hour of the day.")  # the un dossier is assembled
    result = build(ws, "--edition", "un", "--jobs", "2")
    assert result.rc == 0, result
    assert "un/case-dossier.pdf" in result.rendered, result
    text = _text(ws / "out" / "un" / "case-dossier.pdf")
    assert "WIT-BRAVO" in text  # the un chapter is there
    assert "Canary Alpha Wexley" not in text and "WIT-ALPHA" not in text, "an internal part reached the un dossier"
    brief_text = _text(ws / "out" / "un" / f"{WESTMERE}.pdf")
    assert "WIT-BRAVO" in brief_text and "Canary Alpha Wexley" not in brief_text


@pytest.mark.parametrize("part", ["front.pdf", f"brief-{WESTMERE}.pdf", "completeness-head.pdf"])
def test_a_damaged_part_is_rendered_again(ws, built, part):
    """(Regression: a damaged part gave "internal error", exit 3, on every later build.)"""
    (ws / "out" / ".parts" / "un" / part).write_bytes(b"%PDF-1.7\n garbage")
    result = build(ws, "--edition", "un", "--jobs", "2")
    assert result.rc == 0, result
    assert result.counts[2] == 0, result
    assert snapshot_of(ws)["un/case-dossier.pdf"][0] == built[1]["un/case-dossier.pdf"][0]
    again = build(ws, "--edition", "un", "--jobs", "2")
    assert again.counts == (0, 4, 0), again


def test_force_on_one_incident_keeps_every_other_output_reusable(ws, built):
    """``--force --incident X`` renders X's briefs; the next plain build still reuses everything else."""
    forced = build(ws, "--force", "--incident", ASHFORD, "--jobs", "2")
    assert forced.rc == 0, forced
    assert forced.rendered == {f"{e}/{ASHFORD}.pdf" for e in EDITIONS}, forced
    again = build(ws, "--jobs", "2")
    assert again.counts == (0, len(ALL), 0), again


def _png(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), colour).save(path, format="PNG")


IMAGE_ITEM = """\
- id: ED-PHOTO
  type: photo
  title: Photograph of the damaged hall
  incidents: [INC-2021-07-09-ASHFORD]
  source: SRC-RELIEF
  credibility: 2
  date: 2021-07-10
  confidentiality: public
  summary: The collapsed roof of the market hall.
  file: {path: files/hall.png, sha256: SHA, media_type: image/png}
  supports:
    - {element: rs-8-2-e-iv/1, stance: supports}
"""


def test_a_replaced_exhibit_is_refused_until_its_hash_is_reviewed(ws, built):
    """An image replaced (a face-blurred copy, say) with the same name, size and modification time, and no
    `dossier hash --update`: the build refuses it, naming the item and the file, and renders nothing; once
    the hash is updated, every output that embeds or cites the image is rendered again, the case dossier's
    exhibit part included. (Regression: the brief showed the new image, the dossier the old one, and verify
    accepted both.)"""
    files = ws / "evidence" / "files"
    files.mkdir(exist_ok=True)
    image = files / "hall.png"
    _png(image, (200, 30, 30))
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    with (ws / "evidence/items/documents.yaml").open("a", encoding="utf-8") as handle:
        handle.write(IMAGE_ITEM.replace("SHA", digest))
    first = build(ws, "--edition", "public", "--jobs", "2")
    assert first.rc == 0, first
    state = json.loads((ws / "out" / ".dossier-state.json").read_text(encoding="utf-8"))["outputs"]
    stat = image.stat()
    old_size = stat.st_size
    _png(image, (30, 30, 200))
    assert image.stat().st_size == old_size, "the test needs a replacement of the same size"
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    before = snapshot_of(ws)
    rc, _, err = run_dossier(["build", "--workspace", ws, "--edition", "public"], cwd=ws.parent, timeout=600)
    assert rc == 1, err
    assert re.search(r"^evidence/items/documents\.yaml:\d+:\d+: error: (?:ED-PHOTO: )?file\.sha256: .*the exhibit changed since "
                     r"it was hashed; nothing is built with it until the change is reviewed: .*dossier hash --update",
                     err, re.M), err
    assert "Traceback" not in err
    assert snapshot_of(ws) == before, "a refused build wrote outputs"
    rc, _, err = run_dossier(["hash", "--update", "--workspace", ws], cwd=ws.parent)
    assert rc == 0, err
    after = build(ws, "--edition", "public", "--jobs", "2")
    assert after.rc == 0, after
    assert {f"public/{ASHFORD}.pdf", "public/case-dossier.pdf"} <= after.rendered, after
    new_state = json.loads((ws / "out" / ".dossier-state.json").read_text(encoding="utf-8"))["outputs"]
    brief_part = f".parts/public/brief-{ASHFORD}.pdf"  # the brief and the dossier's chapter: one rendering
    assert new_state[brief_part]["key"] != state[brief_part]["key"]


def test_the_render_key_holds_the_bytes_of_an_embedded_image(ws, tmp_path):
    """The key of a brief changes when an image it embeds changes, even at the same path, size and time."""
    from dossier.analysis.completeness import assess
    from dossier.analysis.editions import apply_edition
    from dossier.pipeline.jobs import prepare_brief
    from dossier.pipeline.session import load as load_case

    files = ws / "evidence" / "files"
    files.mkdir(exist_ok=True)
    image = files / "hall.png"
    _png(image, (200, 30, 30))
    with (ws / "evidence/items/documents.yaml").open("a", encoding="utf-8") as handle:
        handle.write(IMAGE_ITEM.replace(", sha256: SHA", ""))

    def key() -> str:
        view = apply_edition(load_case(ws), "public")
        job = prepare_brief(view, assess(view), ASHFORD)
        assert image.resolve().as_uri() in job.html
        return job.key()

    first = key()
    stat = image.stat()
    _png(image, (30, 30, 200))
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert image.stat().st_size == stat.st_size
    assert key() != first
