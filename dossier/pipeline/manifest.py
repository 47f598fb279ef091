"""The manifest embedded in every PDF: which inputs it was built from, by content hash.

Items are hashed by their canonical data (a stable JSON serialisation of the
validated, edition-filtered item), so reformatting the YAML does not change the
hash while any change of content does. The manifest is built from the edition's
view of the case only: a withheld item leaves no trace in it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from dossier import __version__
from dossier.files import resolve_exhibit, sha256_file
from dossier.models.loaded import Case
from dossier.rendering.dates import dated

MANIFEST_NAME = "manifest.json"
MANIFEST_DESCRIPTION = "Inputs this document was built from (dossier)"
MANIFEST_FORMAT = "dossier-manifest/2"
READABLE_FORMATS = ("dossier-manifest/1", MANIFEST_FORMAT)  # /1: no incidents, sources or templates recorded


def canonical_sha256(model: BaseModel, exclude: set[str] | None = None) -> str:
    data = model.model_dump(mode="json", by_alias=True, exclude=exclude)
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def case_sha256(case_file: BaseModel) -> str:
    """The case file's hash. ``suppress_warnings`` is left out: it changes which warnings are printed, not the
    case a brief rests on (and a case written before the field existed keeps the hash its PDFs record)."""
    return canonical_sha256(case_file, exclude={"suppress_warnings"})


@lru_cache(maxsize=4096)
def _file_hash(path: Path, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> str:
    return sha256_file(path)


def current_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes now, or None if it is not a readable file. Remembered within one run for
    the same file status (the change time included, which no ordinary write can keep)."""
    try:
        stat = path.stat()
        return _file_hash(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) \
            if path.is_file() else None
    except OSError:
        return None


def exhibit_file_sha256(root: Path, rel: str) -> str | None:
    """The sha256 of an exhibit file as it is now, or None if it is absent or unsafe."""
    target = resolve_exhibit(root, rel)
    return None if target is None else current_sha256(target)


def templates_sha256(root: Path) -> str:
    """The content of the template folders a build of this workspace uses (its overrides, then the built-in)."""
    from dossier.rendering.env import template_dirs

    digest = hashlib.sha256()
    for folder in template_dirs(root):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\x00")
                digest.update((current_sha256(path) or "").encode() + b"\x00")
        digest.update(b"\x01")
    return digest.hexdigest()


def sources_behind(case: Case, item_ids: Iterable[str]) -> list[str]:
    """The sources the items come from, and those they relay (``derived_from``, followed), sorted."""
    todo = [case.items[i].source for i in item_ids if i in case.items]
    found: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in found or sid not in case.sources:
            continue
        found.add(sid)
        todo.extend(case.sources[sid].derived_from)
    return sorted(found)


def memo_sha256(case: Case, kind: str, id_: str, model: BaseModel) -> str:
    """``canonical_sha256`` of one of the view's models, computed once for the view."""
    memo = case.content_hashes
    key = (kind, id_)
    if key not in memo:
        memo[key] = canonical_sha256(model)
    return memo[key]


def make_manifest(case: Case, subject_kind: str, subject_id: str, item_ids: Iterable[str],
                  norm_ids: Iterable[str], build_date: str, incident_ids: Iterable[str] = ()) -> dict[str, Any]:
    """The manifest of one output (keys in a fixed order): every input its content rests on, as the edition
    sees it: the case, the incidents, the sources behind the items, the items with their exhibit files'
    bytes, the norms, the templates."""
    item_ids = sorted(set(item_ids))
    items = []
    for item_id in item_ids:
        item = case.items[item_id]
        entry: dict[str, Any] = {"id": item_id, "sha256": memo_sha256(case, "item", item_id, item)}
        if item.file is not None:
            entry["file"] = f"evidence/{item.file.path}"
            entry["file_sha256"] = exhibit_file_sha256(case.root, item.file.path)
        items.append(entry)
    return {
        "format": MANIFEST_FORMAT,
        "program": {"name": "dossier", "version": __version__},
        "case": case.case.id,
        "case_sha256": case_sha256(case.case),
        "edition": case.edition,
        "subject": {"kind": subject_kind, "id": subject_id},
        "standard_of_proof": case.case.standard_of_proof,
        "build_date": build_date,
        "date_of": dated(case)[1],  # what the date is: evidence, findings, analysis (as_of), build (SOURCE_DATE_EPOCH)
        "withheld_items": case.withheld,
        "templates_sha256": templates_sha256(case.root),
        "incidents": [{"id": i, "sha256": memo_sha256(case, "incident", i, case.incidents[i])}
                      for i in sorted(set(incident_ids))],
        "sources": [{"id": s, "sha256": memo_sha256(case, "source", s, case.sources[s])}
                    for s in sources_behind(case, item_ids)],
        "norms": [{"id": n, "sha256": memo_sha256(case, "norm", n, case.norms[n])} for n in sorted(set(norm_ids))],
        "items": items,
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
