"""Exhibit files: paths stay inside ``evidence/``; hashes are checked against the files; an image a brief
would show is checked to be one the PDF engine can decode (see :func:`image_problem`)."""

from __future__ import annotations

import hashlib
import re
import warnings
from functools import lru_cache
from pathlib import Path, PurePosixPath

from dossier.diagnostics import Diagnostics
from dossier.loading.case import Case
from dossier.models.item import FileRef
from dossier.textsafety import describe, first_dangerous

_CHUNK = 1 << 20

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
"""The media types a brief shows as a picture beside the exhibit's entry."""


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


def shown_as_image(file: FileRef) -> bool:
    """Whether a brief shows the exhibit file as a picture: an image type inside ``evidence/files/``
    (the only exhibit folder the PDF engine may read)."""
    return (file.media_type or "").lower() in IMAGE_TYPES and file.path.replace("\\", "/").startswith("files/")


def image_problem(path: Path) -> tuple[str, str] | None:
    """Why the image file at ``path`` cannot be shown in a brief, or None: (the reason for a warning, the
    line the brief shows instead of the picture). Reads only the file's header."""
    stat = path.stat()
    return _image_problem(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1024)
def _image_problem(path: Path, size: int, mtime_ns: int) -> tuple[str, str] | None:
    from PIL import Image

    try:
        width, height = _image_size(path)
    except Exception:  # noqa: BLE001 - Pillow's header parsers raise many kinds; each means "not readable"
        return ("is not an image file dossier can read (check its media_type)", "image not shown: the file "
                "is not a readable image")
    # Pillow's own decompression-bomb threshold: beyond it the PDF engine refuses the image (or decodes
    # gigabytes of pixels for a thumbnail 42 mm wide)
    if Image.MAX_IMAGE_PIXELS is not None and width * height > Image.MAX_IMAGE_PIXELS:
        return (f"is {width} x {height} pixels, too large to show in a brief",
                f"image too large to show ({width} x {height} px)")
    return None


def _image_size(path: Path) -> tuple[int, int]:
    """Width and height from the image's header, without decoding it."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:  # lazy: reads the header only
                return image.size
        except Image.DecompressionBombError:
            pass
    # too many pixels for Pillow even to open it: its documented switch, for the header only, restored at
    # once (loading runs in one thread, and the PDF engine's workers are started later)
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(path) as image:
            return image.size
    finally:
        Image.MAX_IMAGE_PIXELS = saved


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
                          case.loc("item", item.id, "file"), "file.sha256", (item.id,))
        target = evidence / item.file.path
        if not target.is_file():
            diags.warning("file-missing", f"exhibit file evidence/{item.file.path} is not in the workspace",
                          case.loc("item", item.id, "file", "path"), "file.path", (item.id,))
            continue
        if shown_as_image(item.file) and (image := image_problem(target)) is not None:
            diags.warning("image-not-shown", f"the image {item.file.path} {image[0]}: it is listed, not embedded",
                          case.loc("item", item.id, "file", "path"), "file.path", (item.id,))
        if item.file.sha256 is not None:
            actual = sha256_file(target)
            if actual != item.file.sha256:
                diags.warning("hash-mismatch",
                              f"the file's sha256 is {actual[:12]}…, not the {item.file.sha256[:12]}… recorded: "
                              "the exhibit changed since it was hashed", case.loc("item", item.id, "file", "sha256"),
                              "file.sha256", (item.id,))
