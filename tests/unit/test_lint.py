"""The linter is part of the test suite: `ruff check` must find nothing (a type check is to follow).

Its settings are in pyproject.toml ([tool.ruff]); it runs from the repository root, as
sys.executable's modules, so the one test command (README) runs them with the versions the test extras pin.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess:
    module = args[0]
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: install the test extras (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    proc = _run("ruff", "check", "--no-cache", "dossier", "tests", "benchmarks")
    assert proc.returncode == 0, f"ruff check found problems (`ruff check --fix` mends some):\n{proc.stdout}"
