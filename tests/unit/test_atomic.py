"""dossier/build/atomic.py: outputs are written whole, only inside out/, never through a symbolic link.

In-process and fast; the same rules seen from the command line (and with real full and read-only file
systems) are in tests/e2e/test_faults.py.
"""

from __future__ import annotations

import errno
import os
import pickle
import stat
from pathlib import Path

import pytest

from dossier.atomic import LINK, OutputError, check_folders, clean_temporaries, write_bytes_atomic, write_output


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / ".tmp-keep").write_text("not dossier's", encoding="utf-8")
    return folder


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_output_makes_its_folders_and_an_ordinary_file(ws):
    write_output(ws / "out", "un/.parts/x.pdf", b"%PDF-1.7 whole")
    target = ws / "out" / "un" / ".parts" / "x.pdf"
    assert target.read_bytes() == b"%PDF-1.7 whole"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    write_output(ws / "out", "un/.parts/x.pdf", b"replaced")
    assert target.read_bytes() == b"replaced"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.pdf"], "a temporary file was left behind"


@pytest.mark.parametrize("link", ["out", "out/un", "out/un/.parts", "out/un/.parts/x.pdf"])
def test_a_symbolic_link_anywhere_under_out_is_refused(ws, outside, link):
    if link != "out":
        (ws / link).parent.mkdir(parents=True)
    (ws / link).symlink_to(outside / "x.pdf" if link.endswith(".pdf") else outside)
    before = listing(outside)
    with pytest.raises(OutputError) as caught:
        write_output(ws / "out", "un/.parts/x.pdf", b"%PDF")
    assert str(caught.value) == f"{link}: error: {LINK}"
    assert listing(outside) == before, "a file was written through the link"
    assert (ws / link).is_symlink(), "the user's link was changed"


@pytest.mark.parametrize("link", ["out", "out/public", "out/.parts", "out/.parts/public"])
def test_check_folders_refuses_a_link_before_anything_is_written(ws, outside, link):
    (ws / link).parent.mkdir(parents=True, exist_ok=True)
    (ws / link).symlink_to(outside)
    with pytest.raises(OutputError) as caught:
        check_folders(ws / "out", ["public", ".parts", ".parts/public"])
    assert caught.value.path == link and caught.value.reason == LINK


def test_check_folders_makes_nothing(ws):
    check_folders(ws / "out", ["public", ".parts/public"])
    assert not (ws / "out").exists()


def test_a_file_where_a_folder_belongs_is_a_clean_error(ws):
    (ws / "out").mkdir()
    (ws / "out" / "un").write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_output(ws / "out", "un/x.pdf", b"%PDF")
    assert caught.value.path == "out/un" and "is not a folder" in caught.value.reason


def test_output_error_crosses_a_process_boundary():
    """Workers raise it; the executor sends it back pickled."""
    error = pickle.loads(pickle.dumps(OutputError("out/un/x.pdf", "cannot write: No space left on device")))
    assert (error.path, error.reason) == ("out/un/x.pdf", "cannot write: No space left on device")
    assert str(error) == "out/un/x.pdf: error: cannot write: No space left on device"


def test_clean_temporaries_follows_no_link(ws, outside):
    out = ws / "out"
    (out / "un").mkdir(parents=True)
    (out / "un" / ".tmp-abc.pdf").write_bytes(b"half")
    (out / "public").symlink_to(outside)
    clean_temporaries(out)
    assert not (out / "un" / ".tmp-abc.pdf").exists()
    assert (outside / ".tmp-keep").exists(), "a file outside out/ was removed through a link"


def test_clean_temporaries_does_not_follow_out_itself(ws, outside):
    (ws / "out").symlink_to(outside)
    clean_temporaries(ws / "out")
    assert (outside / ".tmp-keep").exists(), "a file outside the workspace was removed through out/"


def test_a_user_path_whose_folder_is_a_file_is_a_clean_error(tmp_path):
    (tmp_path / "notes").write_text("a file", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_bytes_atomic(tmp_path / "notes" / "report.json", b"{}")
    assert caught.value.reason == f"cannot write: {os.strerror(errno.ENOTDIR)}"  # Not a directory


def test_a_user_path_that_is_a_pipe_is_written_into(tmp_path):
    """``--output /dev/stdout`` writes to the pipe; replacing the node would write nothing the user sees."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_bytes_atomic(fifo, b"report\n")
        assert os.read(reader, 100) == b"report\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
