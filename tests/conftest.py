"""Shared fixtures: workspaces copied from tests/roots/, the CLI run as a user runs it.

Nothing here writes into the repository: workspaces are copied into ``tmp_path``,
the CLI runs in a fresh empty folder unless a ``cwd`` is given, and byte-code
caching is off (so no ``__pycache__`` appears beside the sources during a run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.dont_write_bytecode = True

REPO = Path(__file__).resolve().parents[1]
"""The repository root (the folder holding ``dossier/`` and ``tests/``)."""
ROOTS = REPO / "tests" / "roots"

LINE_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<rest>.*)$")
"""One diagnostic line: ``path:line:col: level: [field: ]message``."""
SUMMARY_RE = re.compile(r"^(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?$")


def copy_root(name: str, dest: Path) -> Path:
    """Copy ``tests/roots/<name>`` to ``dest/<name>`` (symlinks kept as links) and return the copy."""
    source = ROOTS / name
    if not source.is_dir():
        raise FileNotFoundError(f"no test root {source}")
    target = dest / name
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def make_ws(tmp_path):
    """A factory: ``make_ws("minimal")`` or ``make_ws(tmp_path, "minimal")`` copies a root, returns its path."""

    def _make(*args) -> Path:
        if len(args) == 1:
            dest, name = tmp_path, args[0]
        elif len(args) == 2:
            dest, name = Path(args[0]), args[1]
        else:
            raise TypeError("make_ws(name) or make_ws(tmp_path, name)")
        return copy_root(name, dest)

    return _make


def _run_cli(args, cwd=None, timeout: float = 120) -> tuple[int, str, str]:
    """Run ``python -m dossier *args`` in a subprocess; returns (exit code, stdout, stderr).

    ``cwd`` defaults to a fresh empty folder, so a command that writes into the
    current folder never writes into the repository.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("DOSSIER_DEBUG", None)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    cmd = [sys.executable, "-m", "dossier", *[str(a) for a in args]]
    with tempfile.TemporaryDirectory(prefix="dossier-cwd-") as empty:
        proc = subprocess.run(cmd, cwd=str(cwd) if cwd is not None else empty, env=env, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def run_cli():
    """``run_cli(args, cwd=None)`` -> (exit code, stdout, stderr) of ``python -m dossier *args``."""
    return _run_cli


def _edit(ws: Path, rel: str, old: str, new: str, count: int = 1) -> Path:
    """Replace ``old`` by ``new`` in ``ws/rel``; ``old`` must occur exactly ``count`` times."""
    path = ws / rel
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found == count, f"{rel}: expected {count} occurrence(s) of {old!r}, found {found}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def edit():
    """``edit(ws, "evidence/items/report.yaml", old, new)``: a checked in-place text replacement."""
    return _edit


def _diagnostics(ws: Path) -> tuple[object | None, list[str]]:
    """Load a workspace in-process, as `dossier validate` does.

    Returns (the case or None if it has errors, every diagnostic line as printed,
    sorted as the CLI sorts them).
    """
    from dossier.diagnostics import Diagnostic, InputError
    from dossier.pipeline.session import load as load_case

    try:
        case = load_case(ws)
    except InputError as exc:
        return None, [d.format() for d in sorted(exc.diagnostics, key=Diagnostic.sort_key)]
    return case, [d.format() for d in sorted(case.warnings, key=Diagnostic.sort_key)]


@pytest.fixture
def diagnose():
    """``diagnose(ws)`` -> (case or None, printed diagnostic lines): an in-process `validate`."""
    return _diagnostics


def problem_lines(stderr: str) -> list[str]:
    """The diagnostic lines of a `validate` run's stderr (the summary line removed), checked for form."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "no output on stderr"
    assert SUMMARY_RE.match(lines[-1]), f"last line is not the 'N errors, M warnings' summary: {lines[-1]!r}"
    for line in lines[:-1]:
        assert LINE_RE.match(line), f"not in the path:line:col: level: message form: {line!r}"
    return lines[:-1]


@pytest.fixture
def problems():
    """``problems(stderr)`` -> the diagnostic lines, each checked to be ``path:line:col: level: ...``."""
    return problem_lines


def pdf_strings_of(obj, depth: int = 0) -> list[str]:
    """The strings inside one object, not following indirect references (each is visited on its own)."""
    import pikepdf

    if depth > 50:
        return []
    if isinstance(obj, pikepdf.String):
        return [str(obj)]
    if isinstance(obj, pikepdf.Array):
        return [s for v in obj if not getattr(v, "is_indirect", False) for s in pdf_strings_of(v, depth + 1)]
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        out = []
        for key in obj.keys():
            value = obj.get(key)
            if value is not None and not getattr(value, "is_indirect", False):
                out.extend(pdf_strings_of(value, depth + 1))
        return out
    return []
