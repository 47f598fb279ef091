"""Cross-checks between files: every reference resolves, no derivation cycles.

All lookups go through dictionaries, so a case of tens of thousands of items is
checked in one linear pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from dossier.diagnostics import Diagnostics, did_you_mean
from dossier.loading.errors import dotted
from dossier.loading.finding_checks import check_findings
from dossier.loading.law_checks import check_law
from dossier.loading.submission_checks import check_submissions
from dossier.loading.suppress_checks import check_suppressions
from dossier.models.loaded import Case


def _unknown(diags: Diagnostics, case: Case, kind: str, id_: str, path: tuple, what: str, value: str,
             choices: Iterable[str], subject: str) -> None:
    failed = _FAILED.get()
    kind_of = _KINDS.get(what, what)
    if f"{kind_of}:{value}" in failed or f"{kind_of}:*" in failed:
        return  # defined, but invalid: its own error is reported
    diags.error("unknown-" + what.replace(" ", "-"), f"unknown {what} '{value}'{did_you_mean(value, choices)}",
                case.loc(kind, id_, *path), dotted(path), (subject,))


RESERVED_OUTPUT_NAMES = {"case-dossier", "completeness"}
"""Output names of a build (``out/<edition>/<name>.pdf``) that an incident's brief must not take."""

DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
"""Names Windows reserves for devices, whatever the extension: no output file may take them."""

_FAILED: ContextVar[frozenset[str]] = ContextVar("failed", default=frozenset())
_KINDS = {"party": "party", "norm": "norm", "source": "source", "item": "item", "incident": "incident"}


def cross_check(case: Case, diags: Diagnostics, failed: Iterable[str] = ()) -> None:
    """Add an error for every reference that does not resolve, and every derivation cycle.

    ``failed`` holds "kind:id" of objects that exist but did not validate: references to
    them are not reported as unknown (their own errors are).
    """
    token = _FAILED.set(frozenset(failed))
    try:
        _cross_check(case, diags)
    finally:
        _FAILED.reset(token)


