"""Submissions to UN bodies, in process: consent per body and its withdrawal, the victims each body may be told
of, the checks before sending (exact text and place), the word limit, each body's required content, and the
leak walk over each submission's view and prepared render job (tests/e2e/test_submission_build.py renders
them, and tests/e2e/test_leaks.py searches their PDFs and packages)."""

from __future__ import annotations

import random
import re
import textwrap
from datetime import date

import pytest

from canaries import SEED, SUB_IIIM, SUB_SP, Plan, _dump, _load, make_workspace

WESTMERE, ASHFORD = "INC-2021-06-02-WESTMERE", "INC-2021-07-09-ASHFORD"


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    from dossier.pipeline import session

    plan = Plan(random.Random(SEED))
    ws, renamed = make_workspace(tmp_path_factory.mktemp("subs"), plan)
    return plan, ws, renamed, session.load(ws)


def _ids(case, renamed, *old):
    return {renamed.get(o, o) for o in old}


def test_witness_statements_go_to_a_body_only_with_consent_that_names_it(canary):
    from dossier.analysis.submission_view import submission_view

    plan, ws, renamed, case = canary
    sp, iiim = submission_view(case, SUB_SP), submission_view(case, SUB_IIIM)
    # un_bodies reaches the Special Procedures, not the IIIM; a withdrawn consent reaches nobody
    assert _ids(case, renamed, "ED-WIT-UN", "ED-WIT-PUBLIC", "ED-WIT-SP") <= set(sp.items)
    assert not _ids(case, renamed, "ED-WIT-IIIM", "ED-WIT-WITHDRAWN", "ED-WIT-LEGAL", "ED-WIT-NOCONSENT") \
        & set(sp.items)
    assert _ids(case, renamed, "ED-WIT-IIIM") <= set(iiim.items)
    assert not _ids(case, renamed, "ED-WIT-UN", "ED-WIT-PUBLIC", "ED-WIT-SP", "ED-WIT-WITHDRAWN") & set(iiim.items)
    # the un rules otherwise: no confidential item, restricted ones shown, no person named
    assert not _ids(case, renamed, "ED-CONF-INTERCEPT") & (set(sp.items) | set(iiim.items))
    assert all(c.by in ("custodian", "field team") for i in iiim.items.values() for c in i.chain_of_custody)
    assert sp.audience == SUB_SP and set(sp.submissions) == {SUB_SP} and sp.edition == "un"


def test_a_withdrawal_takes_the_statement_out_of_the_submission(canary):
    from dossier.analysis.submission_view import submission_view

    plan, ws, renamed, case = canary
    wid = renamed["ED-WIT-IIIM"]
    item = case.items[wid]
    withdrawn = item.model_copy(update={"consent": item.consent.model_copy(update={"withdrawn_on": item.date})})
    changed = case.replace(items={**case.items, wid: withdrawn})
    assert wid in submission_view(case, SUB_IIIM).items
    assert wid not in submission_view(changed, SUB_IIIM).items


def test_victims_as_each_body_may_be_told_of_them(canary):
    from dossier.analysis.submission_view import submission_view

    plan, ws, renamed, case = canary
    internal = {v.id: v for v in case.incidents[ASHFORD].victims if v.id}
    sp = {v.id or v.group: v for v in submission_view(case, SUB_SP).incidents[ASHFORD].victims}
    iiim = {v.id or v.group: v for v in submission_view(case, SUB_IIIM).incidents[ASHFORD].victims}
    assert sp["V-NAMED"].name == internal["V-NAMED"].name  # named: true, un_bodies: to the Special Procedures
    assert iiim["V-NAMED"].name is None and iiim["V-NAMED"].pseudonym is None  # un_bodies does not reach the IIIM
    assert iiim["V-UNNAMED"].pseudonym == internal["V-UNNAMED"].pseudonym and iiim["V-UNNAMED"].name is None
    assert sp["V-UNNAMED"].pseudonym is None
    assert "V-WITHDRAWN" not in sp and "V-WITHDRAWN" not in iiim
    assert sp["V-NOCONSENT"].pseudonym is None and sp["V-NOCONSENT"].name is None


def _walk(obj) -> str:
    from test_edition_view import strings_in

    return "\n".join(strings_in(obj))


