"""Submissions to UN bodies (``evidence/submissions/*.yaml``, v2): one document for one body, built from the
case under that body's consent rules (``dossier.analysis.submission_view``)."""

from __future__ import annotations

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
