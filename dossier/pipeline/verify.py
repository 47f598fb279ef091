"""`dossier verify FILE.pdf`: does a built PDF still match the workspace and its exhibit files?

Reads the embedded manifest, rebuilds the same edition's view of the case from
the workspace, recomputes every hash the manifest lists, and says what was added,
removed or changed since the PDF was built.
"""

from __future__ import annotations

import json
from pathlib import Path

from dossier.diagnostics import InputError, UsageError
from dossier.models.common import EDITIONS
from dossier.pipeline.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    READABLE_FORMATS,
    canonical_sha256,
    case_sha256,
    exhibit_file_sha256,
    templates_sha256,
)
from dossier.rendering.dates import DATE_WORDS
from dossier.words import count


def read_manifest(pdf: Path) -> dict:
    """The manifest attached to a PDF. Raises ValueError with a reason when missing or malformed."""
    import pikepdf

    try:
        document = pikepdf.open(pdf)
    except (pikepdf.PdfError, OSError) as exc:
        raise ValueError(f"not a readable PDF ({exc})") from None
    with document:
        files = document.attachments
        if MANIFEST_NAME not in files:
            raise ValueError(f"the PDF carries no {MANIFEST_NAME}: it was not built by dossier, or was altered")
        data = files[MANIFEST_NAME].get_file().read_bytes()
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"the embedded {MANIFEST_NAME} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") not in READABLE_FORMATS or \
            manifest.get("edition") not in EDITIONS or not isinstance(manifest.get("items"), list) or \
            not isinstance(manifest.get("norms"), list):
        raise ValueError(f"the embedded {MANIFEST_NAME} is not a {MANIFEST_FORMAT} manifest")
    return manifest


def verify_pdf(pdf: Path, root: Path) -> tuple[bool, list[str]]:
    """Compare a PDF's manifest with the workspace now. Returns (all matches, lines to print)."""
    from dossier.pipeline import session

    if not pdf.is_file():
        raise UsageError(f"{pdf}: no such file")
    try:
        manifest = read_manifest(pdf)
    except ValueError as exc:
        return False, [f"{pdf}: error: {exc}"]
    try:
        case = session.load(root)
    except InputError as exc:
        lines = [d.format() for d in exc.diagnostics if d.level == "error"]
        return False, lines + [f"{pdf}: error: the workspace has errors; it cannot be compared"]
    sub = manifest.get("submission") if isinstance(manifest.get("submission"), dict) else None
    if sub is not None and sub.get("id") not in case.submissions:
        return False, [f"{pdf}: error: the PDF is submission {sub.get('id')}, which the workspace no longer has "
                       "(evidence/submissions/)"]
    view = session.submission(case, sub["id"]).case if sub is not None else session.view(case, manifest["edition"])
    lines = differences(manifest, view, case)
    if sub is not None and sub.get("sha256") != canonical_sha256(case.submissions[sub["id"]]):
        lines.insert(0, f"changed: submission {sub['id']} ({case.file_of('submission', sub['id'])})")
    subject = found if isinstance(found := manifest.get("subject"), dict) else {}
    header = (f"{pdf}: {manifest['edition']} edition of {manifest.get('case')}, {subject.get('kind')} "
              f"{subject.get('id')}, made by dossier {_version(manifest)}, {_dated(manifest)}: "
              f"{count(len(manifest['items']), 'item')}, {count(len(manifest['norms']), 'norm')}")
    if lines:
        return False, [header] + lines + [f"{count(len(lines), 'difference')}: the PDF no "
                                          "longer matches the workspace; rebuild it"]
    return True, [header, "ok: every input the manifest records (case, incidents, sources, items and their exhibit "
                          "files, norms, templates) matches the workspace"]


def _dated(manifest: dict) -> str:
    """The PDF's date with what it is, in the cover's words ("evidence as of 2020-03-12"): not the day it was
    built, which no PDF records (builds are reproducible). A manifest from before ``date_of``: "dated ..."."""
    words = DATE_WORDS.get(str(manifest.get("date_of")), ("Dated", ""))[0]
    return f"{words[0].lower()}{words[1:]} {manifest.get('build_date')}"


