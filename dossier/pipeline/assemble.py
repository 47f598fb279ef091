"""The case dossier, assembled from parts so one edited item does not re-render the whole dossier.

The dossier is cut into parts rendered (and cached) separately: the front part
(cover, contents, the case, pattern analysis), one chapter per incident and the
exhibit index. Once the chapters' page counts are known, the front part is
rendered with the contents' page numbers, the parts are joined with pikepdf, the
bookmarks and link destinations of every part are carried over, and "Page X of Y"
is stamped on every page from a footer overlay rendered once per page count.
The front part carries the PDF/A identification, metadata and manifest.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pikepdf

FRONT = "front"
INDEX = "index"


def page_anchors(path: Path) -> tuple[int, dict[str, int]]:
    """A rendered part's page count, and the page index of each of its named destinations (anchors)."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        anchors: dict[str, int] = {}
        names = pdf.Root.get("/Names")
        if names is not None and "/Dests" in names and "/Names" in names.Dests:
            flat = names.Dests.Names
            for i in range(0, len(flat), 2):
                index = pages.get(flat[i + 1][0].objgen)
                if index is not None:
                    anchors[str(flat[i])] = index
        return len(pdf.pages), anchors


def overlay_html(pages: int) -> str:
    """A document of empty pages that only carry the page number in the footer."""
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>page numbers</title></head><body>"
            + "<div style='break-after: page'></div>" * (pages - 1) + "<div></div></body></html>")


OVERLAY_CSS = """
@page { size: A4; margin: 24mm 20mm 22mm 22mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt "Noto Sans", sans-serif;
                  color: #36424e; vertical-align: top; padding-top: 3mm; } }
"""


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


def assemble(front: Path, parts: list[Path], overlay: Path) -> bytes:
    """Join the front part and the other parts; the caller writes the result atomically."""
    merged = pikepdf.open(front)
    outline: list[tuple[str, int, list]] = []
    dests: list[tuple[str, int, list[pikepdf.Object]]] = []  # (name, page index in the merged file, the rest)
    sources = [merged] + [pikepdf.open(p) for p in parts]
    try:
        offset = 0
        for n, part in enumerate(sources):
            by_objgen = {page.obj.objgen: i for i, page in enumerate(part.pages)}
            outline.extend(_outline_entries(part, offset, by_objgen))
            names = part.Root.get("/Names")
            if names is not None and "/Dests" in names and "/Names" in names.Dests:
                flat = names.Dests.Names
                for i in range(0, len(flat), 2):
                    dest = flat[i + 1]
                    index = by_objgen.get(dest[0].objgen)
                    if index is not None:
                        dests.append((str(flat[i]), offset + index, list(dest)[1:]))
            if n:
                with warnings.catch_warnings():  # named destinations are carried over below
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning) if hasattr(pikepdf, "PageCopyWarning") \
                        else warnings.simplefilter("ignore")
                    merged.pages.extend(part.pages)
            offset += len(part.pages)
        # destinations and bookmarks, pointing at the merged pages
        name_array = pikepdf.Array()
        for name, index, rest in sorted(dests, key=lambda d: d[0]):
            name_array.append(pikepdf.String(name))
            name_array.append(pikepdf.Array([merged.pages[index].obj, *[_plain(x) for x in rest]]))
        if "/Names" not in merged.Root:
            merged.Root.Names = pikepdf.Dictionary()
        merged.Root.Names.Dests = pikepdf.Dictionary(Names=name_array)
        with merged.open_outline() as tree:
            tree.root.clear()
            tree.root.extend(_outline_items(merged, outline))
        with pikepdf.open(overlay) as numbers:
            for page, stamp in zip(merged.pages, numbers.pages, strict=False):
                _stamp(merged, page, stamp)
        import io

        buffer = io.BytesIO()
        merged.save(buffer, deterministic_id=True, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for pdf in sources:
            pdf.close()


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


def _outline_items(merged: pikepdf.Pdf, entries: list[tuple[str, int, list]]) -> list[pikepdf.OutlineItem]:
    items = []
    for title, index, children in entries:
        item = pikepdf.OutlineItem(title, index)
        item.children.extend(_outline_items(merged, children))
        items.append(item)
    return items


ASSEMBLY = "2"
"""How parts are joined and stamped: a change to it must re-assemble dossiers built before (2: every page
has its own page number; 1 stamped one number on all the pages of a part)."""


def parts_key(*keys: str) -> str:
    """The state key of an assembled dossier: its parts' keys and the way they are assembled."""
    return hashlib.sha256("\x00".join((ASSEMBLY, *keys)).encode()).hexdigest()
