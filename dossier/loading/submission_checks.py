"""Cross-checks of submissions (``evidence/submissions/*.yaml``) and of the victims on incidents.

Errors: a submission naming an unknown incident, or naming one twice; a submission id that cannot be a folder
name on Windows; a victim id used twice in the case. (What a body would refuse, such as an anonymous submitter
or a language it does not accept, is checked before sending: ``dossier.analysis.presend``.)
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from dossier.diagnostics import Diagnostics
from dossier.models.loaded import Case


def check_submissions(case: Case, diags: Diagnostics, unknown: Callable[..., None], devices: Collection[str]) -> None:
    for sub in case.submissions.values():
        seen: set[str] = set()
        for i, ref in enumerate(sub.incidents):
            if ref not in case.incidents:
                unknown(diags, case, "submission", sub.id, ("incidents", i), "incident", ref, case.incidents, sub.id)
            elif ref in seen:
                diags.error("duplicate-id", f"incident '{ref}' is named twice: name each incident once",
                            case.loc("submission", sub.id, "incidents", i), f"incidents[{i}]", (sub.id,))
            seen.add(ref)
        base = sub.id.lower().split(".")[0]
        if base in devices:
            diags.error("reserved-id", f"submission id '{sub.id}' cannot be a folder name on Windows "
                        f"({base.upper()} is a device name): choose another id",
                        case.loc("submission", sub.id, "id"), "id", (sub.id,))
    first: dict[str, str] = {}  # victim id -> the incident it is first recorded in
    for incident in case.incidents.values():
        for i, victim in enumerate(incident.victims):
            if victim.id is None:
                continue
            if victim.id in first:
                diags.error("duplicate-id", f"victim id '{victim.id}' is used twice (also in incident "
                            f"{first[victim.id]}); ids must be unique in the case",
                            case.loc("incident", incident.id, "victims", i, "id"), f"victims[{i}].id", (incident.id,))
            first.setdefault(victim.id, incident.id)
