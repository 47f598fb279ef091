"""Cross-checks of ``suppress_warnings:`` in ``evidence/case.yaml``.

Errors: an unknown warning code; a code that cannot be suppressed (``codes.UNSUPPRESSIBLE``); an id that is no
item, incident or submission of the case. Each is located at what is wrong, with a "did you mean" only when one
choice is clearly meant: a suppression aimed at the wrong warning hides a warning a reviewer must see.
"""

from __future__ import annotations

from collections.abc import Collection

from dossier.codes import UNSUPPRESSIBLE, WARNINGS
from dossier.diagnostics import Diagnostics, closest, show_value
from dossier.models.loaded import Case


def _guess(word: str, choices: Collection[str]) -> str:
    match, _near = closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""


def _check_code(case: Case, diags: Diagnostics, code: str, path: tuple, field: str) -> bool:
    where = case.where["case"]
    if code in UNSUPPRESSIBLE:
        diags.error("unsuppressible-warning", f"{code} cannot be suppressed: {UNSUPPRESSIBLE[code]}",
                    where.loc(*path), field)
        return False
    if code not in WARNINGS:
        suppressible = [c for c in WARNINGS if c not in UNSUPPRESSIBLE]
        diags.error("unknown-warning-code", f"unknown warning code {show_value(code)}{_guess(code, suppressible)}; "
                    "a warning's code is printed in brackets at the end of its line (docs/warnings.md lists them)",
                    where.loc(*path), field)
        return False
    return True


def check_suppressions(case: Case, diags: Diagnostics, failed: Collection[str]) -> None:
    """Add an error for each code or id of ``suppress_warnings`` that names nothing (``failed``: "kind:id" of
    objects that did not validate, or "kind:*": their ids are not judged)."""
    entries = case.case.suppress_warnings or []
    known = set(case.items) | set(case.incidents) | set(case.submissions)
    for i, entry in enumerate(entries):
        if isinstance(entry, str):
            _check_code(case, diags, entry, ("suppress_warnings", i), f"suppress_warnings[{i}]")
            continue
        for code, ids in entry.items():
            if not _check_code(case, diags, code, ("suppress_warnings", i, code), f"suppress_warnings[{i}]"):
                continue
            for n, id_ in enumerate(ids):
                if id_ in known or any(f"{kind}:{id_}" in failed or f"{kind}:*" in failed
                                       for kind in ("item", "incident", "submission")):
                    continue
                diags.error("unknown-id", f"unknown item, incident or submission '{id_}'{_guess(id_, known)}",
                            case.where["case"].loc("suppress_warnings", i, code, n),
                            f"suppress_warnings[{i}].{code}[{n}]")
