"""Incremental-build state: the key of each output's inputs, kept in ``out/.dossier-state.json``.

A missing, corrupt, or older-format state file means a full build, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path

from dossier import __version__
from dossier.build.atomic import write_text_atomic

STATE_FILE = ".dossier-state.json"
STATE_VERSION = 1


def load_state(out: Path) -> dict[str, str]:
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
    data = {"version": STATE_VERSION, "program": __version__, "outputs": dict(sorted(outputs.items()))}
    write_text_atomic(out / STATE_FILE, json.dumps(data, indent=1) + "\n")
