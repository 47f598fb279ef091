"""The date a cover and `dossier verify` give says what it is: the evidence's, counsel's findings', the
analysis's (``as_of``), or one set for the build; never a 'date of this edition' that reads as the day
the PDF was made."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import run_dossier

INCIDENT = "INC-2022-06-10-LOWMERE"
FINDING = """assessments:
  - element: rs-8-2-e-iv/1
    finding: met
    reasoning: The clinic was struck during consultations; the witness and the imagery agree.
    relies_on: [EV-W1]
    on: 2022-07-01
"""


def _meta(ws, edition="internal"):
    from dossier.pipeline import session
    from dossier.rendering.context import make_meta

    return make_meta(session.view(session.load(ws), edition))


def test_the_default_date_is_the_latest_evidence(make_ws, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    meta = _meta(make_ws("minimal"))
    assert (meta.build_date, meta.date_of) == ("2022-06-16", "evidence")
    assert meta.date_words == "Evidence as of 16 June 2022"
    assert meta.build_date_note == "the latest date in the material this edition shows, not the day the PDF was made"


def test_a_later_dated_finding_of_counsel_is_the_date(make_ws, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    ws = make_ws("minimal")
    incident = ws / "evidence" / "incidents" / "one.yaml"
    incident.write_text(incident.read_text(encoding="utf-8") + "\n" + FINDING, encoding="utf-8")
    meta = _meta(ws)
    assert (meta.build_date, meta.date_of) == ("2022-07-01", "findings")
    assert meta.date_words == "Evidence and counsel's findings as of 1 July 2022"
    # the public edition withholds the statement the finding rests on, and so the finding, and its date
    assert _meta(ws, "public").date_words == "Evidence as of 13 June 2022"


def test_as_of_is_the_date_of_the_analysis(make_ws, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    ws = make_ws("minimal")
    case = ws / "evidence" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "as_of: 2022-08-31\n", encoding="utf-8")
    meta = _meta(ws)
    assert meta.date_words == "Analysis as of 31 August 2022"
    assert meta.build_date_note == "the date of the analysis, as stated in the case file"


def test_source_date_epoch_is_a_date_set_for_the_build(make_ws, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    meta = _meta(make_ws("minimal"))
    assert (meta.date_words, meta.build_date_note) == ("Dated 14 November 2023",
                                                       "set for this build by SOURCE_DATE_EPOCH")


@pytest.mark.parametrize("as_of", ["", "as_of: 2022-08-31\n"])
def test_cover_and_verify_say_what_the_date_is(make_ws, as_of):
    ws = make_ws("minimal")
    case = ws / "evidence" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + as_of, encoding="utf-8")
    code, _, err = run_dossier(["build", "--workspace", ws, "--edition", "public", "--incident", INCIDENT,
                                "--jobs", "1", "--quiet"])
    assert code == 0, err
    pdf = ws / "out" / "public" / f"{INCIDENT}.pdf"
    cover = " ".join(subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    words, iso = (("Analysis as of 31 August 2022", "analysis as of 2022-08-31") if as_of else
                  ("Evidence as of 13 June 2022", "evidence as of 2022-06-13"))
    assert f"State of the case {words} (" in cover, cover
    assert "Date of this edition" not in cover
    code, out, err = run_dossier(["verify", pdf, "--workspace", ws])
    assert code == 0, out + err
    first = out.splitlines()[0]
    assert re.fullmatch(rf"\S+: public edition of minimal-case, incident {INCIDENT}, made by dossier \S+, "
                        rf"{iso}: \d+ items, \d+ norms", first), first
    assert "built" not in first
