"""Each output, from an edition's view of the case to the exact inputs of the PDF engine.

``prepare_*`` functions are pure and cheap (templates, manifest): they run in the
main process and return a :class:`RenderJob`, whose hash is the output's
incremental-build key. ``run_job`` is the expensive part (WeasyPrint) and runs in
worker processes.
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
from dossier.pipeline.manifest import MANIFEST_NAME, current_sha256, make_manifest, manifest_bytes
from dossier.rendering import context as ctx
from dossier.rendering.env import read_asset, template_dirs
from dossier.rendering.exhibits import numbers_in_citation_order
from dossier.rendering.records import Exhibit
from dossier.rendering.templates import ChapterContext, DossierContext, ExhibitsContext, IndexContext, render

FONT_FAMILIES = ("Noto Serif", "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans Mono", "DejaVu Sans")


@dataclass(frozen=True)
class RenderJob:
    """Everything the PDF engine needs for one output; nothing else may influence the bytes."""

    edition: str
    name: str  # file name inside out/<edition>/
    html: str
    css: str
    roots: tuple[Path, ...]
    manifest: bytes  # empty for the parts of a case dossier: the assembled file carries the front's
    build_date: str
    folder: str = ""  # where under out/ (default: the edition's folder)
    label: str = ""  # what it is, in words, for the progress bar (default: told by its path); not an input


    @property
    def rel(self) -> str:
        return f"{self.folder or self.edition}/{self.name}"

    def key(self) -> str:
        """The hash of everything that makes the output's bytes: program, fonts, HTML, CSS, the template
        folders' content, the bytes of every exhibit file the HTML embeds, the manifest."""
        cached = self.__dict__.get("_key")
        if cached is not None:
            return cached
        digest = hashlib.sha256()
        for part in (__version__, fonts_fingerprint(), self.edition, self.rel, self.html, self.css,
                     self.build_date, *(exhibits_fingerprint(self.html, r) if _is_exhibit_folder(r)
                                        else folder_fingerprint(r) for r in self.roots)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        digest.update(self.manifest)
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


def prepare_brief(case: Case, assessment: Assessment, incident_id: str,
                  numbers: dict[str, int] | None = None) -> RenderJob:
    """One incident's brief; ``numbers`` (the edition's exhibit numbers) is computed once per edition by a build.

    A brief numbers its own exhibits from 1, in the order its text cites them: rendered once with the edition's
    numbers to find that order, then with its own (again if the order moved: it does not, with the templates
    we ship, but an override may sort by number)."""
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
    norms = case.charges_of(case.incidents[incident_id])
    manifest = make_manifest(case, "incident", incident_id, [e.id for e in context.incident.exhibits], norms,
                             context.meta.build_date, [incident_id])
    return RenderJob(case.edition, f"{incident_id}.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                     manifest_bytes(manifest), context.meta.build_date)


PART_CSS = "\n@page { @bottom-right { content: none; } }  /* numbered once the dossier is assembled */\n"


def prepare_dossier_parts(case: Case, context: DossierContext) -> list[RenderJob]:
    """The chapters (one per incident) and the exhibit index of a case dossier, in order."""
    css = read_asset(case.root, "base.css") + PART_CSS
    folder = f".parts/{case.edition}"
    jobs = []
    for n, incident in enumerate(context.incidents):
        html = render(case.root, "dossier-chapter.html", ChapterContext(context.meta, incident, n == 0, context.sections))
        label = f"{case.edition} case dossier: chapter {n + 1} of {len(context.incidents)}"
        jobs.append(RenderJob(case.edition, f"chapter-{incident.id}.pdf", html, css, _roots(case), b"",
                              context.meta.build_date, folder, label))
    html = render(case.root, "dossier-index.html", IndexContext(context.meta, context.exhibits, context.sections))
    jobs.append(RenderJob(case.edition, "index.pdf", html, css, _roots(case), b"", context.meta.build_date, folder))
    # the exhibits themselves, one part per incident that first cites them: an edited item re-renders one
    views = {inc.id: inc for inc in context.incidents}
    groups: dict[str, list[Exhibit]] = {}
    for exhibit in context.exhibits:
        groups.setdefault(_first_incident(case, exhibit), []).append(exhibit)
    for n, (incident_id, exhibits) in enumerate(groups.items()):
        html = render(case.root, "dossier-exhibits.html",
                      ExhibitsContext(context.meta, views[incident_id], tuple(exhibits)))
        jobs.append(RenderJob(case.edition, f"exhibits-{n:04d}-{incident_id}.pdf", html, css, _roots(case), b"",
                              context.meta.build_date, folder))
    return jobs


def _first_incident(case: Case, exhibit: Exhibit) -> str:
    """The incident an exhibit is filed under: the earliest it concerns (as exhibit numbers are ordered); a
    case-wide item (``scope: case``, no incidents) with the case's first incident."""
    return min(exhibit.incidents or case.incidents, key=lambda i: (case.incidents[i].start, i))


def prepare_dossier_front(case: Case, context: DossierContext) -> RenderJob:
    """The front part (cover, contents with page numbers, the case, patterns): it carries the manifest."""
    html = render(case.root, "dossier-front.html", context)
    norms = {n for inc in case.incidents.values() for n in case.charges_of(inc)}
    manifest = make_manifest(case, "case", case.case.id, case.items, norms, context.meta.build_date, case.incidents)
    return RenderJob(case.edition, "front.pdf", html, read_asset(case.root, "base.css") + PART_CSS, _roots(case),
                     manifest_bytes(manifest), context.meta.build_date, f".parts/{case.edition}")


def prepare_completeness(case: Case, assessment: Assessment) -> RenderJob:
    context = ctx.completeness_context(case, assessment)
    html = render(case.root, "completeness.html", context)
    norms = {n for inc in case.incidents.values() for n in case.charges_of(inc)}
    # the report rests on every item (its warnings and gaps concern those that support nothing too)
    manifest = make_manifest(case, "completeness", case.case.id, case.items, norms, context.meta.build_date,
                             case.incidents)
    return RenderJob(case.edition, "completeness.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                     manifest_bytes(manifest), context.meta.build_date)


CROSS_PART = "No anchor #"
"""What the engine says of a link to another part of a case dossier (an exhibit, a chapter): expected in a
part, whose links to the other parts are not kept when the dossier is assembled."""


def run_job(job: RenderJob) -> tuple[bytes, tuple[str, ...]]:
    """Render one job to PDF bytes (imports WeasyPrint), with the engine's warnings about it."""
    from datetime import date

    from dossier.rendering.pdf import html_to_pdf

    attachments = [(MANIFEST_NAME, job.manifest, "Inputs this document was built from (dossier)")] \
        if job.manifest else []
    pdf, notes = html_to_pdf(job.html, job.css, list(job.roots), attachments, date.fromisoformat(job.build_date))
    if job.folder.startswith(".parts"):
        notes = [n for n in notes if CROSS_PART not in n]
    return pdf, tuple(notes)


def prepare_page_numbers(pages: int, build_date: str) -> RenderJob:
    """The footer overlay that numbers an assembled dossier of ``pages`` pages ("Page X of Y")."""
    from dossier.pipeline.assemble import OVERLAY_CSS, overlay_html
    from dossier.resources import resource_dir

    return RenderJob("", f"page-numbers-{pages}.pdf", overlay_html(pages), OVERLAY_CSS,
                     (resource_dir("templates"),), b"", build_date, ".parts")
