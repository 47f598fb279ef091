"""Exhibit files: paths stay inside ``evidence/``; hashes are checked against the files; an image a brief
would show is checked to be one the PDF engine can decode (see :func:`image_problem`)."""

from __future__ import annotations

from dossier.diagnostics import Diagnostics
from dossier.files import image_problem, path_problem, sha256_file, shown_as_image
from dossier.models.loaded import Case


def check_exhibits(case: Case, diags: Diagnostics) -> None:
    """Errors for unsafe paths; warnings for missing files, missing hashes, mismatches, and images a brief
    would show but cannot (the brief then lists the exhibit without its picture)."""
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
                          case.loc("item", item.id, "file"), "file.sha256", (item.id,), item.id)
        target = evidence / item.file.path
        if not target.is_file():
            diags.warning("file-missing", f"exhibit file evidence/{item.file.path} is not in the workspace",
                          case.loc("item", item.id, "file", "path"), "file.path", (item.id,), item.id)
            continue
        if shown_as_image(item.file.path, item.file.media_type) and (image := image_problem(target)) is not None:
            diags.warning("image-not-shown", f"the image {item.file.path} {image[0]}: it is listed, not embedded",
                          case.loc("item", item.id, "file", "path"), "file.path", (item.id,), item.id)
        if item.file.sha256 is not None:
            actual = sha256_file(target)
            if actual != item.file.sha256:
                diags.warning("hash-mismatch",
                              f"the file's sha256 is {actual[:12]}…, not the {item.file.sha256[:12]}… recorded: "
                              "the exhibit changed since it was hashed", case.loc("item", item.id, "file", "sha256"),
                              "file.sha256", (item.id,), item.id)
