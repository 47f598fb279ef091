"""Cross-checks of the applicable-law fields (v2): an incident's own conflict, parties' treaties.

Errors: an incident's ``conflict.between`` or ``conflict.territory`` naming an unknown party.
Warning: a party of kind ``state`` whose ``treaties`` omits GC (every State is bound by the Geneva
Conventions anyway, so the analysis treats it as bound; the list should say so).
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.diagnostics import Diagnostics
from dossier.models.loaded import Case

Unknown = Callable[..., None]


def check_law(case: Case, diags: Diagnostics, unknown: Unknown) -> None:
    """Add the errors and warnings above; ``unknown`` reports an unknown reference (crossref's ``_unknown``)."""
    parties = {p.id for p in case.case.parties}
    for incident in case.incidents.values():
        conflict = incident.conflict
        if conflict is None:
            continue
        for i, party in enumerate(conflict.between or []):
            if party not in parties:
                unknown(diags, case, "incident", incident.id, ("conflict", "between", i), "party", party, parties,
                        incident.id)
        if conflict.territory and conflict.territory not in parties:
            unknown(diags, case, "incident", incident.id, ("conflict", "territory"), "party", conflict.territory,
                    parties, incident.id)
    where = case.where.get("case")
    for i, party in enumerate(case.case.parties):
        if party.kind == "state" and "GC" not in party.treaties:
            path = ("parties", i, "treaties") if party.treaties else ("parties", i, "id")
            location = where.loc(*path) if where else case.loc("case", "")
            default = "kind" not in party.model_fields_set
            state = "a State (kind: state is the default)" if default else "a State"
            diags.warning("treaties-without-gc", f"party '{party.id}' is {state} "
                          "but its treaties omit GC: every State is bound by the Geneva Conventions, and the analysis "
                          "treats it as bound; add GC to its `treaties`"
                          + (", or say `kind: armed_group` if it is an organised armed group" if default else ""),
                          location, f"parties[{i}].treaties")
