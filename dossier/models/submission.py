"""Submissions to UN bodies (``evidence/submissions/*.yaml``, v2): one document for one body, built from the
case under that body's consent rules (``dossier.analysis.submission_view``)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from dossier.models.common import Count, Date, Id, Lang, Personal, Short, Strict, Text, nonempty

Body = Literal["special_procedures", "coi", "iiim", "mrm", "upr", "treaty_body"]
BODIES: tuple[str, ...] = Body.__args__  # type: ignore[attr-defined]


class Submitter(Strict):
    """Who submits: bodies do not consider anonymous submissions."""

    organisation: Short | None = Field(None, description="Name of the submitting organisation")
    contact: Annotated[Short | None, Personal()] = Field(
        None, description="Name and e-mail: printed in the submission only, marked confidential")
    confidential: bool = Field(True, description="Ask the body not to disclose the submitter")


class Submission(Strict):
    id: Id
    body: Body = Field(description="special_procedures | coi | iiim | mrm | upr | treaty_body")
    title: Short | None = Field(None, description="The submission's title (default: the case's)")
    to: list[Short] = Field(default_factory=list, description="The mandates or the body addressed")
    language: Lang = Field("en", description="The submission's language (special_procedures accept en, fr, es)")
    date: Date | None = Field(None, description="The date it is sent (default: the date of the analysis)")
    incidents: list[Id] = nonempty("The incidents it submits")
    submitter: Submitter | None = Field(None, description="Required by the bodies: anonymous submissions are "
                                                          "not considered")
    summary: Text | None = Field(None, description="An opening paragraph, in the submitter's words")
    steps_taken: list[Text] = Field(default_factory=list, description="Steps already taken (domestic remedies, "
                                                                      "letters, other bodies seized)")
    requests: list[Text] = Field(default_factory=list, description="What the body is asked to do, within its "
                                                                   "mandate")
    confidential: list[Text] = Field(default_factory=list, description="What the body must keep confidential")
    joint: bool = Field(False, description="upr: a joint submission of several stakeholders (5,630 words)")
    word_limit: Count | None = Field(None, description="Default by body: upr 2,815 (5,630 joint)")


# ------------------------------------------------------------------ what each body does and accepts

BODY_NAMES = {"special_procedures": "the Special Procedures", "coi": "the commission of inquiry",
              "iiim": "the IIIM", "mrm": "the monitoring and reporting mechanism", "upr": "the Universal Periodic Review",
              "treaty_body": "the treaty body"}
"""Each body in words, as a sentence names it."""
BODY_TITLES = {"special_procedures": "UN Special Procedures of the Human Rights Council",
               "coi": "Independent International Commission of Inquiry",
               "iiim": "International, Impartial and Independent Mechanism (IIIM)",
               "mrm": "Monitoring and Reporting Mechanism on children and armed conflict (SC res. 1612 (2005))",
               "upr": "Universal Periodic Review of the Human Rights Council", "treaty_body": "UN treaty body"}
"""Each body's name, for a cover."""

LANGUAGES: dict[str, tuple[str, ...]] = {
    "special_procedures": ("en", "fr", "es"),
    "upr": ("en", "fr", "es"),
    "treaty_body": ("en", "fr", "es"),
    "coi": ("en", "fr", "es", "ar", "ru", "zh"),
    "iiim": ("en", "fr", "es", "ar", "ru", "zh"),
    "mrm": ("en", "fr", "es", "ar", "ru", "zh"),
}
"""The languages each body accepts a submission in (the Special Procedures: English, French, Spanish; the UPR
and the treaty bodies work in their working languages; the others in the UN's official languages)."""

WORD_LIMITS: dict[str, tuple[int, int]] = {"upr": (2815, 5630)}
"""The word limit of a body's submissions: (one stakeholder, a joint submission)."""

_FORWARDING = re.compile(r"\b(forward|transmit|share|pass|refer|send|transfer|hand)\w*\b[^.;]*\b(IIIM|Mechanism|"
                         r"Commission|CoI|ICC|International Criminal Court|prosecutor)", re.IGNORECASE)
_COMMUNICATION = re.compile(r"\b(communication|allegation letter|urgent appeal)s?\b[^.;]*\bGovernment",
                            re.IGNORECASE)
_NOT_SP = ("the Special Procedures send communications to Governments and report them publicly; they do not "
           "forward files to the IIIM, a commission of inquiry or a court: submit to those directly, under their "
           "own consent rules")
_ONLY_SP = "only the Special Procedures send communications to Governments: ask this body for what it does"


def out_of_mandate(body: str, request: str) -> str | None:
    """Why ``body`` does not act on ``request`` (a request the mandate does not cover), or None."""
    if body == "special_procedures" and _FORWARDING.search(request):
        return _NOT_SP
    if body != "special_procedures" and _COMMUNICATION.search(request):
        return _ONLY_SP
    return None
