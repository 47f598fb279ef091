"""Exhibit files on disk, shared by loading (checks), rendering (pictures) and the pipeline (hashes): paths
stay inside ``evidence/``; an image a brief would show is checked to be one the PDF engine can decode."""

from __future__ import annotations

import hashlib
import re
import warnings
from functools import lru_cache
from pathlib import Path, PurePosixPath

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


def shown_as_image(path: str, media_type: str | None) -> bool:
    """Whether a brief shows the exhibit file as a picture: an image type inside ``evidence/files/``
    (the only exhibit folder the PDF engine may read)."""
    return (media_type or "").lower() in IMAGE_TYPES and path.replace("\\", "/").startswith("files/")


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
