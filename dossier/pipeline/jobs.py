"""Each part of each output, from an edition's view of the case to the exact inputs of the PDF engine.

``prepare_*`` functions are pure and cheap (templates): they run in the main
process and return a :class:`RenderJob`, whose hash is the part's
incremental-build key. ``run_job`` is the expensive part (WeasyPrint) and runs in
worker processes. What a document rests on (its manifest) is not an input of the
engine: it is attached when the parts are assembled (assemble.py).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from dossier import __version__
from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.pipeline.manifest import current_sha256, make_manifest, manifest_bytes
from dossier.rendering import context as ctx
from dossier.rendering.env import read_asset, template_dirs
from dossier.rendering.exhibits import numbers_in_citation_order
from dossier.rendering.templates import CompletenessParts, DossierContext, IndexContext, render

FONT_FAMILIES = ("Noto Serif", "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans Mono", "DejaVu Sans")


@dataclass(frozen=True)
class RenderJob:
    """Everything the PDF engine needs for one output; nothing else may influence the bytes."""

    edition: str
    name: str  # file name inside out/<edition>/
    html: str
    css: str
    roots: tuple[Path, ...]
    build_date: str
    folder: str = ""  # where under out/ (default: the edition's folder)
    label: str = ""  # what it is, in words, for the progress bar (default: told by its path); not an input


    @property
    def rel(self) -> str:
        return f"{self.folder or self.edition}/{self.name}"

    def key(self) -> str:
        """The hash of everything that makes the part's bytes: program, fonts, HTML, CSS, the template
        folders' content, the bytes of every exhibit file the HTML embeds."""
        cached = self.__dict__.get("_key")
        if cached is not None:
            return cached
        digest = hashlib.sha256()
        for part in (__version__, fonts_fingerprint(), self.edition, self.rel, self.html, self.css,
                     self.build_date, *(exhibits_fingerprint(self.html, r) if _is_exhibit_folder(r)
                                        else folder_fingerprint(r) for r in self.roots)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        object.__setattr__(self, "_key", digest.hexdigest())  # a job is immutable: hash it once
        return self.__dict__["_key"]


@cache
def fonts_fingerprint() -> str:
    """Which font files the system would give our families (paths and sizes): fonts change the PDF bytes."""
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}|%{file}\n"], capture_output=True, text=True,
                             timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return "no-fontconfig"
    lines = []
    for line in sorted(set(out.splitlines())):
        family, _, path = line.partition("|")
        if any(f in family for f in FONT_FAMILIES):
            try:
                lines.append(f"{path}:{Path(path).stat().st_size}")
            except OSError:
                pass
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@cache
def folder_fingerprint(folder: Path) -> str:
    """The content of a template folder (assets a stylesheet may load), not its path: a moved workspace
    is the same input. Exhibit files are keyed by their hashes in the manifest instead."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


def _is_exhibit_folder(folder: Path) -> bool:
    return folder.name == "files" and folder.parent.name == "evidence"


_FILE_URI = re.compile(r"""file://[^"'\s)<>]+""")


def exhibits_fingerprint(html: str, folder: Path) -> str:
    """The bytes of every file of the exhibits folder that the HTML refers to (the images a brief embeds):
    an exhibit replaced on disk, even with the same name, size and time, changes the key."""
    digest = hashlib.sha256()
    base = folder.resolve().as_uri().rstrip("/") + "/"
    for uri in sorted(set(_FILE_URI.findall(unescape(html)))):
        if uri.startswith(base):
            path = Path(unquote(uri[len("file://"):]))
            digest.update(uri[len(base):].encode("utf-8") + b"\x00" + (current_sha256(path) or "absent").encode())
            digest.update(b"\x00")
    return digest.hexdigest()


def _roots(case: Case) -> tuple[Path, ...]:
    return (*template_dirs(case.root), case.root / "evidence" / "files")


@dataclass(frozen=True)
class BriefPart:
    """An incident's brief as rendered once for the brief itself and for its chapter of the case dossier:
    the part, the manifest of the brief, and the brief's own exhibit numbers (the dossier's index cites them)."""

    job: RenderJob
    manifest: bytes
    numbers: dict[str, int]
    annex: tuple[str, ...]  # the items its exhibit annex shows, in its order


PART_CSS = "\n@page { @bottom-right { content: none; } }  /* numbered when the document is assembled */\n"


def prepare_brief(case: Case, assessment: Assessment, incident_id: str,
                  numbers: dict[str, int] | None = None) -> RenderJob:
    """One incident's brief, as the engine renders it (see :func:`brief_part`)."""
    return brief_part(case, assessment, incident_id, numbers).job


