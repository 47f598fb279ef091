"""Atomic writes: a file is written in full under a temporary name in its folder, then renamed into place.

A build killed at any moment leaves either the old file or the new one, never half of one.

Outputs are written only inside the workspace's ``out/``, and never through a symbolic link: the folders
are opened one at a time from the workspace down, each with ``O_NOFOLLOW``, and every later step
(making a folder, the temporary file, the rename) is relative to the folder's descriptor, so a link at
``out/``, ``out/public``, ``out/.parts/un`` or ``out/un/X.pdf`` (even one made while the build runs) is
refused, not followed. A write that fails (a full disk, a read-only file system) is an
:class:`OutputError` naming the file, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LINK = "is a symbolic link; dossier writes only inside out/ and will not follow it: remove the link"
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class OutputError(Exception):
    """A file or folder that cannot be written: where (as the user knows it) and why."""

    def __init__(self, path: str, reason: str):
        super().__init__(path, reason)  # both in args: the error crosses from a worker process pickled
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return f"{self.path}: error: {self.reason}"


def cannot_write(shown: str, exc: OSError) -> OutputError:
    """The OutputError for a failed system call: ``out/un/X.pdf: error: cannot write: Read-only file system``."""
    return OutputError(shown, f"cannot write: {exc.strerror or exc}")


def _refusal(folder: int, name: str, shown: str, exc: OSError) -> OutputError:
    """Why opening ``name`` in ``folder`` failed: a link or a file in the way says so, else the system's reason."""
    try:
        mode = os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    except OSError:
        return cannot_write(shown, exc)
    if stat.S_ISLNK(mode):
        return OutputError(shown, LINK)
    if exc.errno == errno.ENOTDIR:  # a file where dossier needs a folder
        return OutputError(shown, "is not a folder; dossier needs a folder here: move the file away")
    return cannot_write(shown, exc)


@contextmanager
def output_folder(out: Path, rel: str = "", create: bool = True) -> Iterator[int | None]:
    """A descriptor of the folder ``out/rel`` (``out`` included), each folder made if missing (or, with
    ``create=False``, None when one is missing). Raises OutputError for a symbolic link on the way."""
    names = [out.name, *(p for p in rel.split("/") if p)]
    try:  # the workspace's own path is the user's to choose: links in it are followed
        fd = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise cannot_write(str(out.parent), exc) from None
    try:
        for depth, name in enumerate(names):
            shown = "/".join(names[: depth + 1])
            if create:
                try:
                    os.mkdir(name, dir_fd=fd)
                except FileExistsError:
                    pass
                except OSError as exc:
                    raise cannot_write(shown, exc) from None
            try:
                child = os.open(name, _FOLDER_FLAGS, dir_fd=fd)
            except FileNotFoundError as exc:
                if create:  # removed again since the mkdir above
                    raise cannot_write(shown, exc) from None
                os.close(fd)
                fd = -1
                yield None  # nothing there yet: nothing to refuse
                return
            except OSError as exc:
                raise _refusal(fd, name, shown, exc) from None
            os.close(fd)
            fd = child
        yield fd
    finally:
        if fd >= 0:
            os.close(fd)


def check_folders(out: Path, rels: list[str]) -> None:
    """Refuse, before a build writes anything, a symbolic link at ``out/`` or on the way to any of ``rels``."""
    for rel in rels:
        with output_folder(out, rel, create=False):
            pass


def open_in_folder(folder: int, name: str, shown: str, flags: int, mode: int = 0o644) -> int:
    """``os.open`` of ``name`` inside an output folder, never through a symbolic link; OutputError on failure."""
    try:
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=folder)
    except OSError as exc:
        raise _refusal(folder, name, shown, exc) from None


def is_output_file(path: Path) -> bool:
    """An ordinary file at ``path`` (not a link to one, not a pipe that would block a read)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def write_output(out: Path, rel: str, data: bytes) -> None:
    """Write ``out/rel`` atomically, making its folders; never through a symbolic link. Raises OutputError."""
    folder_rel, _, name = rel.rpartition("/")
    shown = f"{out.name}/{rel}"
    with output_folder(out, folder_rel) as folder:
        try:
            if stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
                raise OutputError(shown, LINK)  # renaming over it would not follow it, but a link here is a trap
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise cannot_write(shown, exc) from None
        tmp = f".tmp-{os.urandom(6).hex()}{Path(name).suffix}"
        assert folder is not None  # output_folder made it (create=True)
        handle = open_in_folder(folder, tmp, shown, _NEW_FILE_FLAGS)
        try:
            try:
                os.fchmod(handle, 0o644)  # outputs are ordinary documents, whatever the umask
                _write_all(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException as exc:
            try:
                os.unlink(tmp, dir_fd=folder)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise cannot_write(shown, exc) from None
            raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file the user named (``report --output``, schemas, YAML) atomically. A device or pipe
    (``/dev/stdout``) is written into, not replaced. Raises OutputError."""
    import tempfile

    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            with path.open("wb") as handle:  # a device or pipe: replacing it would not write to it
                handle.write(data)
            return
        if not os.path.lexists(path.parent):  # a file there: mkstemp says "Not a directory", mkdir "File exists"
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise cannot_write(str(path), exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; outputs are ordinary documents
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise cannot_write(str(path), exc) from None
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def clean_temporaries(out: Path) -> None:
    """Remove temporary files a killed build left in ``out/``, following no symbolic link (``out`` included)."""
    # fwalk yields nothing when out itself is a link; its folder descriptors are valid only inside the loop
    for _folder, _dirs, files, folder_fd in os.fwalk(out, follow_symlinks=False):
        for name in files:
            if name.startswith(".tmp-"):
                try:
                    os.unlink(name, dir_fd=folder_fd)
                except OSError:
                    pass
