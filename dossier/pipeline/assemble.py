"""Every PDF a build writes is assembled from parts the engine rendered (and the build cached) separately.

A brief is one part; the case dossier is its front part (cover, contents, the case, the patterns), the pages of
every incident's brief as its chapters, and the exhibit index; the completeness report is its head, one section
per incident and the case-wide warnings. Assembly joins the parts with pikepdf, carries the bookmarks and link
destinations of every part over (a brief's under its incident's name, since each brief has an ``exh-EV-0001`` of
its own), turns the links one part makes to another (``dossier:`` links) into links inside the document, stamps
"Page X of Y" on every page from a footer overlay rendered once per page count, and attaches the manifest. So a
change to what a document rests on, and not to what it shows, never renders it again. The first part carries the
PDF/A identification and metadata.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pikepdf

from dossier.pipeline.manifest import MANIFEST_DESCRIPTION, MANIFEST_NAME
from dossier.rendering.records import LINK_SCHEME, part_anchor


@dataclass(frozen=True)
class Piece:
    """One rendered part as it goes into a document."""

    path: Path
    prefix: str = ""
    """Given to the names of its link targets (a brief's, inside the case dossier: its incident's id)."""
    nest: bool = False
    """Its bookmarks go under the document's last top-level bookmark so far (a brief's, under "The incidents")."""


def page_count(pdf: Path | bytes) -> int:
    """How many pages a rendered part has."""
    with pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        return len(doc.pages)


def page_anchors(path: Path, prefix: str = "") -> tuple[int, dict[str, int]]:
    """A rendered part's page count, and the page index of each of its named destinations (anchors), named as
    they will be in the assembled document."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        anchors: dict[str, int] = {}
        for name, dest in _dests(pdf):
            index = pages.get(dest[0].objgen)
            if index is not None:
                anchors[part_anchor(prefix, name)] = index
        return len(pdf.pages), anchors


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The part's named destinations (WeasyPrint writes them as one flat /Names array)."""
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names or "/Names" not in names.Dests:
        return []
    flat = names.Dests.Names
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)
            if isinstance(flat[i + 1], pikepdf.Array) and len(flat[i + 1])]


def overlay_html(pages: int) -> str:
    """A document of empty pages that only carry the page number in the footer."""
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>page numbers</title></head><body>"
            + "<div style='break-after: page'></div>" * (pages - 1) + "<div></div></body></html>")


OVERLAY_CSS = """
@page { size: A4; margin: 24mm 20mm 22mm 22mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt "Noto Sans", sans-serif;
                  color: #36424e; vertical-align: top; padding-top: 3mm; } }
"""


