"""The acceptance script (shared/conformance/check_case.py) run on the example and on our test roots.

Each run copies the workspace into a temporary folder (TMPDIR points into
``tmp_path``), runs `dossier validate` and `dossier report --format json` for the
editions the expectations name, and compares. The ``--no-build`` runs are fast;
the build runs render PDFs and are marked ``slow``. The build run on tests/roots/editions
is given the session's shared build of that root (conftest's ``EDITIONS_BUILD``, every
edition, its own build checked to exit 0): the kit's copy carries its ``out/``, the kit's
`dossier build` finds every output up to date, and the kit checks those PDFs.

The kit runs each `dossier` command as a process of its own, forked from a server that imported the CLI
once (conftest's ``forked_dossier``, tests/forkserver.py): the same program on the same pipes, without an
interpreter's start and imports each time.

The standards root is checked under each standard of proof by rewriting
``standard_of_proof`` (and ``thresholds:``) in a copy, with the status table of
cli.md written out below.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EDITIONS_BUILD, REPO, cli_env, invoke_dossier

KIT = REPO.parent / "shared" / "conformance"
CHECK = KIT / "check_case.py"
ROOTS = REPO / "tests" / "roots"

pytestmark = pytest.mark.skipif(not CHECK.is_file(), reason=f"conformance kit not found at {KIT}")

def _values(case) -> tuple:
    return tuple(case.values) if hasattr(case, "values") else case


# (name, workspace, expectations)
CASES = [
    ("example", KIT / "example", KIT / "example" / "expect.json"),
    ("status-table", ROOTS / "status-table", ROOTS / "status-table" / "expect.json"),
    ("standards", ROOTS / "standards", ROOTS / "standards" / "expect.json"),
    ("editions", ROOTS / "editions", ROOTS / "editions" / "expect.json"),
    ("iac-two-states", ROOTS / "iac-two-states", ROOTS / "iac-two-states" / "expect.json"),
    ("v2-rules", ROOTS / "v2-rules", ROOTS / "v2-rules" / "expect.json"),
]
BUILD_CASES = [c for c in CASES if _values(c)[2].is_file() and "build" in json.loads(_values(c)[2].read_text())]


def _env(tmp_path: Path) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return cli_env({"TMPDIR": str(tmp)})  # check_case.py copies the workspace into a TemporaryDirectory


def run_check(dossier: str, tmp_path: Path, workspace: Path, expect: Path, build: bool = False,
              timeout: float = 300):
    """check_case.py on ``workspace``; ``dossier`` is the command it runs (conftest's ``forked_dossier``)."""
    cmd = [sys.executable, str(CHECK), "--workspace", str(workspace), "--expect", str(expect),
           "--dossier", dossier]
    if not build:
        cmd.append("--no-build")
    proc = subprocess.run(cmd, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("name,workspace,expect", CASES, ids=[_values(c)[0] for c in CASES])
def test_check_case_no_build(forked_dossier, tmp_path, name, workspace, expect):
    code, out = run_check(forked_dossier, tmp_path, workspace, expect)
    assert code == 0, f"check_case.py on {name} failed:\n{out}"
    assert " 0 failed" in out.strip().splitlines()[-1]


@pytest.mark.slow
@pytest.mark.parametrize("name,workspace,expect", BUILD_CASES, ids=[_values(c)[0] for c in BUILD_CASES])
def test_check_case_with_build(forked_dossier, tmp_path, built_workspace, name, workspace, expect):
    if name == EDITIONS_BUILD[0]:
        workspace = built_workspace(*EDITIONS_BUILD)
    code, out = run_check(forked_dossier, tmp_path, workspace, expect, build=True, timeout=1800)
    assert code == 0, f"check_case.py (with build) on {name} failed:\n{out}"


def test_roots_expectations_are_well_formed():
    """Our expect.json files parse and name only editions the program knows."""
    for name, _, expect in CASES[1:]:
        want = json.loads(expect.read_text())
        assert set(want.get("report", {})) <= {"internal", "un", "public"}, name
        assert want.get("report"), f"{name}: no report expectations"


# --- standards of proof ---------------------------------------------------------------------------
# The standards root: for each element, which items support it (see its items.yaml).
#   LAKESIDE  1: C/3                        2: B/2 + D/4 (independent)      3: C/3 + C/3
#             4: C/3 + C/2 + C/1            5: A/2 + C/3 + C/3
#   NORTHGATE 1: B/2 + two relays of it     2: A/1 + C/3 + B/2 derived_from the C/3 item
#             3: D/2 + C/4                  4: A/1 + B/2 + C/3              5: B/2 + B/5 + E/1
L, N = "INC-2022-05-02-LAKESIDE", "INC-2022-06-14-NORTHGATE"
E, P = "established", "partial"
TABLE = {
    # cli.md (v2): 1 independent reliable source (A-C/1-3)
    "reasonable_basis": {L: [E, E, E, E, E], N: [E, E, P, E, E]},
    # 2 independent sources, 1 of them reliable
    "reasonable_grounds": {L: [P, E, E, E, E], N: [P, E, P, E, P]},
    # 2 independent reliable sources
    "balance_of_probabilities": {L: [P, P, E, E, E], N: [P, E, P, E, P]},
    # 2 independent reliable sources, 1 of them strong (A-B/1-2)
    "substantial_grounds": {L: [P, P, P, P, E], N: [P, E, P, E, P]},
    # 3 independent sources, 2 reliable, 1 strong
    "clear_and_convincing": {L: [P, P, P, P, E], N: [P, P, P, E, P]},
    # 3 independent reliable sources, 1 of them strong
    "beyond_reasonable_doubt": {L: [P, P, P, P, E], N: [P, P, P, E, P]},
}
# independent_sources where every supporting item is graded A-C/1-3 (the same under every standard)
INDEPENDENT = {L: {"1": 1, "3": 2, "4": 3, "5": 3}, N: {"1": 1, "2": 2, "4": 3}}


def _standards_copy(tmp_path: Path, standard: str, thresholds: str | None = None) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(ROOTS / "standards", ws)
    case = ws / "evidence" / "case.yaml"
    text = case.read_text()
    assert text.count("standard_of_proof: reasonable_grounds\n") == 1
    text = text.replace("standard_of_proof: reasonable_grounds\n", f"standard_of_proof: {standard}\n")
    if thresholds:
        text += f"thresholds: {thresholds}\n"
    case.write_text(text)
    (ws / "expect.json").unlink(missing_ok=True)
    return ws


def _expect(tmp_path: Path, table: dict[str, list[str]]) -> Path:
    charges = {inc: {"rs-8-2-e-iv": {"applicable": True,
                                     "status": {str(i + 1): s for i, s in enumerate(statuses)},
                                     "independent_sources": INDEPENDENT[inc]}}
               for inc, statuses in table.items()}
    path = tmp_path / "expect.json"
    path.write_text(json.dumps({"validate_exit": 0, "report": {"internal": {"charges": charges}}}, indent=1))
    return path


def _report_json(tmp_path: Path, ws: Path) -> dict:
    out = tmp_path / "report.json"
    code, _, err = invoke_dossier(["report", "--format", "json", "--output", out, "--workspace", ws], cwd=tmp_path)
    assert code == 0, err
    return json.loads(out.read_text())


@pytest.mark.parametrize("standard", list(TABLE))
def test_standards_table(forked_dossier, tmp_path, standard):
    ws = _standards_copy(tmp_path, standard)
    code, out = run_check(forked_dossier, tmp_path, ws, _expect(tmp_path, TABLE[standard]))
    assert code == 0, f"{standard}:\n{out}"
    doc = _report_json(tmp_path, ws)
    assert doc["standard_of_proof"] == standard


@pytest.mark.parametrize("standard,thresholds,table", [
    # a custom reasonable_grounds that asks what balance_of_probabilities asks by default
    ("reasonable_grounds", "{reasonable_grounds: {sources: 2, qualified: 2, strong: 0}}",
     TABLE["balance_of_probabilities"]),
    # a lenient beyond_reasonable_doubt: one strong (A-B/1-2) source suffices
    ("beyond_reasonable_doubt", "{beyond_reasonable_doubt: {sources: 1, qualified: 1, strong: 1}}",
     {L: [P, E, P, P, E], N: [E, E, P, E, E]}),
    # thresholds for another standard than the case's change nothing
    ("reasonable_grounds", "{beyond_reasonable_doubt: {sources: 1, qualified: 0, strong: 0}}",
     TABLE["reasonable_grounds"]),
    ("clear_and_convincing", "{reasonable_grounds: {sources: 5, qualified: 5, strong: 5}}",
     TABLE["clear_and_convincing"]),
], ids=["rg-as-bop", "brd-one-strong", "other-standard-rg", "other-standard-cc"])
def test_custom_thresholds(forked_dossier, tmp_path, standard, thresholds, table):
    ws = _standards_copy(tmp_path, standard, thresholds)
    code, out = run_check(forked_dossier, tmp_path, ws, _expect(tmp_path, table))
    assert code == 0, f"{standard} with thresholds {thresholds}:\n{out}"
