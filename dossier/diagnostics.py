"""One diagnostic type for the whole program: located errors and warnings.

Every problem the program finds in a user's files is a :class:`Diagnostic` with
a :class:`Location` (file relative to the workspace, 1-based line and column).
They are collected, never raised one by one, so a user sees every problem at once,
printed in the ``path:line:col: level: field: message`` form compilers use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from dossier.textsafety import neutralise

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a user's file: workspace-relative POSIX path, 1-based line and column."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input. ``subjects`` are the ids it concerns (for edition filtering)."""

    level: Level
    code: str
    message: str
    location: Location
    field: str = ""
    subjects: tuple[str, ...] = ()

    def format(self) -> str:
        """One line, safe for a terminal: control and direction characters from the input are made visible."""
        head = f"{printable(str(self.location))}: {self.level}: "
        return head + printable(f"{self.field}: {self.message}" if self.field else self.message)

    def as_json(self) -> dict:
        return {
            "level": self.level,
            "code": self.code,
            "file": self.location.file,
            "line": self.location.line,
            "col": self.location.col,
            "field": self.field,
            "message": self.message,
        }

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.col, self.level, self.message)


@dataclass
class Diagnostics:
    """A collector: add errors and warnings as they are found, report them all at the end."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, location: Location, field: str = "", subjects: Iterable[str] = ()) -> None:
        self.items.append(Diagnostic("error", code, message, location, field, tuple(subjects)))

    def warning(self, code: str, message: str, location: Location, field: str = "", subjects: Iterable[str] = ()) -> None:
        self.items.append(Diagnostic("warning", code, message, location, field, tuple(subjects)))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.level == "error"), key=Diagnostic.sort_key)

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.level == "warning"), key=Diagnostic.sort_key)

    def has_errors(self) -> bool:
        return any(d.level == "error" for d in self.items)


class InputError(Exception):
    """Raised when the input has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s) in the input")
        self.diagnostics = diagnostics


class UsageError(Exception):
    """Bad usage: no workspace, an unknown edition... (exit code 2)."""


def show_value(value: object, limit: int = 60) -> str:
    """A short, printable rendering of a user's value for a message: quoted, control characters escaped."""
    text = printable(value if isinstance(value, str) else repr(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def printable(text: str) -> str:
    """``text`` with control characters (newlines, escapes), direction controls and invisible characters
    shown as ``\\uXXXX``, so a value from a case file can neither forge a line nor reorder or recolour the
    terminal. The characters are those of :data:`dossier.textsafety.DANGEROUS`, and any other Python does
    not call printable."""
    return neutralise(text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else an empty string."""
    import difflib

    choices = list(choices)
    # the same characters in another order (rs-8-2-e-vi for rs-8-2-e-iv) is the likeliest slip
    match = [c for c in choices if c != word and sorted(c.lower()) == sorted(word.lower())][:1]
    match = match or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            match = [lowered[word.lower()]]
    return f" (did you mean '{match[0]}'?)" if match else ""
