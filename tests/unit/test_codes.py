"""Every warning has a stable code, registered in dossier/codes.py and listed in docs/warnings.md.

Three checks, so that no warning reaches a user without a code: the constructor of a warning refuses an
unregistered code (at run time); every code written at a warning's emit site in the source is registered (a
branch no test reaches is still checked); every registered code is emitted somewhere and documented, with
its description, in the table of docs/warnings.md.
"""

from __future__ import annotations

import ast
import re

import pytest

from dossier.codes import UNSUPPRESSIBLE, WARNINGS
from dossier.diagnostics import Diagnostic, Diagnostics, Location

from conftest import REPO

CODE_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
EMITTERS = {"_warn", "warning", "Diagnostic"}  # consistency's and presend's _warn, Diagnostics.warning, the type


def _emitted_codes() -> dict[str, list[str]]:
    """Code -> where in dossier/ a warning is made with it: the code-shaped string arguments of every call to an
    emitter, but those of errors (``Diagnostic("error", ...)``, ``diags.error(...)``)."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "dossier").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in EMITTERS:
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name == "Diagnostic" and (not strings or strings[0] != "warning"):
                continue
            for value in strings:
                if CODE_RE.match(value):
                    found.setdefault(value, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    for path in sorted((REPO / "dossier").rglob("*.py")):  # lines printed by hand: 'warning: ... [code]'
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for code in re.findall(r"warning: .*\[([a-z0-9-]+)\]", line):
                found.setdefault(code, []).append(f"{path.relative_to(REPO)}:{lineno}")
    return found


def test_every_warning_emitted_has_a_registered_code():
    emitted = _emitted_codes()
    unknown = {code: sites for code, sites in emitted.items() if code not in WARNINGS}
    assert not unknown, f"warning codes not in dossier/codes.py: {unknown}"
    assert len(emitted) >= 30  # the scan finds the emit sites (a broken scan would find none)


def test_every_registered_code_is_emitted_somewhere():
    unused = set(WARNINGS) - set(_emitted_codes())
    assert not unused, f"codes registered but never emitted (remove them, or find why the scan misses them): {unused}"


def test_codes_are_well_formed_and_described_in_one_line():
    for code, text in WARNINGS.items():
        assert CODE_RE.match(code), code
        assert text and "\n" not in text and len(text) < 140 and not text.endswith("."), code
    assert set(UNSUPPRESSIBLE) <= set(WARNINGS)


def test_a_warning_cannot_be_made_without_a_registered_code():
    with pytest.raises(ValueError, match="'no-such-code' is not registered"):
        Diagnostic("warning", "no-such-code", "text", Location("evidence/case.yaml"))
    with pytest.raises(ValueError, match="not registered"):
        Diagnostics().warning("no-such-code", "text", Location("evidence/case.yaml"))
    Diagnostic("error", "any-error-code", "text", Location("evidence/case.yaml"))  # errors are not registered


def test_a_warning_line_ends_with_its_code_and_strict_keeps_it():
    w = Diagnostic("warning", "custody-no-collection", "no collection step", Location("evidence/items/x.yaml", 3, 1),
                   "chain_of_custody", ("EV-1",), "EV-1")
    assert w.format() == ("evidence/items/x.yaml:3:1: warning: EV-1: chain_of_custody: no collection step "
                          "[custody-no-collection]")
    assert w.as_strict().format() == ("evidence/items/x.yaml:3:1: error: EV-1: chain_of_custody: no collection "
                                      "step [custody-no-collection]")
    e = Diagnostic("error", "invalid-missing", "required field is missing", Location("evidence/case.yaml", 2, 1))
    assert e.format() == "evidence/case.yaml:2:1: error: required field is missing"


def _docs_table() -> list[tuple[str, str]]:
    text = (REPO / "docs" / "warnings.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z0-9-]+)` \| (.*) \|$", text, re.M)


def test_the_documentation_lists_every_code_with_its_description():
    """docs/warnings.md's table is the registry, in its order (regenerate the rows from WARNINGS if this fails:
    ``| `code` | description |``)."""
    assert _docs_table() == list(WARNINGS.items())