def assemble(pieces: list[Piece], overlay: Path | None, manifest: bytes, created: date) -> bytes:
    """Join the parts, number the pages from ``overlay`` (None: the parts number their own) and attach
    ``manifest``; the caller writes the result atomically."""
    sources = [pikepdf.open(p.path) for p in pieces]
    merged = sources[0]
    outline: list[tuple[str, int, list]] = []
    dests: dict[str, tuple[int, list]] = {}  # name in the document -> (page index, the rest of the destination)
    try:
        offset = 0
        for piece, part in zip(pieces, sources, strict=True):
            by_objgen = {page.obj.objgen: i for i, page in enumerate(part.pages)}
            entries = _outline_entries(part, offset, by_objgen)
            if piece.nest and outline:
                outline[-1][2].extend(entries)
            else:
                outline.extend(entries)
            local = set()
            for name, dest in _dests(part):
                index = by_objgen.get(dest[0].objgen)
                if index is not None:
                    local.add(name)
                    dests.setdefault(part_anchor(piece.prefix, name), (offset + index, list(dest)[1:]))
            for page in part.pages:
                _retarget_links(page, piece.prefix, local)
            if part is not merged:
                with warnings.catch_warnings():  # named destinations are carried over below
                    warnings.simplefilter("ignore")
                    merged.pages.extend(part.pages)
            offset += len(part.pages)
        _drop_dangling_links(merged, set(dests))
        name_array = pikepdf.Array()
        for name, (index, rest) in sorted(dests.items()):
            name_array.append(pikepdf.String(name))
            name_array.append(pikepdf.Array([merged.pages[index].obj, *[_plain(x) for x in rest]]))
        if "/Names" not in merged.Root:
            merged.Root.Names = pikepdf.Dictionary()
        merged.Root.Names.Dests = pikepdf.Dictionary(Names=name_array)
        with merged.open_outline() as tree:
            tree.root.clear()
            tree.root.extend(_outline_items(outline))
        if overlay is not None:
            with pikepdf.open(overlay) as numbers:
                for page, stamp in zip(merged.pages, numbers.pages, strict=False):
                    _stamp(merged, page, stamp)
        _attach(merged, manifest, created)
        buffer = io.BytesIO()
        merged.save(buffer, deterministic_id=True, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for pdf in sources:
            pdf.close()


def _retarget_links(page: pikepdf.Page, prefix: str, local: set[str]) -> None:
    """A link to an anchor of its own part is renamed as that anchor is; a ``dossier:`` link (to another part)
    becomes a link to the anchor it names."""
    for annot in page.obj.get("/Annots", pikepdf.Array()):
        if annot.get("/Subtype") != pikepdf.Name.Link:
            continue
        dest = annot.get("/Dest")
        if isinstance(dest, pikepdf.String) and str(dest) in local:
            annot.Dest = pikepdf.String(part_anchor(prefix, str(dest)))
            continue
        action = annot.get("/A")
        if isinstance(action, pikepdf.Dictionary) and action.get("/S") == pikepdf.Name.URI:
            uri = str(action.get("/URI", ""))
            if uri.startswith(LINK_SCHEME):
                del annot["/A"]
                annot.Dest = pikepdf.String(unquote(uri[len(LINK_SCHEME):]))


def _drop_dangling_links(merged: pikepdf.Pdf, names: set[str]) -> None:
    """Remove a link whose target is in no part of the document (a ``dossier:`` link to an anchor that is not
    there): a link that goes nowhere is worse than none."""
    for page in merged.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = [a for a in annots if not (isinstance(a.get("/Dest"), pikepdf.String) and str(a.Dest) not in names)]
        if len(kept) != len(annots):
            page.obj.Annots = pikepdf.Array(kept)


def _attach(pdf: pikepdf.Pdf, manifest: bytes, created: date) -> None:
    """Embed the manifest as PDF/A-3 wants an associated file: a /Source relationship, its media type, its dates,
    size and checksum, listed in the catalog's /AF."""
    stamp = f"D:{created:%Y%m%d}000000Z"
    spec = pikepdf.AttachedFileSpec(pdf, manifest, description=MANIFEST_DESCRIPTION, filename=MANIFEST_NAME,
                                    mime_type="application/json", creation_date=stamp, mod_date=stamp,
                                    relationship=pikepdf.Name.Source)  # type: ignore[call-arg]  # pikepdf's stubs lag: the keyword is there since 8.x
    stream = spec.obj.EF.F
    params = stream.get("/Params", pikepdf.Dictionary())
    params.Size = len(manifest)
    params.CheckSum = pikepdf.String(hashlib.md5(manifest, usedforsecurity=False).digest())
    stream.Params = params
    pdf.attachments[MANIFEST_NAME] = spec
    pdf.Root.AF = pikepdf.Array([pdf.attachments[MANIFEST_NAME].obj])


def _outline_entries(part: pikepdf.Pdf, offset: int, pages_by_objgen: dict) -> list[tuple[str, int, list]]:
    def walk(items) -> list[tuple[str, int, list]]:
        out = []
        for item in items:
            index = None
            dest = item.destination
            if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
                index = pages_by_objgen.get(dest[0].objgen)
            if index is not None:
                out.append((str(item.title), offset + index, walk(item.children)))
        return out

    with part.open_outline() as outline:
        return walk(outline.root)


STAMP = pikepdf.Name("/DossierPageNumber")


def _stamp(merged: pikepdf.Pdf, page: pikepdf.Page, stamp: pikepdf.Page) -> None:
    """Draw ``stamp`` (same page size) over ``page`` under a fixed resource name (pikepdf's add_overlay
    picks random names, which would make two builds differ)."""
    form = merged.copy_foreign(stamp.as_form_xobject())
    # WeasyPrint gives every page of a document the same (indirect) /Resources dictionary: adding the stamp
    # to it would put every page's number under one name in one place, and the last page stamped would win
    # for all pages of its part. So each page gets its own copy first (the fonts and images stay shared:
    # the copy is shallow, it holds references to them).
    page.obj.Resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))  # type: ignore[arg-type]  # pikepdf's stubs take no Dictionary here
    page.add_resource(form, pikepdf.Name.XObject, name=STAMP)
    page.contents_add(pikepdf.Stream(merged, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(merged, b"\nQ\nq " + bytes(STAMP) + b" Do Q\n"))


def _plain(value):
    """A destination's /XYZ name or coordinate, detached from the part it came from."""
    if isinstance(value, pikepdf.Name):
        return pikepdf.Name(str(value))
    if value is None or isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0


def _outline_items(entries: list[tuple[str, int, list]]) -> list[pikepdf.OutlineItem]:
    items = []
    for title, index, children in entries:
        item = pikepdf.OutlineItem(title, index)
        item.children.extend(_outline_items(children))
        items.append(item)
    return items


ASSEMBLY = "3"
"""How parts are joined, stamped and given their manifest: a change to it must re-assemble what was built before
(3: every document is assembled, briefs included, and carries a manifest attached here; 2: every page has its own
page number; 1 stamped one number on all the pages of a part)."""


def parts_key(*keys: str) -> str:
    """The state key of an assembled document: its parts' keys, its overlay's, its manifest's hash and the way
    they are assembled."""
    return hashlib.sha256("\x00".join((ASSEMBLY, *keys)).encode()).hexdigest()