@pytest.mark.parametrize("sub_id", [SUB_SP, SUB_IIIM])
def test_the_submission_view_and_its_render_job_hold_no_canary(canary, sub_id):
    from dossier.pipeline import session
    from dossier.pipeline.submissions import prepare_submission

    plan, ws, renamed, case = canary
    seen = session.submission(case, sub_id)
    seen.case.items_of(WESTMERE)
    prepared = prepare_submission(case, sub_id)
    text = _walk(seen) + "\n" + _walk(prepared)
    leaks = [f"{c.where} ({c.text})" for c in plan.canaries if sub_id in c.absent_in and
             (c.text in text or c.text.startswith("CANARY-") and c.text[7:15] in text)]
    assert not leaks, "\n".join(leaks)
    # and the walk can fail: what the body may see is there
    shown = [c for c in plan.canaries if sub_id not in c.absent_in and c.text.startswith("CANARY-")
             and "pseudonym" in c.where and "witness statement" in c.where]
    assert shown and all(c.text in text for c in shown), [c.where for c in shown]


# ------------------------------------------------------------------ checks before sending

SP_TEXT = """\
id: SUB-SP
body: special_procedures
to: [Special Rapporteur on the right to health]
language: ar
incidents: [INC-2021-06-02-WESTMERE, INC-2021-07-09-ASHFORD]
requests:
  - Transmit a communication to the Government of Norland.
  - Forward the files to the IIIM and the Commission of Inquiry.
"""
IIIM_TEXT = """\
id: SUB-IIIM
body: iiim
language: en
incidents: [INC-2021-06-02-WESTMERE]
submitter: {organisation: Canary Relief Legal Team}
requests:
  - Transmit a communication to the Government of Norland.
"""


@pytest.fixture(scope="module")
def flawed(tmp_path_factory):
    """The canary workspace with submissions a body would set aside: no submitter, a language the Special
    Procedures do not accept, requests outside each mandate, a building as victim, facts on a newspaper only."""
    from dossier.pipeline import session

    plan = Plan(random.Random(SEED))
    ws, renamed = make_workspace(tmp_path_factory.mktemp("flawed"), plan)
    ev = ws / "evidence"
    (ev / "submissions" / "sub-sp.yaml").write_text(SP_TEXT, encoding="utf-8")
    (ev / "submissions" / "sub-iiim.yaml").write_text(IIIM_TEXT, encoding="utf-8")
    west = ev / "incidents" / "westmere.yaml"
    west.write_text(west.read_text(encoding="utf-8") + "victims:\n- group: Westmere clinic\n", encoding="utf-8")
    docs = _load(ev / "items" / "documents.yaml")
    for item in docs:
        if item["id"] == "ED-ASH-REPORT":
            item["source"] = "SRC-PRESS"  # the only item on Ashford: now a newspaper's
    _dump(ev / "items" / "documents.yaml", docs)
    return ws, session.load(ws)


def _line(path, pattern: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(pattern, line))


def test_each_check_before_sending_at_its_line(flawed):
    from dossier.pipeline.submissions import checked

    ws, case = flawed
    found = {d.format() for d in checked(case).warnings if d.code.startswith("presend-")}
    west, ash = ws / "evidence" / "incidents" / "westmere.yaml", ws / "evidence" / "incidents" / "ashford.yaml"
    expected = {
        "evidence/submissions/sub-sp.yaml:1:1: warning: SUB-SP: submitter: no identified submitter: anonymous "
        "submissions are not considered by the Special Procedures; name the submitting organisation under "
        "`submitter.organisation` (add `confidential: true` to ask that it not be disclosed) [presend-submitter]",
        "evidence/submissions/sub-sp.yaml:4:1: warning: SUB-SP: language: a submission to the Special Procedures "
        "must be in one of en, fr, es (got 'ar'): write it in one of them and set `language` [presend-language]",
        "evidence/submissions/sub-sp.yaml:8:5: warning: SUB-SP: requests[1]: a request outside the mandate of the "
        "Special Procedures: the Special Procedures send communications to Governments and report them publicly; "
        "they do not forward files to the IIIM, a commission of inquiry or a court: submit to those directly, "
        "under their own consent rules [presend-request]",
        "evidence/submissions/sub-iiim.yaml:7:5: warning: SUB-IIIM: requests[0]: a request outside the mandate of "
        "the IIIM: only the Special Procedures send communications to Governments: ask this body for what it does [presend-request]",
        f"evidence/incidents/westmere.yaml:{_line(west, '- group: Westmere clinic')}:3: warning: SUB-SP: "
        "victims[0]: 'Westmere clinic' is a building, not a victim: the alleged victims are the persons or groups "
        "harmed (patients, staff, the people it served); describe them instead [presend-victim-building]",
        f"evidence/incidents/ashford.yaml:{_line(ash, '^  attributed_to:') + 1}:5: warning: SUB-SP: "
        "attack.attributed_to[0]: the attack is alleged against NOR, whose attribution is not established (no "
        "item shown attributes the attack to it) on what this submission may show: the submission names it an "
        "alleged perpetrator and says what that rests on; substantiate it before sending, or say why it is alleged "
        "[presend-attribution]",
        "evidence/submissions/sub-sp.yaml:5:38: warning: SUB-SP: incidents[1]: INC-2021-07-09-ASHFORD: "
        "rs-8-2-e-iv/1 rests only on media reports, which carry little weight with the Special Procedures: add "
        "what a witness, a document or imagery shows [presend-media-only]",
    }
    missing = expected - found
    assert not missing, "\n".join(sorted(missing)) + "\n--- found:\n" + "\n".join(sorted(found))