def _version(manifest: dict) -> object:
    program = manifest.get("program")
    return program.get("version") if isinstance(program, dict) else None


def _compared(entries: list[dict], present: dict, removed: str, changed) -> list[str]:
    """A line for each recorded entry (``id``, ``sha256``) whose object is gone from the view or hashes otherwise."""
    lines = []
    for entry in entries:
        obj = present.get(entry.get("id"))
        if obj is None:
            lines.append(removed.format(id=entry.get("id")))
        elif canonical_sha256(obj) != entry.get("sha256"):
            lines.append(changed(entry["id"]))
    return lines


def _entries(manifest: dict, key: str) -> list[dict]:
    value = manifest.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def differences(manifest: dict, view, case) -> list[str]:
    """Each input recorded in the manifest that the edition's view of the workspace no longer matches, one line
    each, naming it and its file; then what the view has that the manifest does not list."""
    lines: list[str] = []
    if manifest.get("case") != view.case.id:
        lines.append(f"changed: case id is '{view.case.id}', the PDF was built from case '{manifest.get('case')}'")
    elif manifest.get("standard_of_proof") not in (None, view.case.standard_of_proof):
        lines.append(f"changed: standard of proof is now {view.case.standard_of_proof}, the PDF was built for "
                     f"{manifest.get('standard_of_proof')} (evidence/case.yaml)")
    elif manifest.get("case_sha256") and manifest["case_sha256"] != case_sha256(view.case):
        lines.append("changed: evidence/case.yaml (parties, conflict, charges, thresholds or other case data)")
    if "templates_sha256" in manifest and manifest["templates_sha256"] != templates_sha256(view.root):
        lines.append("changed: templates (the workspace's templates/ or the built-in ones differ from those the PDF "
                     "was built with)")
    lines += _compared(_entries(manifest, "incidents"), view.incidents, "removed: incident {id}",
                       lambda i: f"changed: incident {i} ({case.file_of('incident', i)})")
    lines += _compared(_entries(manifest, "sources"), view.sources,
                       f"removed: source {{id}} (deleted, or no longer shown in the {view.edition} edition)",
                       lambda i: f"changed: source {i} (evidence/sources.yaml: grade, name or relays)")
    lines += _compared(_entries(manifest, "norms"), view.norms, "removed: norm {id}", lambda i: f"changed: norm {i}")
    listed = set()
    for entry in _entries(manifest, "items"):
        item_id = entry.get("id")
        listed.add(item_id)
        item = view.items.get(item_id)
        if item is None:
            lines.append(f"removed: item {item_id} (deleted, or no longer shown in the {view.edition} edition)")
            continue
        if canonical_sha256(item) != entry.get("sha256"):
            lines.append(f"changed: item {item_id} ({case.file_of('item', item_id)})")
        if "file_sha256" in entry:
            now = exhibit_file_sha256(view.root, item.file.path) if item.file else None
            if now != entry["file_sha256"]:
                what = "missing" if now is None else "changed"
                lines.append(f"{what}: exhibit file of {item_id} ({entry.get('file')})")
    subject = found if isinstance(found := manifest.get("subject"), dict) else {}
    if subject.get("kind") == "incident":
        incident = subject.get("id")
        if incident not in view.incidents:
            if not _entries(manifest, "incidents"):
                lines.append(f"removed: incident {incident}")
        else:
            lines.extend(f"added: item {item.id} ({case.file_of('item', item.id)})"
                         for item in view.items_of(incident) if item.id not in listed)
    elif subject.get("kind") in ("case", "submission") or subject.get("kind") == "completeness" and \
            manifest.get("incidents"):
        # a whole-case output rests on every item and incident (a version 1 completeness manifest listed only
        # the items cited, so additions cannot be judged from it)
        lines.extend(f"added: item {item_id} ({case.file_of('item', item_id)})" for item_id in view.items
                     if item_id not in listed)
        recorded = {e.get("id") for e in _entries(manifest, "incidents")}
        if recorded:
            lines.extend(f"added: incident {i} ({case.file_of('incident', i)})" for i in view.incidents
                         if i not in recorded)
    return lines

