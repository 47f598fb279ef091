"""Incremental-build state, kept in ``out/.dossier-state.json``: for each output and part, the key of the inputs
it was rendered from and the sha256 of the bytes that were written; for a part, also its page count (so a build
that renders nothing opens no part to number the pages of a document). Nothing else of a part is recorded: the
state is shared by every edition, and an anchor's name holds an item's id.

A build never trusts what is in ``out/``: an output is reused only when its inputs' key is unchanged *and*
the file on disk still has the bytes this program wrote (a truncated PDF, or a brief copied in from another
edition, is rendered again). A missing, corrupt, or older-format state file means a full build, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from dossier import __version__
from dossier.atomic import OutputError, is_output_file, output_folder, write_output
from dossier.files import sha256_file

STATE_FILE = ".dossier-state.json"
STATE_VERSION = 3  # 3: parts record their page count


@dataclass(frozen=True)
class Record:
    key: str  # the render key of the inputs
    sha256: str  # of the file written
    pages: int | None = None  # a part's page count


@dataclass
class BuildState:
    """What each output under out/ was built from, and the bytes it was written with."""

    out: Path
    records: dict[str, Record] = field(default_factory=dict)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

    def fresh(self, rel: str, key: str) -> bool:
        """Whether ``out/rel`` was built from ``key`` and still holds exactly the bytes written then."""
        record = self.records.get(rel)
        return record is not None and record.key == key and self.file_sha256(rel) == record.sha256

    def read_fresh(self, rel: str, key: str) -> bytes | None:
        """The bytes of ``out/rel`` if it was built from ``key`` and still holds exactly the bytes written then
        (read once: a kept plan is read to be used, not only to be checked), else None."""
        record = self.records.get(rel)
        path = self.out / rel
        if record is None or record.key != key or not is_output_file(path):
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == record.sha256 else None

    def file_sha256(self, rel: str) -> str | None:
        """The sha256 of ``out/rel`` as it is now (once per build), or None when it is not a regular file."""
        if rel not in self._hashes:
            path = self.out / rel
            try:
                self._hashes[rel] = sha256_file(path) if is_output_file(path) else None
            except OSError:
                self._hashes[rel] = None
        return self._hashes[rel]

    def record(self, rel: str, key: str, pages: int | None = None) -> None:
        """``out/rel`` has just been written from ``key``: remember its bytes (and, for a part, its ``pages``)."""
        self._hashes.pop(rel, None)
        digest = self.file_sha256(rel)
        if digest is None:
            self.records.pop(rel, None)
        else:
            self.records[rel] = Record(key, digest, pages)

    def pages(self, rel: str) -> int | None:
        """A part's page count as recorded when it was written, if it still holds those bytes."""
        record = self.records.get(rel)
        if record is None or record.pages is None or self.file_sha256(rel) != record.sha256:
            return None
        return record.pages

    def forget(self, rel: str) -> None:
        self.records.pop(rel, None)
        self._hashes.pop(rel, None)


def load_state(out: Path) -> BuildState:
    state = BuildState(out)
    if not is_output_file(out / STATE_FILE):  # missing, or a link or pipe: not ours to read
        return state
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return state
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION or data.get("program") != __version__:
        return state
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return state
    for rel, entry in outputs.items():
        if isinstance(rel, str) and isinstance(entry, dict) and isinstance(entry.get("key"), str) \
                and isinstance(entry.get("sha256"), str):
            pages = entry.get("pages")
            well_formed = isinstance(pages, int) and not isinstance(pages, bool) and pages > 0
            state.records[rel] = Record(entry["key"], entry["sha256"], pages if well_formed else None)
    return state


def save_state(state: BuildState) -> None:
    """Write the state atomically (two builds cannot interleave: see lock.py). Raises OutputError; the old
    state is then removed if it can be: it may call current an output this build has since replaced."""
    outputs = {rel: {"key": r.key, "sha256": r.sha256, **({"pages": r.pages} if r.pages else {})}
               for rel, r in sorted(state.records.items())}
    data = {"version": STATE_VERSION, "program": __version__, "outputs": outputs}
    out = state.out
    try:
        write_output(out, STATE_FILE, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
    except OutputError:
        try:
            with output_folder(out, create=False) as folder:
                mode = os.stat(STATE_FILE, dir_fd=folder, follow_symlinks=False).st_mode if folder is not None else 0
                if stat.S_ISREG(mode):  # not a user's link; removing needs no space: the next build is a full one
                    os.unlink(STATE_FILE, dir_fd=folder)
        except (OSError, OutputError):
            pass
        raise
