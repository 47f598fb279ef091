"""The pre-commit hook the repository ships (.pre-commit-hooks.yaml): the hook docs/team.md tells a team to use."""

from __future__ import annotations

import re
import shlex
import tomllib

import yaml

from conftest import REPO


def _hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["dossier-validate"]
    return hooks[0]


def test_the_hook_runs_validate_strict_on_the_whole_workspace():
    hook = _hook()
    assert hook["entry"] == "dossier validate --strict"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert shlex.split(hook["entry"])[0] in scripts  # pre-commit installs the package: its script must exist
    files = re.compile(hook["files"])
    for path in ("evidence/case.yaml", "evidence/items/ev-0001.yaml", "evidence/files/x.pdf", "legal_norms/n.yaml"):
        assert files.search(path), path
    for path in ("out/un/case-dossier.pdf", "README.md", "notes/evidence/x.yaml"):
        assert not files.search(path), path


def test_the_hooks_command_refuses_a_warning(make_ws, edit, run_cli):
    ws = make_ws("minimal")
    args = shlex.split(_hook()["entry"])[1:]
    code, out, err = run_cli([*args, "--workspace", ws])
    assert code == 0, err
    edit(ws, "evidence/items/report.yaml", "action: downloaded", "action: received")
    code, out, err = run_cli([*args, "--workspace", ws])
    assert code == 1
    assert "error: EV-R1: chain_of_custody: " in err and err.rstrip().endswith("1 error, 0 warnings")


def test_the_team_page_shows_the_hook():
    text = (REPO / "docs" / "team.md").read_text(encoding="utf-8")
    assert "      - id: dossier-validate\n" in text