def brief_part(case: Case, assessment: Assessment, incident_id: str,
               numbers: dict[str, int] | None = None) -> BriefPart:
    """One incident's brief; ``numbers`` (the edition's exhibit numbers) is computed once per edition by a build.

    A brief numbers its own exhibits from 1, in the order its text cites them: rendered once with the edition's
    numbers to find that order, then with its own (again if the order moved: it does not, with the templates
    we ship, but an override may sort by number). Its pages are numbered when it is assembled, as a brief or
    as a chapter of the case dossier."""
    numbers = numbers if numbers is not None else ctx.exhibit_numbers(case)
    context = ctx.brief_context(case, assessment, incident_id, numbers)
    html = render(case.root, "brief.html", context)
    for _attempt in range(3):
        own = numbers_in_citation_order(html, [e.id for e in context.incident.exhibits], numbers)
        if own == numbers:
            break
        numbers = own
        context = ctx.brief_context(case, assessment, incident_id, numbers)
        html = render(case.root, "brief.html", context)
    annex = tuple(e.id for e in context.incident.exhibits)
    norms = case.charges_of(case.incidents[incident_id])
    manifest = make_manifest(case, "incident", incident_id, annex, norms, context.meta.build_date, [incident_id])
    job = _part(case, f"brief-{incident_id}.pdf", html, context.meta.build_date, f"{case.edition} brief {incident_id}")
    return BriefPart(job, manifest_bytes(manifest), {i: numbers[i] for i in annex}, annex)


def _part(case: Case, name: str, html: str, build_date: str, label: str) -> RenderJob:
    """A part of one of the edition's documents, kept under out/.parts/<edition>/, its pages numbered when the
    document is assembled."""
    return RenderJob(case.edition, name, html, read_asset(case.root, "base.css") + PART_CSS, _roots(case),
                     build_date, f".parts/{case.edition}", label)


def prepare_dossier_index(case: Case, context: IndexContext) -> RenderJob:
    """The case dossier's exhibit index (and the exhibits that no chapter shows)."""
    return _part(case, "index.pdf", render(case.root, "dossier-index.html", context), context.meta.build_date,
                 f"{case.edition} case dossier: exhibit index")


def prepare_dossier_front(case: Case, context: DossierContext) -> RenderJob:
    """The front part (cover, contents with page numbers, the case, patterns)."""
    return _part(case, "front.pdf", render(case.root, "dossier-front.html", context), context.meta.build_date,
                 f"{case.edition} case dossier: cover and contents")


def case_manifest(case: Case, kind: str, build_date: str) -> bytes:
    """The manifest of a document about the whole edition (``kind``: ``case`` for the case dossier,
    ``completeness`` for the report): it rests on every item of the edition (the report's warnings and gaps
    concern those that support nothing too), every incident and every norm charged."""
    norms = {n for inc in case.incidents.values() for n in case.charges_of(inc)}
    return manifest_bytes(make_manifest(case, kind, case.case.id, case.items, norms, build_date, case.incidents))


def prepare_completeness_parts(case: Case, context: CompletenessParts) -> list[RenderJob]:
    """The completeness report's parts after its head: one per incident, then the case-wide warnings."""
    date, count = context.meta.build_date, len(context.incidents)
    jobs = [_part(case, f"completeness-incident-{part.id}.pdf", render(case.root, "completeness-incident.html", part),
                  date, f"{case.edition} completeness report: incident {n + 1} of {count}")
            for n, part in enumerate(context.incidents)]
    jobs.append(_part(case, "completeness-case.pdf", render(case.root, "completeness-warnings.html", context.case_wide),
                      date, f"{case.edition} completeness report: case-wide warnings"))
    return jobs


def prepare_completeness_head(case: Case, context: CompletenessParts) -> RenderJob:
    """The report's head: cover, counts, the highest-priority gaps, contents with page numbers."""
    return _part(case, "completeness-head.pdf", render(case.root, "completeness-head.html", context.head),
                 context.meta.build_date, f"{case.edition} completeness report: cover and contents")


def run_job(job: RenderJob) -> tuple[bytes, tuple[str, ...]]:
    """Render one job to PDF bytes (imports WeasyPrint), with the engine's warnings about it."""
    from dossier.rendering.pdf import html_to_pdf

    pdf, notes = html_to_pdf(job.html, job.css, list(job.roots))
    return pdf, tuple(notes)


def prepare_page_numbers(pages: int, build_date: str) -> RenderJob:
    """The footer overlay that numbers an assembled document of ``pages`` pages ("Page X of Y")."""
    from dossier.pipeline.assemble import OVERLAY_CSS, overlay_html
    from dossier.resources import resource_dir

    return RenderJob("", f"page-numbers-{pages}.pdf", overlay_html(pages), OVERLAY_CSS,
                     (resource_dir("templates"),), build_date, ".parts", f"page numbers ({pages} pages)")
