"""The date an output speaks as of, and what that date is: from the inputs, never the clock."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from dossier.models.loaded import Case

DATE_WORDS = {
    "build": ("Dated", "set for this build by SOURCE_DATE_EPOCH"),
    "analysis": ("Analysis as of", "the date of the analysis, as stated in the case file"),
    "evidence": ("Evidence as of", "the latest date in the material this edition shows, not the day the PDF "
                                   "was made"),
    "findings": ("Evidence and counsel's findings as of", "the date of counsel's latest finding this edition "
                                                         "shows, not the day the PDF was made"),
}
"""What a printed date is, by where it comes from (see :func:`dated`): the words before it, and a note."""


def dated(case: Case) -> tuple[date, str]:
    """The date printed on covers and written into the PDF, and what it is (a key of :data:`DATE_WORDS`):
    from the inputs, never the clock.

    ``SOURCE_DATE_EPOCH`` when set (``build``); else ``as_of`` in case.yaml (``analysis``); else the latest
    date the (edition-filtered) case contains: an incident's, an item's or a custody entry's (``evidence``),
    or counsel's latest dated finding when it is later (``findings``). An edition's view holds only what it
    shows, so the date never betrays a withheld item or finding."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date(), "build"
    if case.case.as_of:
        return case.case.as_of, "analysis"
    evidence, finding = case.latest_dates
    if finding is not None and finding > evidence:
        return finding, "findings"
    return evidence, "evidence"


def build_date(case: Case) -> date:
    """The date printed on covers and written into the PDF (see :func:`dated`)."""
    return dated(case)[0]


def build_date_note(case: Case) -> str:
    """Where the printed date comes from (see :func:`dated`)."""
    return DATE_WORDS[dated(case)[1]][1]
