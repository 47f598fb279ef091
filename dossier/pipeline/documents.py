"""The documents of a build, each assembled from rendered parts: render every part whose key changed (a brief's
part once, for the brief and for its chapter of the case dossier), settle the page numbers of each document's
contents (they depend on the front's own length, so they converge over a few renderings), render the footer
overlays, then assemble the documents whose parts, numbering or manifest changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dossier.atomic import is_output_file
from dossier.pipeline.assemble import Piece, page_anchors, page_count, parts_key
from dossier.pipeline.executor import Assembly, Renderer
from dossier.pipeline.jobs import RenderJob, prepare_page_numbers

Where = tuple[int, dict[str, int]]
"""A front part's page count and the page index of each of its anchors."""


@dataclass(frozen=True)
class Placed:
    """A part as a document places it."""

    job: RenderJob
    prefix: str = ""
    """Given to its anchors' names in the document (see assemble.Piece)."""
    nest: bool = False
    """Its bookmarks go under the last top-level one before it (a chapter's)."""


@dataclass
class Document:
    """One output a reader opens, and how it is made: its parts in order, what it rests on (the manifest), and,
    for a document with contents, the front part that prints them."""

    rel: str
    parts: list[Placed]
    manifest: bytes
    build_date: str
    numbered: bool = True
    """Whether its pages are numbered at assembly (a submission's number their own)."""
    front: Callable[[Where, list[int]], RenderJob] | None = None
    """Renders the front, given where its own anchors fell last time and the page (from 1) each part starts on."""
    front_rel: str = ""
    """Where under out/ the front part is rendered (its last rendering gives the first guess)."""
    label: str = ""
    guess: Where = field(default=(6, {}))
    """Where the front's anchors are thought to fall before it is first rendered."""


def build_documents(renderer: Renderer, documents: list[Document]) -> None:
    """Render the parts, settle the fronts, number the pages and assemble every document."""
    out = renderer.out
    parts = list({p.job.rel: p.job for d in documents for p in d.parts}.values())
    renderer.render(parts)
    ready = []
    for doc in documents:
        if any(p.job.rel in renderer.failed for p in doc.parts):
            renderer.fail(doc.rel, "a part of the document could not be rendered")
        else:
            ready.append(doc)
    counts = {d.rel: [_pages(renderer, p) for p in d.parts] for d in ready}
    fronts = _settle_fronts(renderer, [d for d in ready if d.front is not None], counts)
    tasks: list[tuple[Document, list[Piece], int]] = []
    for doc in ready:
        pieces = [Piece(out / p.job.rel, p.prefix, p.nest) for p in doc.parts]
        pages = sum(counts[doc.rel])
        if doc.front is not None:
            front = fronts.get(doc.rel)
            if front is None:
                renderer.fail(doc.rel, "its front part could not be rendered")
                continue
            pieces.insert(0, Piece(out / front[0].rel))
            pages += front[1][0]
        tasks.append((doc, pieces, pages))
    overlays = {pages: prepare_page_numbers(pages, doc.build_date) for doc, _, pages in tasks if doc.numbered}
    renderer.render(list({j.rel: j for j in overlays.values()}.values()), counted=False)
    assemblies = []
    for doc, pieces, pages in tasks:
        overlay = overlays.get(pages) if doc.numbered else None
        if overlay is not None and overlay.rel in renderer.failed:
            renderer.fail(doc.rel, "its page numbers could not be rendered")
            continue
        front_key = [fronts[doc.rel][0].key()] if doc.rel in fronts else []
        key = parts_key(*front_key, *(p.job.key() for p in doc.parts), *(f"{p.prefix}\x01{p.nest}" for p in doc.parts),
                        overlay.key() if overlay else "", hashlib.sha256(doc.manifest).hexdigest())
        assemblies.append(Assembly(doc.rel, tuple(pieces), out / overlay.rel if overlay else None, doc.manifest,
                                   doc.build_date, key, doc.label))
    renderer.assemble(assemblies)


def _settle_fronts(renderer: Renderer, documents: list[Document],
                   counts: dict[str, list[int]]) -> dict[str, tuple[RenderJob, Where]]:
    """Render each front until the page numbers its contents print are where the headings fall: its own (their
    anchors), and each part's (its first page)."""
    out = renderer.out
    settled: dict[str, tuple[RenderJob, Where]] = {}
    guesses: dict[str, Where] = {}
    for doc in documents:
        guesses[doc.rel] = _last_rendering(out / doc.front_rel, doc.guess)
    unsettled = list(documents)
    for attempt in range(4):
        if not unsettled:
            break
        jobs = {d.rel: d.front(guesses[d.rel], starts(guesses[d.rel][0], counts[d.rel]))
                for d in unsettled if d.front is not None}
        renderer.render(list(jobs.values()), counted=attempt == 0)
        still = []
        for doc in unsettled:
            job = jobs[doc.rel]
            if job.rel in renderer.failed:
                continue
            actual = page_anchors(out / job.rel)
            settled[doc.rel] = (job, actual)
            if actual != guesses[doc.rel]:
                guesses[doc.rel] = actual
                still.append(doc)
        unsettled = still
    return settled


def starts(front_pages: int, counts: list[int]) -> list[int]:
    """The page (from 1) each part starts on, after a front of ``front_pages``."""
    out, at = [], front_pages + 1
    for n in counts:
        out.append(at)
        at += n
    return out


def _pages(renderer: Renderer, placed: Placed) -> int:
    """A part's page count: as recorded when it was written (a build that renders nothing opens no part), else
    read from the part."""
    recorded = renderer.state.pages(placed.job.rel)
    return recorded if recorded is not None else page_count(renderer.out / placed.job.rel)


def _last_rendering(path: Path, guess: Where) -> Where:
    """A front part's page count and anchors from its last rendering, or the guess if it is absent or damaged (it
    is rendered again either way when the contents' numbers change)."""
    try:
        return page_anchors(path) if is_output_file(path) else guess
    except Exception:  # noqa: BLE001 - a damaged part is only a worse guess
        return guess
