"""What a build tells its user while it runs: a progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from dossier.atomic import OutputError
from dossier.console import echo


@dataclass
class BuildResult:
    """What a build did: the outputs rendered, those unchanged, those that failed (with why)."""

    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


_PARTS = (
    (re.compile(r"(?P<ed>[^/]+)/case-dossier\.pdf"), "{ed} case dossier"),
    (re.compile(r"(?P<ed>[^/]+)/completeness\.pdf"), "{ed} completeness report"),
    (re.compile(r"submissions/(?P<id>[^/]+)/.*"), "submission {id}"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/front\.pdf"), "{ed} case dossier: cover and contents"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/index\.pdf"), "{ed} case dossier: exhibit index"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/brief-(?P<id>.+)\.pdf"), "{ed} brief {id}"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/completeness-head\.pdf"), "{ed} completeness report: cover and contents"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/completeness-case\.pdf"), "{ed} completeness report: case-wide warnings"),
    (re.compile(r"\.parts/(?P<ed>[^/]+)/completeness-incident-(?P<id>.+)\.pdf"),
     "{ed} completeness report: {id}"),
    (re.compile(r"\.parts/submissions/(?P<id>.+)\.pdf"), "submission {id}"),
    (re.compile(r"\.parts/page-numbers-(?P<n>\d+)\.pdf"), "page numbers ({n} pages)"),
    (re.compile(r"(?P<ed>[^/.][^/]*)/(?P<id>[^/]+)\.pdf"), "{ed} brief {id}"),
)


def describe(rel: str) -> str:
    """What an output (or a cached part of a case dossier) is, in words, for the progress bar: ``un brief
    INC-0001``, ``public case dossier: exhibit index``; a path under out/ means nothing to its reader."""
    for pattern, words in _PARTS:
        match = pattern.fullmatch(rel)
        if match:
            return words.format(**match.groupdict())
    return rel


class Progress:
    """A rich progress bar on a terminal, plain lines otherwise, nothing with --quiet.

    Every line goes through ``console.echo``: a failure's reason quotes exception text, which can hold
    values from the workspace (a template name, a file name). While the bar runs, rich shows those lines
    above it."""

    def __init__(self, total: int, quiet: bool, tell: bool = True):
        """``tell``: print the engine's warnings and the failures as they come (not when the caller tells them
        itself, about a file of its own)."""
        self.quiet, self.tell, self.bar, self.task = quiet, tell, None, None
        if quiet:
            return
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("[bold]building[/bold]"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), TextColumn("{task.description}"), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def skip(self, n: int) -> None:
        if self.bar is not None and self.task is not None and n:
            self.bar.update(self.task, advance=n)

    def start(self, rel: str, label: str = "") -> None:
        """``label``: the output in words (default: :func:`describe` of ``rel``)."""
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, description=label or describe(rel))

    def advance(self, label: str) -> None:
        """A part of a document is rendered: the bar moves on (no line of its own without a terminal)."""
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, description=label)

    def done(self, rel: str, label: str = "") -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, description=label or describe(rel))
        elif not self.quiet:
            echo(f"rendered out/{rel}", err=True)

    def warned(self, rel: str, note: str) -> None:
        """What the PDF engine said of an output it rendered (shown even with --quiet: it may mean a part of
        the page is missing)."""
        if self.tell:
            echo(f"out/{rel}: warning: {note} [pdf-engine]", err=True)

    def failed(self, rel: str, exc: Exception | str) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1)
        if not self.tell:
            return
        if isinstance(exc, OutputError):  # it names the file or folder itself: out/un/X.pdf: error: cannot write...
            echo(str(exc), err=True)
            return
        reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        echo(f"out/{rel}: error: could not render: {reason}", err=True)

    def close(self, result: BuildResult) -> None:
        if self.bar is not None:
            self.bar.stop()
        if not self.quiet or result.failed:
            line = (f"built {len(result.rendered)} rendered, {len(result.skipped)} unchanged, "
                    f"{len(result.failed)} failed in {result.seconds:.1f} s")
            echo(line, err=True)
