"""The pipeline, named: load -> checks -> lineage -> for each edition: filter once -> assess -> patterns.

Every command that reads a case goes through here (`validate`, `report`, `build`, `verify`), so each sees
the same case: read and cross-checked by ``loading``, its origins traced by ``analysis.lineage``, then for
one edition the view that holds only what the edition shows, its warnings found again on that view (no
figure may come from withheld data), its assessment and its patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.analysis.completeness import assess, finding_warnings
from dossier.analysis.editions import apply_edition
from dossier.analysis.lineage import item_origins
from dossier.analysis.patterns import patterns
from dossier.analysis.submission_view import submission_view
from dossier.diagnostics import Diagnostic
from dossier.loading.consistency import consistency_warnings
from dossier.loading.workspace import find_workspace, load_case
from dossier.loading.yamlfile import YamlDoc
from dossier.models.loaded import Case
from dossier.models.results import Assessment, Patterns

__all__ = ["EditionView", "edition", "find_workspace", "load", "submission", "view"]


@dataclass(frozen=True)
class EditionView:
    """One edition's view of the case, and what analysis found on it."""

    case: Case
    assessment: Assessment
    patterns: Patterns


def load(root: Path, check_files: bool = True, given: dict[str, YamlDoc] | None = None,
         reuse: Case | None = None) -> Case:
    """The whole case (the internal edition), read, cross-checked and with each item's origins traced.
    Raises InputError with every problem found. (``given`` and ``reuse``: see ``load_case``.)"""
    case = load_case(root, check_files, given, reuse)
    case = case.replace(origins=item_origins(case))
    found = case.case.keeps(finding_warnings(case))  # counsel's findings beyond the screen: a reviewer must see them
    if not found:
        return case
    return case.replace(input_warnings=case.input_warnings + found,
                        warnings=tuple(sorted(case.warnings + found, key=Diagnostic.sort_key)))


def view(case: Case, edition: str) -> Case:
    """The edition's view of the case: only what it shows, with its warnings found again on what it shows."""
    shown = apply_edition(case, edition)
    if edition == "internal":
        return shown
    warnings = sorted(shown.input_warnings + shown.case.keeps(consistency_warnings(shown)), key=Diagnostic.sort_key)
    return shown.replace(warnings=tuple(warnings))


def edition(case: Case, edition: str) -> EditionView:
    """The edition's view, its assessment and the patterns across its incidents."""
    shown = view(case, edition)
    return EditionView(shown, assess(shown), patterns(shown))


def submission(case: Case, submission_id: str) -> EditionView:
    """A submission's view (the `un` rules with its body's consent scope, its incidents only), with its warnings
    found again on what it shows, its assessment and patterns."""
    shown = submission_view(case, submission_id)
    warnings = sorted(shown.input_warnings + shown.case.keeps(consistency_warnings(shown)), key=Diagnostic.sort_key)
    shown = shown.replace(warnings=tuple(warnings))
    return EditionView(shown, assess(shown), patterns(shown))
