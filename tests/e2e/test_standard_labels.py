"""Every standard of proof the case format accepts has its words on the covers and in the reports.

`reasonable_basis` and `substantial_grounds` had no label: a case using either validated and gave a text
report, but the HTML and PDF report and every brief failed with an internal error (KeyError)."""

from __future__ import annotations

import pytest

from dossier.models.case import STANDARDS
from dossier.rendering.labels import STANDARD_LABELS, STANDARD_NOTES

from conftest import invoke_dossier


def test_every_standard_has_a_label_and_a_note():
    assert set(STANDARD_LABELS) == set(STANDARDS)
    assert set(STANDARD_NOTES) == set(STANDARDS)


@pytest.mark.parametrize(("standard", "label"), [("reasonable_basis", "Reasonable basis to believe"),
                                                 ("substantial_grounds", "Substantial grounds to believe")])
def test_the_html_report_names_the_standard(make_ws, edit, tmp_path, standard, label):
    ws = make_ws("minimal")
    edit(ws, "evidence/case.yaml", "standard_of_proof: reasonable_grounds", f"standard_of_proof: {standard}")
    out = tmp_path / "report.html"
    code, _, err = invoke_dossier(["report", "--format", "html", "--output", out, "--workspace", ws])
    assert (code, err) == (0, "")
    assert label in out.read_text(encoding="utf-8")
