"""The `un` edition's summary page of a brief (what the Special Procedures ask a communication to state):
victims are persons or groups, never the building; each alleged perpetrator comes with its attribution status
and what it rests on; no request the Special Procedures do not act on (forwarding files to the IIIM or a
commission) is put to them."""

from __future__ import annotations

import random

import pytest

from canaries import SEED, Plan, make_workspace

ASHFORD, WESTMERE = "INC-2021-07-09-ASHFORD", "INC-2021-06-02-WESTMERE"


@pytest.fixture(scope="module")
def un_case(tmp_path_factory):
    from dossier.models.case import Submission
    from dossier.pipeline import session

    plan = Plan(random.Random(SEED))
    ws, _ = make_workspace(tmp_path_factory.mktemp("un-summary"), plan)
    case = session.load(ws)
    asks = Submission(requests=["Seek information from the Government of Norland on the strike.",
                                "Forward the files to the IIIM and the Commission of Inquiry."])
    case = case.replace(case=case.case.model_copy(update={"submission": asks}))
    return session.edition(case, "un")


def _summary(seen, incident):
    from dossier.rendering.context import brief_context

    return brief_context(seen.case, seen.assessment, incident).incident.un


def test_the_victims_are_persons_and_groups_never_the_building(un_case):
    un = _summary(un_case, ASHFORD)
    pseudonym = next(v.pseudonym for v in un_case.case.incidents[ASHFORD].victims if v.id == "V-NAMED")
    assert un.victims == (f"{pseudonym}, a civilian, injured", "A child, killed (identity not disclosed)",
                          "A civilian, injured (identity not disclosed)", "the traders of the market square (a group)")
    assert not any("market" in v and "group" not in v for v in un.victims)  # not "Ashford market"


def test_without_recorded_victims_the_persons_the_figures_count(un_case):
    un = _summary(un_case, WESTMERE)
    assert len(un.victims) == 1 and "hospital" not in un.victims[0].lower()
    assert un.victims[0].startswith("The persons harmed in the attack (") or \
        un.victims[0] == "No alleged victim is identified in this document, and no casualty figure is established."


def test_each_alleged_perpetrator_with_its_status_and_what_it_rests_on(un_case):
    un = _summary(un_case, WESTMERE)
    assert len(un.perpetrators) == 1
    line = un.perpetrators[0]
    assert line.startswith("Republic of Norland (air force) (alleged): attribution ")
    assert ". It rests on: " in line
    assert "perpetrator" not in line.lower()


@pytest.mark.parametrize("status,basis,words", [
    ("established", "assessment", "attribution established by counsel's reasoned assessment. It rests on: "),
    # a count of independent sources is not a finding: never "established" on the screen
    ("established", "screen", "attribution corroborated by independent sources on the corroboration screen, not a "
                              "finding by counsel (no assessment by counsel is shown in this edition). It rests on: "),
    ("partial", "screen", "attribution not established (partly supported). It rests on: "),
])
def test_the_attribution_status_in_words(un_case, status, basis, words):
    import dataclasses

    from dossier.rendering.alleged import perpetrator_lines
    from dossier.rendering.context import brief_context

    view = brief_context(un_case.case, un_case.assessment, WESTMERE).incident.attribution[0]
    view = dataclasses.replace(view, status=status, basis=basis)
    (line,) = perpetrator_lines(un_case.case, (view,), [view.party])
    assert line.startswith(f"{view.name} (alleged): {words}")


def test_no_forwarding_request_is_put_to_the_special_procedures(un_case):
    un = _summary(un_case, WESTMERE)
    assert un.requests == ("Seek information from the Government of Norland on the strike.",)


def test_the_mandate_rules():
    from dossier.models.submission import out_of_mandate

    assert out_of_mandate("special_procedures", "Please share the evidence with the IIIM.") == (
        "the Special Procedures send communications to Governments and report them publicly; they do not forward "
        "files to the IIIM, a commission of inquiry or a court: submit to those directly, under their own consent "
        "rules")
    assert out_of_mandate("special_procedures", "Transmit a communication to the Government.") is None
    assert out_of_mandate("iiim", "Transmit a communication to the Government of Norland.") == (
        "only the Special Procedures send communications to Governments: ask this body for what it does")
    assert out_of_mandate("iiim", "Receive the material for the Mechanism's central repository.") is None


def test_the_characterisation_frames_the_facts_in_human_rights_law_too(un_case):
    un = _summary(un_case, WESTMERE)  # a clinic: the right to life and the right to health
    engaged = [c for c in un.characterisation if c.startswith("may engage, in human-rights law: ")]
    assert engaged[:2] == ["may engage, in human-rights law: Right to life (ICCPR) (ICCPR art. 6(1))",
                           "may engage, in human-rights law: Right to the highest attainable standard of health "
                           "(ICESCR) (ICESCR art. 12(1) and 12(2)(d))"]
    assert any(c.startswith("may amount to: ") for c in un.characterisation)