def test_checks_before_sending_are_errors_with_strict(flawed, run_cli):
    ws, case = flawed
    code, out, err = run_cli(["validate", "--strict", "-q", "--workspace", ws])
    assert code == 1
    assert "evidence/submissions/sub-sp.yaml:4:1: error: SUB-SP: language: a submission to the Special " \
           "Procedures must be in one of en, fr, es (got 'ar')" in err


def test_a_well_formed_submission_passes_the_checks_it_can(canary):
    """The canary workspace's own submissions: identified, in English, requests within each mandate."""
    from dossier.pipeline.submissions import checked

    plan, ws, renamed, case = canary
    codes = {d.code for d in checked(case).warnings if d.code.startswith("presend-")}
    assert not codes & {"presend-submitter", "presend-language", "presend-request", "presend-victim-building"}


# ------------------------------------------------------------------ the word limit

def test_the_word_count_is_the_text_of_the_pages():
    from dossier.rendering.submission import word_count

    html = ("<html><head><title>Not counted at all</title><style>p { x: y }</style></head><body>"
            "<p>One two, three &amp; four.</p><svg><text>no</text></svg><p>— 5 ٦</p></body></html>")
    assert word_count(html) == 6  # "&" and "—" hold no letter or digit


def _upr(case, **fields):
    from dossier.models.submission import Submission

    sub = Submission.model_validate({"id": "SUB-UPR", "body": "upr", "incidents": [WESTMERE, ASHFORD],
                                     "submitter": {"organisation": "Canary Relief Legal Team"},
                                     "requests": ["Investigate the strikes."], **fields})
    return case.replace(submissions={**case.submissions, sub.id: sub})


def test_the_upr_word_limit_is_an_error(canary):
    from dossier.diagnostics import InputError
    from dossier.pipeline.submissions import checked, prepare_submission

    plan, ws, renamed, case = canary
    assert prepare_submission(_upr(case), "SUB-UPR").word_limit == 2815
    assert prepare_submission(_upr(case, joint=True), "SUB-UPR").word_limit == 5630
    words = prepare_submission(_upr(case), "SUB-UPR").words
    assert 100 < words < 2815
    checked(_upr(case))  # within the limit: no error
    with pytest.raises(InputError) as raised:
        checked(_upr(case, word_limit=100))
    errors = [d for d in raised.value.diagnostics if d.level == "error"]
    assert [d.text() for d in errors] == [
        f"SUB-UPR: word_limit: the submission has {words:,} words, over the limit of 100 for a upr submission: "
        "shorten the incidents' summaries, or submit fewer incidents"]


# ------------------------------------------------------------------ each body's content

def _html(case, body: str, **fields) -> str:
    from dossier.models.submission import Submission
    from dossier.pipeline.submissions import prepare_submission

    sub = Submission.model_validate({"id": f"SUB-{body.upper()}", "body": body, "incidents": [WESTMERE, ASHFORD],
                                     "submitter": {"organisation": "Canary Relief Legal Team",
                                                   "contact": "Desk officer", "confidential": True},
                                     "to": ["The body addressed"], "steps_taken": ["A letter to the Government."],
                                     "requests": ["A request within the mandate."], **fields})
    job = prepare_submission(case.replace(submissions={**case.submissions, sub.id: sub}), sub.id).job
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", job.html))


