"""One build at a time in a workspace: an exclusive lock on ``out/.dossier-lock`` for the whole build.

Two builds writing one ``out/`` would overwrite each other's incremental state and could leave stale
outputs. The lock is ``flock`` on an open descriptor, so the system releases it when the holder ends,
however it ends: a killed build leaves no stale lock. The file holds the holder's process id, only to
name it in the message a second build prints. Reading commands (``verify``) take no lock: every output
is replaced atomically, so they see whole files.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dossier.atomic import OutputError, cannot_write, open_in_folder, output_folder

LOCK_FILE = ".dossier-lock"


def _holder(fd: int) -> str:
    """"process 12345", from the lock file (the holder writes its id once it has the lock)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"process {text}" if text.isdigit() else "another process"


@contextmanager
def build_lock(out: Path, wait: bool = False, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the workspace's build lock (``out/`` is made if missing). Raises OutputError when another build
    holds it, unless ``wait``: then ``waiting`` is told who holds it, and the lock is taken once it is free."""
    shown = f"{out.name}/"
    with output_folder(out) as folder:
        assert folder is not None  # output_folder made it (create=True)
        fd = open_in_folder(folder, LOCK_FILE, f"{out.name}/{LOCK_FILE}", os.O_RDWR | os.O_CREAT)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise OutputError(shown, f"another build ({holder}) is writing this folder; wait for it to "
                                         "finish, or run the build with --wait") from None
            if waiting is not None:
                waiting(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:  # a file system without locks
            raise cannot_write(shown, exc) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass  # the descriptor holds the lock; the id only names it, and a full disk must not stop a build here
        yield
    finally:
        os.close(fd)  # releases the lock
