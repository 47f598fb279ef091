"""Every warning the program can print, by its stable code.

A warning line ends with its code, as Sphinx prints them:
``evidence/items/x.yaml:3:1: warning: EV-1: chain_of_custody: ... [custody-no-collection]``. The code names
the kind of warning, not the words of one message: a team can look it up (docs/warnings.md lists each with the
description below), match it in a script (``dossier validate --format json``) or suppress it in ``case.yaml``
(``suppress_warnings:``). A code, once published, is never renamed or reused for another warning.

A :class:`dossier.diagnostics.Diagnostic` of level ``warning`` must carry a code listed here (its constructor
checks), so no warning reaches a user without one.
"""

from __future__ import annotations

WARNINGS: dict[str, str] = {
    # the record of each item
    "no-supports": "an item maps to no legal element (`supports:` is empty)",
    "no-chain-of-custody": "an item has no chain of custody",
    "custody-no-collection": "an item's chain of custody has no entry saying who first collected or recorded it",
    "custody-before-item": "a custody entry is dated before the item itself",
    "custody-order": "custody entries are not in date order, oldest first",
    "support-all-incidents": "an item naming several incidents supports an element without saying for which",
    "element-not-charged": "an item supports an element of a norm the incident is not charged with",
    # witness statements
    "witness-no-consent": "a witness statement has no consent recorded: it is shown in the internal edition only",
    "witness-no-pseudonym": "a witness has no pseudonym: outside the internal edition the statement is cited by "
                            "item id only",
    "interview-before-incident": "a witness was interviewed before the incident's date",
    # facts that do not fit together
    "casualties-inconsistent": "an incident counts more medical staff or children killed than people killed",
    "time-outside-incident": "an intercept or a sighting is timed outside the incident's dates",
    "after-image-before-incident": "an 'after' satellite image was captured before the incident",
    "before-image-after-incident": "a 'before' satellite image was captured after the incident",
    "coordinates-far": "imagery or deconfliction coordinates are more than 1 km from the incident's",
    "notification-after-incident": "coordinates offered to show what the attacker knew were shared on or after "
                                   "the incident's date",
    "notification-not-to-attacker": "coordinates offered to show what the attacker knew did not go to the party "
                                    "the attack is alleged against",
    "notification-for-intent": "a deconfliction record is offered for a mental element: shown as an inference, "
                               "not counted",
    # the law
    "treaties-without-gc": "a State party's treaties omit the Geneva Conventions",
    "finding-beyond-screen": "counsel found an element met where the corroboration screen finds it missing or "
                             "contested",
    # exhibit files
    "no-hash": "an exhibit file has no sha256 recorded",
    "file-missing": "an item's exhibit file is not in the workspace",
    "image-not-shown": "an exhibit image cannot be shown in a brief (it is listed, not embedded)",
    "hash-mismatch": "an exhibit file's bytes no longer match its recorded sha256 (cannot be suppressed)",
    # the checks before sending a submission
    "presend-submitter": "a submission names no submitting organisation",
    "presend-language": "a submission is not in a language the UN body works in",
    "presend-request": "a submission asks for something outside the UN body's mandate",
    "presend-victim-building": "a submission's alleged victim is a building, not persons",
    "presend-no-victim": "a submission to the Special Procedures names no alleged victim of an incident",
    "presend-attribution": "a submission alleges an attack against a party whose attribution counsel has not "
                           "found established",
    "presend-media-only": "facts in a submission rest only on media reports",
    # rendering
    "pdf-engine": "the PDF engine reported a problem rendering an output (a font, an image, a link)",
}

UNSUPPRESSIBLE: dict[str, str] = {
    "hash-mismatch": "a changed exhibit file must be reviewed, then its new hash recorded with "
                     "`dossier hash --update`",
    "pdf-engine": "it concerns a rendered output, not the case's files",
}
"""Codes ``suppress_warnings`` refuses, and why."""


def description(code: str) -> str:
    """The one-line description of a warning code (KeyError for an unknown one)."""
    return WARNINGS[code]