def _in_order(text: str, *parts: str) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing (or out of order) after position {at}"
        at = found + len(part)


def test_special_procedures_content_in_their_order(canary):
    text = _html(canary[3], "special_procedures")
    _in_order(text, "CONFIDENTIAL: NOT FOR DISCLOSURE · COMMUNICATION TO THE UN SPECIAL PROCEDURES",
              "1. Mandates addressed", "The body addressed", "2. Submitter", "Canary Relief Legal Team",
              "Desk officer (confidential)", "kept confidential", "3. Alleged victims",
              "a civilian, injured (consented to be named to the Government concerned)", "(a group)",
              "4. Alleged perpetrators", "Republic of Norland (air force) (alleged): attribution not established",
              "It rests on:", "5. Date, place and detailed circumstances", "A guided bomb struck",
              "6. Steps already taken", "A letter to the Government.", "7. Legal framing",
              "International human rights law", "Right to life (ICCPR)", "International humanitarian law",
              "8. Requests", "A request within the mandate.", "9. Confidentiality")
    assert "Westmere clinic (a group)" not in text and "perpetrator:" not in text.lower()


@pytest.mark.parametrize("body", ["coi", "iiim"])
def test_investigative_bodies_get_facts_analysis_and_the_package_listed(canary, body):
    text = _html(canary[3], body)
    _in_order(text, "1. Submitter", "2. Consent and confidentiality", "3. The incidents", "Alleged victims.",
              "Alleged perpetrators.", "4. Steps already taken", "5. Requests", "6. Hand-over package",
              "sha256sum -c SHA256SUMS", "Analysis:", "Applicable law", "Attribution", "Element-by-element analysis",
              "Exhibit annex")
    if body == "iiim":
        assert "consent to UN bodies in general does not extend to it" in text


def test_mrm_records_grave_violations_against_children(canary):
    text = _html(canary[3], "mrm")
    _in_order(text, "Security Council resolution 1612 (2005)", "1998 (2011)", "1. Incidents reported", WESTMERE,
              "Grave violation", "Attack on a hospital (health care); Killing and maiming of children",
              "Children killed or injured", "1 killed (casualty figures)", ASHFORD,
              "Killing and maiming of children", "1 killed (victims recorded)", "2. Circumstances", "3. Submitter")


def test_upr_and_treaty_bodies(canary):
    upr = _html(canary[3], "upr", joint=True)
    _in_order(upr, "Word limit", "5,630 words (joint submission)", "1. Submitting stakeholder", "2. Facts",
              "3. The State's obligations", "Right to life (ICCPR)", "4. Recommendations")
    treaty = _html(canary[3], "treaty_body")
    _in_order(treaty, "1. Submitter", "2. The treaty obligations concerned", "3. Facts", "4. Steps already taken",
              "5. Suggested questions and recommendations", "6. Confidentiality")


def test_a_submission_is_checked_when_loading(make_ws, run_cli):
    """A body that does not exist, an incident the case does not have: located errors, exit 1."""
    ws = make_ws("minimal")
    (ws / "evidence" / "submissions").mkdir()
    (ws / "evidence" / "submissions" / "s.yaml").write_text(textwrap.dedent("""\
        id: SUB-1
        body: special_rapporteur
        incidents: [INC-NOPE]
        """), encoding="utf-8")
    (ws / "evidence" / "submissions" / "t.yaml").write_text(textwrap.dedent("""\
        id: SUB-2
        body: coi
        incidents:
          - INC-NOPE
        """), encoding="utf-8")
    (ws / "evidence" / "submissions" / "u.yaml").write_text(textwrap.dedent("""\
        id: SUB-3
        body: mrm
        incidents: [INC-2022-06-10-LOWMERE, INC-2022-06-10-LOWMERE]
        """), encoding="utf-8")
    one = ws / "evidence" / "incidents" / "one.yaml"
    one.write_text(one.read_text(encoding="utf-8") + "victims:\n  - {id: V-1, pseudonym: A}\n  - {id: V-1, pseudonym: B}\n",
                   encoding="utf-8")
    code, out, err = run_cli(["validate", "-q", "--workspace", ws])
    assert code == 1
    lines = err.splitlines()
    assert "evidence/submissions/u.yaml:3:37: error: incidents[1]: incident 'INC-2022-06-10-LOWMERE' is named " \
           "twice: name each incident once" in lines, err
    assert "evidence/submissions/s.yaml:2:1: error: body: must be one of special_procedures, coi, iiim, mrm, upr, " \
           "treaty_body (got 'special_rapporteur') (valid values near it: 'special_procedures')" in lines, err
    assert "evidence/submissions/t.yaml:4:5: error: incidents[0]: unknown incident 'INC-NOPE'" in lines, err
    assert any(line.endswith("error: victims[1].id: victim id 'V-1' is used twice (also in incident "
                             "INC-2022-06-10-LOWMERE); ids must be unique in the case") for line in lines), err


