"""The build lock (dossier/pipeline/lock.py) and its file, ``out/.dossier-lock``, which stays after a build.

The file is kept on purpose: the lock is ``flock`` on an open descriptor, so removing the file at the end
of a build would let a build that had opened it (and waits) lock a deleted file while a third one locks a
new file of the same name, both writing ``out/``. These tests pin that it is kept, that a kept file locks
nothing, and that the documentation says what it is.
"""

from __future__ import annotations

import pytest

from dossier.atomic import OutputError
from dossier.pipeline.lock import LOCK_FILE, build_lock
from dossier.pipeline.state import STATE_FILE

from conftest import REPO


def test_the_lock_file_stays_and_locks_nothing_once_released(tmp_path):
    out = tmp_path / "out"
    with build_lock(out):
        pass
    assert (out / LOCK_FILE).is_file(), "the lock file was removed: removing a flock file races with a waiter"
    with build_lock(out):  # would raise OutputError if the file left behind still held the lock
        pass


def test_the_lock_is_on_the_open_file_not_on_its_existence(tmp_path):
    out = tmp_path / "out"
    with build_lock(out):
        assert (out / LOCK_FILE).is_file()
        with pytest.raises(OutputError, match="another build"), build_lock(out):
            pass


def test_the_documentation_names_what_the_build_keeps_in_out():
    commands = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    for entry in (LOCK_FILE, STATE_FILE, ".parts/"):
        assert f"out/{entry}" in commands, f"docs/commands.md does not say what out/{entry} is"
