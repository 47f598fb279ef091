"""The manifest embedded in every PDF: which inputs it was built from, by content hash.

Items are hashed by their canonical data (a stable JSON serialisation of the
validated, edition-filtered item), so reformatting the YAML does not change the
hash while any change of content does. The manifest is built from the edition's
view of the case only: a withheld item leaves no trace in it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from dossier import __version__
from dossier.loading.case import Case
from dossier.loading.exhibits import resolve_exhibit, sha256_file

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "dossier-manifest/1"


def canonical_sha256(model: BaseModel) -> str:
    data = model.model_dump(mode="json", by_alias=True)
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def _file_hash(path: Path, size: int, mtime_ns: int) -> str:
    return sha256_file(path)


def exhibit_file_sha256(root: Path, rel: str) -> str | None:
    """The sha256 of an exhibit file as it is now, or None if it is absent or unsafe."""
    target = resolve_exhibit(root, rel)
    if target is None:
        return None
    stat = target.stat()
    return _file_hash(target, stat.st_size, stat.st_mtime_ns)


def make_manifest(case: Case, subject_kind: str, subject_id: str, item_ids: Iterable[str],
                  norm_ids: Iterable[str], build_date: str) -> dict[str, Any]:
    """The manifest of one output (keys in a fixed order)."""
    items = []
    for item_id in sorted(set(item_ids)):
        item = case.items[item_id]
        entry: dict[str, Any] = {"id": item_id, "sha256": canonical_sha256(item)}
        if item.file is not None:
            entry["file"] = f"evidence/{item.file.path}"
            entry["file_sha256"] = exhibit_file_sha256(case.root, item.file.path)
        items.append(entry)
    return {
        "format": MANIFEST_FORMAT,
        "program": {"name": "dossier", "version": __version__},
        "case": case.case.id,
        "case_sha256": canonical_sha256(case.case),
        "edition": case.edition,
        "subject": {"kind": subject_kind, "id": subject_id},
        "standard_of_proof": case.case.standard_of_proof,
        "build_date": build_date,
        "withheld_items": case.withheld,
        "norms": [{"id": n, "sha256": canonical_sha256(case.norms[n])} for n in sorted(set(norm_ids))],
        "items": items,
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
