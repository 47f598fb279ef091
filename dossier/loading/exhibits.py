"""Exhibit files: paths stay inside ``evidence/``; hashes are checked against the files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from dossier.diagnostics import Diagnostics
from dossier.loading.case import Case
from dossier.textsafety import describe, first_dangerous

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def path_problem(evidence: Path, rel: str) -> str | None:
    """Why an exhibit path is unsafe, or None. Paths are relative to evidence/ and must stay inside it."""
    bad = first_dangerous(rel)
    if bad is not None:
        return f"must not contain control, direction or invisible characters: it holds {describe(bad)}; rename the file"
    if rel.strip() in ("", ".") or rel.endswith(("/", "\\")):
        return "must name a file inside evidence/, e.g. files/EV-0012.pdf (not a folder)"
    if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel) or "://" in rel:
        return "must be a path relative to evidence/, e.g. files/EV-0012.pdf (absolute paths are not allowed)"
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if ".." in parts:
        return "must stay inside evidence/ ('..' is not allowed)"
    target = evidence / rel
    if target.exists() or target.is_symlink():
        try:
            resolved = target.resolve(strict=False)
        except (OSError, RuntimeError):
            return "cannot be resolved (a symbolic-link loop?)"
        if not resolved.is_relative_to(evidence.resolve()):
            return "leads outside evidence/ through a symbolic link; copy the file into evidence/files/"
    return None


def resolve_exhibit(root: Path, rel: str) -> Path | None:
    """The exhibit file for a checked path, or None when it is unsafe or absent."""
    evidence = root / "evidence"
    if path_problem(evidence, rel) is not None:
        return None
    target = (evidence / rel).resolve()
    return target if target.is_file() else None


def check_exhibits(case: Case, diags: Diagnostics) -> None:
    """Errors for unsafe paths; warnings for missing files, missing hashes and mismatches."""
    evidence = case.root / "evidence"
    for item in case.items.values():
        if item.file is None:
            continue
        problem = path_problem(evidence, item.file.path)
        if problem:
            diags.error("unsafe-path", problem, case.loc("item", item.id, "file", "path"), "file.path", (item.id,))
            continue
        if item.file.sha256 is None:
            diags.warning("no-hash", "the exhibit has no sha256: run `dossier hash` to record it",
                          case.loc("item", item.id, "file"), "file.sha256", (item.id,))
        target = evidence / item.file.path
        if not target.is_file():
            diags.warning("file-missing", f"exhibit file evidence/{item.file.path} is not in the workspace",
                          case.loc("item", item.id, "file", "path"), "file.path", (item.id,))
        elif item.file.sha256 is not None:
            actual = sha256_file(target)
            if actual != item.file.sha256:
                diags.warning("hash-mismatch",
                              f"the file's sha256 is {actual[:12]}…, not the {item.file.sha256[:12]}… recorded: "
                              "the exhibit changed since it was hashed", case.loc("item", item.id, "file", "sha256"),
                              "file.sha256", (item.id,))