@pytest.mark.parametrize(("share_with", "allowed"), [
    (["un_bodies"], {"special_procedures", "coi", "mrm", "upr", "treaty_body"}),
    (["iiim"], {"iiim"}),
    (["coi", "mrm"], {"coi", "mrm"}),
    (["special_procedures"], {"special_procedures"}),
    (["legal_team", "courts", "public"], set()),
])
def test_which_bodies_a_consent_reaches(share_with, allowed):
    from dossier.analysis.editions import consent_allows
    from dossier.analysis.submission_view import SCOPE_OF_BODY
    from dossier.models.item import Consent

    consent = Consent(share_with=share_with)
    assert {body for body, scope in SCOPE_OF_BODY.items() if consent_allows(consent, scope)} == allowed
    withdrawn = consent.model_copy(update={"withdrawn_on": date(2022, 1, 1)})
    assert not any(consent_allows(withdrawn, scope) for scope in SCOPE_OF_BODY.values())


def test_the_sample_submissions_have_unique_anchors_and_pass_their_loading():
    """The sample case's two submissions: a case-wide item cited under several incidents is annexed once (no
    anchor defined twice, which the PDF engine would warn about)."""
    from collections import Counter

    from dossier.pipeline import session
    from dossier.pipeline.submissions import prepare_submission

    from conftest import REPO

    case = session.load(REPO)
    assert set(case.submissions) == {"SUB-SR-2019-IDLIB", "SUB-IIIM-2019-2020"}
    for sub_id in case.submissions:
        html = prepare_submission(case, sub_id).job.html
        twice = [a for a, n in Counter(re.findall(r'\bid="([^"]+)"', html)).items() if n > 1]
        assert not twice, (sub_id, twice)


def test_the_special_procedures_name_elements_resting_on_reporting_in_words():
    """The sample's Special Procedures communication says which elements rest only on media or NGO reporting
    by the norm's title and the element's number and kind, never by the library's ids ('cihl-28/1')."""
    from dossier.pipeline import session
    from dossier.pipeline.submissions import prepare_submission

    from conftest import REPO

    html = prepare_submission(session.load(REPO), "SUB-SR-2019-IDLIB").job.html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    lines = re.findall(r"Resting only on media or NGO reporting: ([^.]*(?:\.\d[^.]*)*)\.", text)
    assert lines, "the sample's Special Procedures communication has no element resting only on reporting"
    for line in lines:
        assert not re.search(r"\b[a-z0-9]+(?:-[a-z0-9]+)+/\w", line), f"a raw element id: {line}"
    assert "Medical units must be respected and protected, elements 1 (circumstance) and 3 (conduct); " \
           "Precautions in attack, element 1 (conduct)" in lines


def test_reporting_only_words_groups_elements_by_norm():
    from dossier.rendering.submission import reporting_only_words

    class El:
        def __init__(self, id, kind, reporting_only):
            self.id, self.kind, self.reporting_only = id, kind, reporting_only

    class Ch:
        def __init__(self, title, *elements):
            self.title, self.elements = title, elements

    charges = (Ch("Precautions in attack", El("1", "conduct", True), El("2", "circumstance", False)),
               Ch("A norm with none", El("1", "conduct", False)),
               Ch("Medical units must be respected and protected", El("1", "circumstance", True),
                  El("3", "conduct", True), El("4", "circumstance", True)))
    assert reporting_only_words(charges) == (  # type: ignore[arg-type]
        "Precautions in attack, element 1 (conduct)",
        "Medical units must be respected and protected, elements 1 (circumstance), 3 (conduct) and 4 (circumstance)")
    assert reporting_only_words(()) == ()
