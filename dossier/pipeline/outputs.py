"""`dossier report`: the completeness report of one edition, in one format, through the session."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dossier.atomic import OutputError, write_bytes_atomic, write_text_atomic
from dossier.console import Line, echo, render
from dossier.models.loaded import Case
from dossier.pipeline import session
from dossier.pipeline.documents import build_documents
from dossier.pipeline.executor import Renderer
from dossier.pipeline.plan import completeness_document
from dossier.pipeline.progress import Progress
from dossier.pipeline.state import BuildState
from dossier.rendering.html_report import report_html
from dossier.rendering.report import report_data, report_json, report_lines


def write_report(case: Case, edition: str, fmt: str, output: Path | None) -> str | list[Line] | None:
    """Render the completeness report; write it to ``output`` (atomically) or return it for the printer:
    the text format as lines (``console.echo`` colours them on a terminal), JSON and HTML as a document."""
    seen = session.edition(case, edition)
    view, assessment = seen.case, seen.assessment
    if fmt == "text":
        lines = report_lines(view, assessment)
        if output is None:
            return lines
        text = render(lines)
    elif fmt == "json":
        text = report_json(report_data(view, assessment, seen.patterns))
    elif fmt == "html":
        text = report_html(view, assessment, seen.patterns)
    else:
        assert output is not None
        pdf, notes = _pdf(view, assessment, output)
        write_bytes_atomic(output, pdf)
        if notes:
            echo([f"{output}: warning: {note} [pdf-engine]" for note in notes], err=True)
        return None
    if output is None:
        return text
    write_text_atomic(output, text)
    return None


def _pdf(view: Case, assessment, output: Path) -> tuple[bytes, list[str]]:
    """The completeness report's PDF as a build makes it (its parts rendered and assembled), in a folder of its
    own: the workspace's out/ is not touched. Raises OutputError (about ``output``) when it cannot be rendered."""
    document = completeness_document(view, assessment)
    with tempfile.TemporaryDirectory(prefix="dossier-report-") as folder:
        out = Path(folder)
        renderer = Renderer(out, BuildState(out), True, None, Progress(0, quiet=True, tell=False))
        build_documents(renderer, [document])
        if renderer.result.failed:
            raise OutputError(str(output), "could not render: " + "; ".join(r for _, r in renderer.result.failed))
        return (out / document.rel).read_bytes(), [note for _, note in renderer.result.warnings]
