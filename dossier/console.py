"""The one printer: everything the program writes to standard output or error goes through here.

A line is neutralised as a whole (:func:`dossier.textsafety.neutralise`): a value from a case file or a
PDF's manifest cannot set the terminal's title, clear it, move the cursor, overwrite a line with CR,
reorder it with a direction override or forge a second line. Several lines are given as a list; a newline
inside one line is shown as ``\\u000a``, never obeyed.

Styling is the program's own: a :class:`Styled` part is neutralised first, then coloured, and only on a
terminal, and never when ``NO_COLOR`` is set (https://no-color.org). The rich progress bar of a build is
the one other writer: it shows output paths made from validated ids, on a terminal only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import click

from dossier.textsafety import html_escape, json_escape, neutralise


@dataclass(frozen=True)
class Styled:
    """A part of a line the program styles: ``bold`` or a colour name (``green``, ``red`` ...)."""

    text: str
    style: str


Line = str | Styled | tuple[str | Styled, ...]
"""One line: a string, or a tuple of parts, some of them styled (a list is several lines)."""

Notation = Literal["json", "html"]
_MARKS: dict[str, Callable[[str], str]] = {"json": json_escape, "html": html_escape}


def colour_wanted(err: bool = False) -> bool:
    """Colour on standard output (or error) only when it is a terminal and ``NO_COLOR`` is not set."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if err else sys.stdout
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def _style(text: str, style: str) -> str:
    return click.style(text, bold=True) if style == "bold" else click.style(text, fg=style)


def render_line(line: Line, colour: bool = False) -> str:
    """One line as printed: every part neutralised, then styled when ``colour``."""
    if isinstance(line, (str, Styled)):
        line = (line,)
    out = []
    for part in line:
        if isinstance(part, Styled):
            text = neutralise(part.text)
            out.append(_style(text, part.style) if colour and text else text)
        else:
            out.append(neutralise(part))
    return "".join(out)


def render(lines: Iterable[Line], colour: bool = False) -> str:
    """Lines as text, each ending with a newline (for a file, or for :func:`echo`)."""
    return "".join(render_line(line, colour) + "\n" for line in lines)


def echo(lines: Line | Iterable[Line], *, err: bool = False) -> None:
    """Print one line (a string, or a tuple of parts) or a list of lines, neutralised, to stdout or stderr."""
    if isinstance(lines, (str, Styled, tuple)):
        lines = [lines]
    # the stream as it is now, not click's cached wrapper of it: while a rich progress bar runs, sys.stderr
    # is rich's proxy, which prints the line above the bar instead of through it
    click.echo(render(lines, colour_wanted(err)), file=sys.stderr if err else sys.stdout, nl=False)


def echo_document(text: str, notation: Notation) -> None:
    """A document the program made (JSON, HTML) on standard output. Its own newlines are kept; every other
    dangerous character is written in the document's escape notation (``\\u202e``, ``&#x202e;``), so the
    document means exactly what it meant, and shows nothing raw on a terminal."""
    mark = _MARKS[notation]
    click.echo("\n".join(neutralise(line, mark) for line in text.split("\n")), file=sys.stdout, nl=False)

