"""Incremental-build state: the key of each output's inputs, kept in ``out/.dossier-state.json``.

A missing, corrupt, or older-format state file means a full build, never a crash.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from dossier import __version__
from dossier.build.atomic import OutputError, is_output_file, output_folder, write_output

STATE_FILE = ".dossier-state.json"
STATE_VERSION = 1


def load_state(out: Path) -> dict[str, str]:
    if not is_output_file(out / STATE_FILE):  # missing, or a link or pipe: not ours to read
        return {}
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION or data.get("program") != __version__:
        return {}
    outputs = data.get("outputs")
    if not isinstance(outputs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()):
        return {}
    return dict(outputs)


def save_state(out: Path, outputs: dict[str, str]) -> None:
    """Write the state atomically (two builds cannot interleave: see lock.py). Raises OutputError; the old
    state is then removed if it can be: it may call current an output this build has since replaced."""
    data = {"version": STATE_VERSION, "program": __version__, "outputs": dict(sorted(outputs.items()))}
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
