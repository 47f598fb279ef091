"""conftest's shared builds are read-only: a test that changes one is named, and a copy is a real copy.

No PDF is rendered here: a copied root stands for a build (``Built`` recorded by hand).
"""

from __future__ import annotations

import os

import pytest

from conftest import Built, BuiltWorkspaces, copy_root, tree_state


@pytest.fixture
def shared(tmp_path) -> BuiltWorkspaces:
    """A cache holding one 'build' of tests/roots/minimal (a copy, recorded as a successful build)."""
    workspaces = BuiltWorkspaces(tmp_path / "shared")
    ws = copy_root("minimal", tmp_path / "shared")
    (ws / "out").mkdir()
    (ws / "out" / "brief.pdf").write_bytes(b"%PDF-1.7 a build's output\n")
    workspaces.builds["minimal", ("--jobs", "1")] = Built(ws, 0, "", "", tree_state(ws, contents=True))
    return workspaces


def test_an_unchanged_build_passes(shared):
    assert shared("minimal", "--jobs", "1") == shared.builds["minimal", ("--jobs", "1")].path
    shared.check()
    shared.check(contents=True)


@pytest.mark.parametrize("change", ["write", "add", "remove", "same size and time"])
def test_a_change_to_a_shared_build_is_named(shared, change):
    ws = shared("minimal", "--jobs", "1")
    pdf = ws / "out" / "brief.pdf"
    if change == "write":
        pdf.write_bytes(b"%PDF-1.7 rewritten\n")
    elif change == "add":
        (ws / "out" / "extra.json").write_text("{}", encoding="utf-8")
    elif change == "remove":
        pdf.unlink()
    else:  # the same size, the old modification time put back: only the bytes tell
        info = pdf.stat()
        pdf.write_bytes(pdf.read_bytes().upper())
        os.utime(pdf, ns=(info.st_atime_ns, info.st_mtime_ns))
        shared.check()  # the cheap check after each test does not see it...
    with pytest.raises(pytest.fail.Exception, match=r"changed the shared build of tests/roots/minimal --jobs 1"):
        shared.check(contents=True)  # ...the one at the end of the session does


def test_a_failed_build_fails_every_test_that_asks_for_it(shared, tmp_path):
    shared.builds["minimal", ()] = Built(tmp_path, 1, "", "out/x.pdf: error: could not render\n")
    with pytest.raises(pytest.fail.Exception, match="could not render"):
        shared("minimal")


def test_a_copy_keeps_contents_and_times(shared, tmp_path):
    copy = shared.copy("minimal", tmp_path / "mine", "--jobs", "1")
    original = shared("minimal", "--jobs", "1")
    assert copy == tmp_path / "mine" / "minimal"
    assert tree_state(copy, contents=True) == tree_state(original, contents=True)
    (copy / "out" / "brief.pdf").write_bytes(b"changed in the copy\n")
    shared.check(contents=True)  # the shared one is untouched
