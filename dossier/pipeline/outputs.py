"""`dossier report`: the completeness report of one edition, in one format, through the session."""

from __future__ import annotations

from pathlib import Path

from dossier.atomic import write_bytes_atomic, write_text_atomic
from dossier.console import Line, echo, render
from dossier.models.loaded import Case
from dossier.pipeline import session
from dossier.pipeline.jobs import prepare_completeness, run_job
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
        pdf, notes = run_job(prepare_completeness(view, assessment))
        write_bytes_atomic(output, pdf)
        if notes:
            echo([f"{output}: warning: {note} [pdf-engine]" for note in notes], err=True)
        return None
    if output is None:
        return text
    write_text_atomic(output, text)
    return None
