"""A submission's view of the case: the `un` edition's rules with the body's own consent scope.

An item, a witness statement or a victim goes into a submission to ``body`` only if the `un` edition could show
it (confidentiality public or restricted, no person named, protected coordinates rounded) and, for a witness
statement or a victim, its consent names that body or ``un_bodies`` (the IIIM needs an explicit ``iiim``) and
is not withdrawn. A victim's name goes to the body only with ``named: true``. The view holds only the
submission's incidents, their items and the case-wide items, and no other submission.
"""

from __future__ import annotations

from dossier.analysis.editions import SHOWN_CONFIDENTIALITY, filter_case
from dossier.models.loaded import Case

SCOPE_OF_BODY = {"special_procedures": "special_procedures", "coi": "coi", "iiim": "iiim", "mrm": "mrm",
                 "upr": "un_bodies", "treaty_body": "un_bodies"}
"""The consent scope a submission to each body needs (the UPR and the treaty bodies have none of their own:
``un_bodies``)."""


def submission_view(case: Case, submission_id: str) -> Case:
    """The case as the submission may show it (see the module's docstring)."""
    sub = case.submissions[submission_id]
    view = filter_case(case, "un", SHOWN_CONFIDENTIALITY["un"], SCOPE_OF_BODY[sub.body], names=True,
                       keep_incidents=set(sub.incidents))
    key = f"submission:{sub.id}"
    where = dict(view.where)
    if key in case.where:
        where[key] = case.where[key]
    return view.replace(submissions={sub.id: sub}, audience=sub.id, where=where)
