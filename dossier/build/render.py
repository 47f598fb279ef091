"""Each output, from an edition's view of the case to the exact inputs of the PDF engine.

``prepare_*`` functions are pure and cheap (templates, manifest): they run in the
main process and return a :class:`RenderJob`, whose hash is the output's
incremental-build key. ``run_job`` is the expensive part (WeasyPrint) and runs in
worker processes.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dossier import __version__
from dossier.analysis.completeness import Assessment
from dossier.analysis.patterns import Patterns
from dossier.build.manifest import MANIFEST_NAME, make_manifest, manifest_bytes
from dossier.loading.case import Case
from dossier.rendering import context as ctx
from dossier.rendering.env import read_asset, render, template_dirs

FONT_FAMILIES = ("Noto Serif", "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans Mono", "DejaVu Sans")


@dataclass(frozen=True)
class RenderJob:
    """Everything the PDF engine needs for one output; nothing else may influence the bytes."""

    edition: str
    name: str  # file name inside out/<edition>/
    html: str
    css: str
    roots: tuple[Path, ...]
    manifest: bytes
    build_date: str

    def key(self) -> str:
        digest = hashlib.sha256()
        for part in (__version__, fonts_fingerprint(), self.edition, self.name, self.html, self.css,
                     self.build_date, *map(str, self.roots)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        digest.update(self.manifest)
        return digest.hexdigest()


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


def _roots(case: Case) -> tuple[Path, ...]:
    return (*template_dirs(case.root), case.root / "evidence" / "files")


def prepare_brief(case: Case, assessment: Assessment, incident_id: str) -> RenderJob:
    context = ctx.brief_context(case, assessment, incident_id)
    html = render(case.root, "brief.html", meta=context.meta, incident=context.incident)
    norms = case.charges_of(case.incidents[incident_id])
    manifest = make_manifest(case, "incident", incident_id, [e.id for e in context.incident.exhibits], norms,
                             context.meta.build_date)
    return RenderJob(case.edition, f"{incident_id}.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                     manifest_bytes(manifest), context.meta.build_date)


def prepare_dossier(case: Case, assessment: Assessment, patterns: Patterns) -> RenderJob:
    context = ctx.dossier_context(case, assessment, patterns)
    html = render(case.root, "dossier.html", meta=context.meta, summary=context.summary, patterns=context.patterns,
                  incidents=context.incidents, exhibits=context.exhibits, counts=context.counts)
    norms = {n for inc in case.incidents.values() for n in case.charges_of(inc)}
    manifest = make_manifest(case, "case", case.case.id, case.items, norms, context.meta.build_date)
    return RenderJob(case.edition, "case-dossier.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                     manifest_bytes(manifest), context.meta.build_date)


def prepare_completeness(case: Case, assessment: Assessment) -> RenderJob:
    context = ctx.completeness_context(case, assessment)
    html = render(case.root, "completeness.html", meta=context.meta, rows=context.rows, gaps=context.gaps,
                  warnings=context.warnings, counts=context.counts)
    norms = {n for inc in case.incidents.values() for n in case.charges_of(inc)}
    cited = {i for inc in assessment.incidents for ch in inc.charges for el in ch.elements
             for i in (*el.supporting, *el.contradicting)}
    manifest = make_manifest(case, "completeness", case.case.id, cited, norms, context.meta.build_date)
    return RenderJob(case.edition, "completeness.pdf", html, read_asset(case.root, "base.css"), _roots(case),
                     manifest_bytes(manifest), context.meta.build_date)


def run_job(job: RenderJob) -> bytes:
    """Render one job to PDF bytes (imports WeasyPrint)."""
    from datetime import date

    from dossier.rendering.pdf import html_to_pdf

    pdf, _refused = html_to_pdf(job.html, job.css, list(job.roots),
                                [(MANIFEST_NAME, job.manifest, "Inputs this document was built from (dossier)")],
                                date.fromisoformat(job.build_date))
    return pdf


def render_completeness_pdf(case: Case, assessment: Assessment) -> bytes:
    return run_job(prepare_completeness(case, assessment))