def _cross_check(case: Case, diags: Diagnostics) -> None:
    parties = {p.id for p in case.case.parties}
    seen_parties: set[str] = set()
    for i, party in enumerate(case.case.parties):
        if party.id in seen_parties:
            diags.error("duplicate-id", f"party id '{party.id}' is used twice", case.loc("case", "", "parties", i, "id"),
                        f"parties[{i}].id")
        seen_parties.add(party.id)
    territory = case.case.conflict.territory
    if territory and territory not in parties:
        diags.error("unknown-party", f"unknown party '{territory}'{did_you_mean(territory, parties)}",
                    case.where["case"].loc("conflict", "territory"), "conflict.territory")
    for i, norm_id in enumerate(case.case.charges):
        if norm_id not in case.norms:
            diags.error("unknown-norm", f"unknown norm '{norm_id}'{did_you_mean(norm_id, case.norms)}; "
                        "`dossier norms` lists them", case.where["case"].loc("charges", i), f"charges[{i}]")

    for source in case.sources.values():
        for i, ref in enumerate(source.derived_from):
            if ref not in case.sources:
                _unknown(diags, case, "source", source.id, ("derived_from", i), "source", ref, case.sources, source.id)
    _cycles(diags, case, "source", {s.id: s.derived_from for s in case.sources.values()})

    folded: dict[str, str] = {}
    for incident in case.incidents.values():
        name = incident.id.lower()
        if name in RESERVED_OUTPUT_NAMES:
            diags.error("reserved-id", f"incident id '{incident.id}' would be written over "
                        f"out/<edition>/{name}.pdf, which the build uses for the whole case: "
                        "choose another id", case.loc("incident", incident.id, "id"), "id", (incident.id,))
        elif name.split(".")[0] in DEVICE_NAMES:
            diags.error("reserved-id", f"incident id '{incident.id}' cannot be a file name on Windows "
                        f"({name.split('.')[0].upper()} is a device name): choose another id",
                        case.loc("incident", incident.id, "id"), "id", (incident.id,))
        if name in folded:
            diags.error("duplicate-id", f"incident ids '{folded[name]}' and '{incident.id}' differ only in upper "
                        "and lower case: their briefs would overwrite each other on Windows and macOS",
                        case.loc("incident", incident.id, "id"), "id", (incident.id,))
        folded.setdefault(name, incident.id)
        for i, party in enumerate(incident.attack.attributed_to):
            if party not in parties:
                _unknown(diags, case, "incident", incident.id, ("attack", "attributed_to", i), "party", party, parties,
                         incident.id)
        for i, norm_id in enumerate(incident.charges or []):
            if norm_id not in case.norms:
                _unknown(diags, case, "incident", incident.id, ("charges", i), "norm", norm_id, case.norms, incident.id)

    for item in case.items.values():
        sid = item.id
        if item.source not in case.sources:
            _unknown(diags, case, "item", sid, ("source",), "source", item.source, case.sources, sid)
        for i, inc in enumerate(item.incidents):
            if inc not in case.incidents:
                _unknown(diags, case, "item", sid, ("incidents", i), "incident", inc, case.incidents, sid)
        for i, ref in enumerate(item.derived_from):
            if ref not in case.items:
                _unknown(diags, case, "item", sid, ("derived_from", i), "item", ref, case.items, sid)
        for i, support in enumerate(item.supports):
            norm_id, element_id = support.element.split("/")
            norm = case.norms.get(norm_id)
            if norm_id == "attribution":
                pass  # attribution/PARTY: checked with the other v2 references (finding_checks.py)
            elif norm is None:
                _unknown(diags, case, "item", sid, ("supports", i, "element"), "norm", norm_id, case.norms, sid)
            elif norm.element(element_id) is None:
                ids = [e.id for e in norm.elements]
                diags.error("unknown-element",
                            f"norm {norm_id} has no element '{element_id}' (its elements: {', '.join(ids)})",
                            case.loc("item", sid, "supports", i, "element"), f"supports[{i}].element", (sid,))
            if support.incident is not None and support.incident not in item.incidents:
                diags.error("unknown-incident",
                            f"incident '{support.incident}' is not among this item's incidents "
                            f"({', '.join(item.incidents)}){did_you_mean(support.incident, item.incidents)}",
                            case.loc("item", sid, "supports", i, "incident"), f"supports[{i}].incident", (sid,))
        block = getattr(item, "deconfliction", None)
        if block is not None:
            for i, party in enumerate(block.recipients):
                if party not in parties:
                    _unknown(diags, case, "item", sid, ("deconfliction", "recipients", i), "party", party, parties,
                             sid)
    _cycles(diags, case, "item", {i.id: i.derived_from for i in case.items.values()})
    check_law(case, diags, _unknown)
    check_findings(case, diags, _unknown)
    check_submissions(case, diags, _unknown, DEVICE_NAMES)
    check_suppressions(case, diags, _FAILED.get())


def _cycles(diags: Diagnostics, case: Case, kind: str, edges: dict[str, list[str]]) -> None:
    """Report each derived_from cycle once, at the first of its members in file order."""
    failed = _FAILED.get()
    edges = {k: v for k, v in edges.items() if f"{kind}:{k}" not in failed}  # duplicated ids are ambiguous
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            targets = [t for t in edges.get(node, []) if t in edges]
            if index < len(targets):
                stack[-1] = (node, index + 1)
                nxt = targets[index]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt):] + [nxt]
                    first = cycle[0]
                    diags.error("derivation-cycle", "circular derivation: " + " -> ".join(cycle)
                                + "; an item or source cannot (even indirectly) repeat itself",
                                case.loc(kind, first, "derived_from"), "derived_from", tuple(cycle[:-1]))
                elif not state.get(nxt):
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
                stack.pop()
