"""`dossier verify FILE.pdf`: does a built PDF still match the workspace and its exhibit files?

Reads the embedded manifest, rebuilds the same edition's view of the case from
the workspace, recomputes every hash the manifest lists, and says what was added,
removed or changed since the PDF was built.
"""

from __future__ import annotations

import json
from pathlib import Path

from dossier.analysis.editions import apply_edition
from dossier.build.manifest import MANIFEST_FORMAT, MANIFEST_NAME, canonical_sha256, exhibit_file_sha256
from dossier.diagnostics import InputError, UsageError
from dossier.models.common import EDITIONS


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
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT or \
            manifest.get("edition") not in EDITIONS or not isinstance(manifest.get("items"), list) or \
            not isinstance(manifest.get("norms"), list):
        raise ValueError(f"the embedded {MANIFEST_NAME} is not a {MANIFEST_FORMAT} manifest")
    return manifest


def verify_pdf(pdf: Path, root: Path) -> tuple[bool, list[str]]:
    """Compare a PDF's manifest with the workspace now. Returns (all matches, lines to print)."""
    from dossier.loading.workspace import load_case

    if not pdf.is_file():
        raise UsageError(f"{pdf}: no such file")
    try:
        manifest = read_manifest(pdf)
    except ValueError as exc:
        return False, [f"{pdf}: error: {exc}"]
    try:
        case = load_case(root)
    except InputError as exc:
        lines = [d.format() for d in exc.diagnostics if d.level == "error"]
        return False, lines + [f"{pdf}: error: the workspace has errors; it cannot be compared"]
    view = apply_edition(case, manifest["edition"])
    lines: list[str] = []
    if manifest.get("case") != view.case.id:
        lines.append(f"changed: case id is '{view.case.id}', the PDF was built from case '{manifest.get('case')}'")
    elif manifest.get("case_sha256") and manifest["case_sha256"] != canonical_sha256(view.case):
        lines.append("changed: evidence/case.yaml (parties, charges, standard of proof or other case data)")
    for entry in manifest["norms"]:
        norm = view.norms.get(entry.get("id"))
        if norm is None:
            lines.append(f"removed: norm {entry.get('id')}")
        elif canonical_sha256(norm) != entry.get("sha256"):
            lines.append(f"changed: norm {entry['id']}")
    listed = set()
    for entry in manifest["items"]:
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
    subject = manifest.get("subject") or {}
    if subject.get("kind") == "incident":
        incident = subject.get("id")
        if incident not in view.incidents:
            lines.append(f"removed: incident {incident}")
        else:
            for item in view.items_of(incident):
                if item.id not in listed:
                    lines.append(f"added: item {item.id} ({case.file_of('item', item.id)})")
    elif subject.get("kind") == "case":
        for item_id in view.items:
            if item_id not in listed:
                lines.append(f"added: item {item_id} ({case.file_of('item', item_id)})")
    header = (f"{pdf}: {manifest['edition']} edition of {manifest.get('case')}, {subject.get('kind')} "
              f"{subject.get('id')}, built by dossier {manifest.get('program', {}).get('version')} on "
              f"{manifest.get('build_date')}: {len(manifest['items'])} items, {len(manifest['norms'])} norms")
    if lines:
        return False, [header] + lines + [f"{len(lines)} difference{'s' if len(lines) != 1 else ''}: the PDF no "
                                          "longer matches the workspace; rebuild it"]
    return True, [header, "ok: every item, norm and exhibit file matches the workspace"]
