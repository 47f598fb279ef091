"""What each output is made from: the edition filter, then analysis, then a format."""

from __future__ import annotations

from pathlib import Path

from dossier.analysis.completeness import assess
from dossier.analysis.editions import apply_edition
from dossier.analysis.patterns import patterns
from dossier.build.atomic import write_bytes_atomic, write_text_atomic
from dossier.loading.case import Case
from dossier.console import Line, render
from dossier.rendering.report import report_data, report_json, report_lines


def write_report(case: Case, edition: str, fmt: str, output: Path | None) -> str | list[Line] | None:
    """Render the completeness report; write it to ``output`` (atomically) or return it for the printer:
    the text format as lines (``console.echo`` colours them on a terminal), JSON and HTML as a document."""
    view = apply_edition(case, edition)
    assessment = assess(view)
    if fmt == "text":
        lines = report_lines(view, assessment)
        if output is None:
            return lines
        text = render(lines)
    elif fmt == "json":
        text = report_json(report_data(view, assessment, patterns(view)))
    elif fmt == "html":
        from dossier.rendering.html_report import report_html

        text = report_html(view, assessment, patterns(view))
    else:
        from dossier.rendering.pdf import completeness_pdf

        assert output is not None
        write_bytes_atomic(output, completeness_pdf(view, assessment))
        return None
    if output is None:
        return text
    write_text_atomic(output, text)
    return None
