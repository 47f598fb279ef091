"""What the PDF engine warns about reaches the user as a warning on the output it concerns, and a build of
our own templates gives none: an unexpected engine warning fails the test (as WeasyPrint's own tests fail
on any logged warning)."""

from __future__ import annotations

import re

import pytest

from conftest import GOLDEN_BUILD, REPO

pytestmark = pytest.mark.slow
INCIDENT = "INC-2023-02-14-QARNAZ"
ENGINE = re.compile(r"^out/\S+: warning: (the PDF engine|refused to fetch)", re.M)


def test_our_templates_give_the_engine_nothing_to_warn_about(built_workspace):
    """Every output of tests/roots/golden, every edition: the session's shared build (the PDF engine's
    warnings reach stderr from the renderer processes as from an inline render: the next test)."""
    built = built_workspace.result(*GOLDEN_BUILD)
    assert built.code == 0, built.stderr
    assert not ENGINE.findall(built.stderr), built.stderr


def test_engine_warnings_and_refused_urls_are_warnings_of_their_output(make_ws, run_cli):
    ws = make_ws("golden")
    (ws / "templates").mkdir()
    css = (REPO / "templates" / "base.css").read_text(encoding="utf-8")
    (ws / "templates" / "base.css").write_text(
        css + '\nh1 { colr: red; }\nbody { background: url("http://127.0.0.1:9/tracker.png"); }\n', encoding="utf-8")
    code, out, err = run_cli(["build", "--workspace", ws, "--edition", "internal", "--incident", INCIDENT,
                              "--jobs", "1", "--quiet"])
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith(f"out/internal/{INCIDENT}.pdf: warning: ")]
    assert any("the PDF engine: Ignored `colr: red`" in line and "unknown property" in line for line in lines), err
    assert any("refused to fetch http://127.0.0.1:9/tracker.png" in line for line in lines), err
    assert len(lines) == len(set(lines)), "each warning once"


def test_a_case_wide_item_is_filed_in_the_case_dossier(make_ws, run_cli):
    """A case-wide item names no incident: the dossier files its exhibit with the case's first incident.
    (Regression: the case dossier failed with 'min() arg is an empty sequence' on the sample case.)"""
    ws = make_ws("v2-rules")
    code, out, err = run_cli(["build", "--workspace", ws, "--edition", "internal", "--jobs", "1"])
    assert code == 0, err
    assert (ws / "out" / "internal" / "case-dossier.pdf").is_file()
    assert not ENGINE.findall(err), err
