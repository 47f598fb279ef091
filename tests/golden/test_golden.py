"""Golden text: the internal and public briefs of tests/roots/golden, as `pdftotext -layout` extracts them.

The text is normalised (runs of white space collapsed, lines stripped, empty lines dropped) and compared
with golden-internal.txt and golden-public.txt beside this file. After a reviewed change to templates,
wording or the golden workspace, regenerate the files and READ the diff before committing it:

    DOSSIER_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden

Regeneration writes the files and skips the comparison. The other tests here check, independently of the
golden files, what a reviewer must find in each edition, so a careless regeneration cannot hide a leak.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import GOLDEN_BUILD

HERE = Path(__file__).resolve().parent
INCIDENT = "INC-2023-02-14-QARNAZ"
EDITIONS = ("internal", "public")
REGENERATE = os.environ.get("DOSSIER_REGENERATE_GOLDEN") == "1"


def normalise(text: str) -> str:
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


@pytest.fixture(scope="module")
def briefs(built_workspace) -> dict[str, dict]:
    """The text of the shared build's briefs (the build date comes from the case: the latest material)."""
    ws = built_workspace(*GOLDEN_BUILD)
    result = {}
    for edition in EDITIONS:
        pdf = ws / "out" / edition / f"{INCIDENT}.pdf"
        layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                encoding="utf-8", check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True, check=True).stdout, re.M).group(1))
        text = normalise(layout)
        result[edition] = {"text": text, "flat": " ".join(text.split()), "pages": pages,
                           "page_texts": layout.split("\f")[:pages]}
    return result


@pytest.mark.parametrize("edition", EDITIONS)
def test_golden_text(briefs, edition):
    golden = HERE / f"golden-{edition}.txt"
    text = briefs[edition]["text"]
    if REGENERATE:
        golden.write_text(text, encoding="utf-8")
        pytest.skip(f"regenerated {golden.name}: read the diff before committing it")
    assert golden.is_file(), f"{golden} is missing: run with DOSSIER_REGENERATE_GOLDEN=1 to write it"
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                            f"golden-{edition}.txt", "built", n=1))
        lines = diff.splitlines()
        pytest.fail(f"the {edition} brief's text differs from {golden.name} ({len(lines)} diff lines); if the "
                    "change is intended, regenerate with DOSSIER_REGENERATE_GOLDEN=1 and review:\n"
                    + "\n".join(lines[:120]), pytrace=False)


SECTIONS = ("Incident brief", "Summary of facts", "Chronology", "Applicable law", "Element-by-element analysis",
            "Gaps", "Exhibit annex")


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_section_is_there(briefs, edition):
    flat = briefs[edition]["flat"].lower()
    for section in SECTIONS:
        assert section.lower() in flat, f"{edition}: no '{section}' section"
    for needle in ("reasonable grounds", "rs-8-2-e-iv", "cihl-28", "Qarnaz field hospital", "Golden test legal team",
                   "Established", "Missing"):
        assert needle.lower() in flat, f"{edition}: '{needle}' not found"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_carries_the_marking_and_its_number(briefs, edition):
    marking = {"internal": "INTERNAL", "public": "PUBLIC EDITION"}[edition]
    pages = briefs[edition]["page_texts"]
    assert len(pages) == briefs[edition]["pages"] >= 3
    for n, page in enumerate(pages, 1):
        assert marking in page, f"{edition}: page {n} has no edition marking"
        assert re.search(rf"Page {n} of {len(pages)}\b", page), f"{edition}: page {n} has no 'Page {n} of N'"


@pytest.mark.parametrize("edition", EDITIONS)
def test_arabic_excerpt_and_translation(briefs, edition):
    flat = briefs[edition]["flat"]
    for word in ("المستشفى", "بالمرضى", "القنبلة"):  # the Arabic original (EV-G2, public consent)
        assert word in flat, f"{edition}: Arabic word {word} missing from the excerpt"
    assert "The hospital was full of patients when the first bomb" in flat


def test_internal_shows_everything(briefs):
    flat = briefs["internal"]["flat"]
    for needle in ("EV-G1", "EV-G2", "EV-G3", "EV-G4", "Ilyana Vorsk", "+999 555 0177", "SOKOL-21", "Su-25",
                   "Цель вижу", "Target in sight, the hospital", "39.41873", "44.27361", "Orbitview Imaging"):
        assert needle in flat, f"internal: '{needle}' missing"


def test_public_withholds_what_it_must(briefs):
    flat = briefs["public"]["flat"]
    # EV-G3 (confidential intercept) and EV-G4 (restricted imagery) are withheld; the witness is pseudonymous
    for needle in ("EV-G3", "EV-G4", "SOKOL-21", "ZARYA", "Цель", "Сокол", "Target in sight", "Orbitview",
                   "ev-g4-after", "Ilyana", "Vorsk", "+999 555 0177", "39.41873", "44.27361", "39.418", "44.273"):
        assert needle not in flat, f"public: '{needle}' must be withheld"
    for needle in ("EV-G1", "EV-G2", "W-7", "39.4, 44.3"):
        assert needle in flat, f"public: '{needle}' missing"


def test_only_internal_says_counsel_has_not_assessed(briefs):
    """An edition drops counsel's `met` finding that rests on material it withholds, silently: there,
    "not yet assessed by counsel" could be false, so it says only that no assessment is shown."""
    internal, public = briefs["internal"]["flat"], briefs["public"]["flat"]
    assert "Not yet assessed by counsel: a count of sources is not a legal finding." in internal
    assert "No assessment by counsel is shown in this edition" not in internal
    assert "not yet assessed" not in public.lower()
    assert "No assessment by counsel is shown in this edition: a count of sources is not a legal finding." in public
