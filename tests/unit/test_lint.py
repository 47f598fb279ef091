"""The linter and the type checker are part of the test suite: `ruff check` and `mypy` must find nothing.

Their settings are in pyproject.toml ([tool.ruff], [tool.mypy]); they run from the repository root, as
sys.executable's modules, so the one test command (README) runs them with the versions the test extras pin.
mypy keeps its cache in .mypy_cache/ (a first run takes a few seconds, later ones well under one).
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


def test_mypy_finds_nothing():
    proc = _run("mypy")  # what it checks, and how strictly: [tool.mypy] in pyproject.toml
    assert proc.returncode == 0, f"mypy found type errors in dossier/:\n{proc.stdout}{proc.stderr}"
