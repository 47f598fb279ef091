"""One diagnostic type for the whole program: located errors and warnings.

Every problem the program finds in a user's files is a :class:`Diagnostic` with
a :class:`Location` (file relative to the workspace, 1-based line and column).
They are collected, never raised one by one, so a user sees every problem at once,
printed in the ``path:line:col: level: field: message`` form compilers use; a warning ends with its
code, ``[custody-no-collection]``, one of :data:`dossier.codes.WARNINGS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from dossier.codes import WARNINGS
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
    """A problem found in the input. ``subjects`` are the ids it concerns (for edition filtering); ``item`` is
    the evidence item it is about, if any (a file may hold several items: a reviewer must see which one).
    A warning's ``code`` must be one of :data:`dossier.codes.WARNINGS`; ``strict`` marks an error that
    ``--strict`` made of a warning (it keeps the warning's code on its line)."""

    level: Level
    code: str
    message: str
    location: Location
    field: str = ""
    subjects: tuple[str, ...] = ()
    item: str = ""
    strict: bool = False

    def __post_init__(self) -> None:
        if (self.level == "warning" or self.strict) and self.code not in WARNINGS:
            raise ValueError(f"warning code {self.code!r} is not registered in dossier/codes.py")

    def text(self) -> str:
        """``ITEM: field: message``, the line without its location and level (a warning's code at its end)."""
        shown = "".join(f"{part}: " for part in (self.item, self.field) if part) + self.message
        return f"{shown} [{self.code}]" if self.level == "warning" or self.strict else shown

    def format(self) -> str:
        """One line, safe for a terminal: control and direction characters from the input are made visible."""
        return f"{printable(str(self.location))}: {self.level}: " + printable(self.text())

    def as_strict(self) -> Diagnostic:
        """This warning as the error ``--strict`` makes of it."""
        return Diagnostic("error", self.code, self.message, self.location, self.field, self.subjects, self.item,
                          strict=True)

    def as_json(self) -> dict:
        return {
            "level": self.level,
            "code": self.code,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.col,
            "field": self.field,
            "item": self.item,
            "message": self.message,
        }

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.col, self.level, self.message)

    def shown_key(self) -> tuple:
        """The order diagnostics are printed in: errors first, then warnings, each by place."""
        return (self.level != "error",) + self.sort_key()


@dataclass
class Diagnostics:
    """A collector: add errors and warnings as they are found, report them all at the end."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, location: Location, field: str = "", subjects: Iterable[str] = (),
              item: str = "") -> None:
        self.items.append(Diagnostic("error", code, message, location, field, tuple(subjects), item))

    def warning(self, code: str, message: str, location: Location, field: str = "", subjects: Iterable[str] = (),
                item: str = "") -> None:
        self.items.append(Diagnostic("warning", code, message, location, field, tuple(subjects), item))

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


_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _number(token: str) -> int | None:
    """The value of an Arabic or a small Roman numeral token (``9`` or ``ix``), else None."""
    if token.isdigit():
        return int(token)
    if token and _ROMAN.match(token):
        total, previous = 0, 0
        for char in reversed(token):
            value = _ROMAN_VALUES[char]
            total += -value if value < previous else value
            previous = max(previous, value)
        return total
    return None


def _tokens(word: str) -> tuple[str, ...]:
    """Lower-case tokens of an id: its parts between punctuation, a part that is a Roman numeral as its
    number (``ix`` -> ``9``), other parts split at letter/digit boundaries (``cihl28`` -> ``cihl``, ``28``)."""
    tokens: list[str] = []
    for part in re.findall(r"[a-z0-9]+", word.lower()):
        number = _number(part)
        if number is not None:
            tokens.append(str(number))
        else:
            tokens.extend(re.findall(r"[a-z]+|[0-9]+", part))
    return tuple(tokens)


def _compatible(word: str, choice: str) -> bool:
    """True when both name the same numbers: ``cihl-99`` is no typo of ``cihl-9``, ``CCW-P5`` is no ``CCW``,
    and ``rs-8-2-b-i`` (attacking civilians) is another crime than ``rs-8-2-b-ix``."""
    def numbers(text: str) -> tuple[str, ...]:
        return tuple(t for t in _tokens(text) if t.isdigit())
    return numbers(word) == numbers(choice)


def _prefix_or_tokens(word: str, choice: str) -> bool:
    """One is the start of the other (``SRC-AP`` of ``SRC-APNEWS``), or all tokens of one are in the other."""
    w, c = word.lower(), choice.lower()
    if w.startswith(c) or c.startswith(w):
        return True
    wt, ct = set(_tokens(word)), set(_tokens(choice))
    return bool(wt and ct) and (wt <= ct or ct <= wt)


def closest(word: str, choices: Iterable[str]) -> tuple[str | None, list[str]]:
    """The one strong, unambiguous match for ``word`` (or None) and, without one, the choices near it.

    In order: the same id written otherwise (case, ``b-9`` for ``b-ix``); a prefix or token match; the same
    characters in another order; a clear edit-distance winner. A guess never changes a number."""
    import difflib

    choices = [c for c in dict.fromkeys(choices) if c != word]
    lowered = word.lower()
    same = [c for c in choices if c.lower() == lowered or _tokens(c) == _tokens(word)]
    if len(same) == 1:
        return same[0], []
    strong = [c for c in choices if _prefix_or_tokens(word, c) and _compatible(word, c)]
    if len(strong) == 1:
        return strong[0], []
    if len(strong) > 1:
        return None, sorted(strong)[:5]
    swapped = [c for c in choices if sorted(c.lower()) == sorted(lowered) and _compatible(word, c)]
    if len(swapped) == 1:
        return swapped[0], []
    scored = sorted(((difflib.SequenceMatcher(None, lowered, c.lower()).ratio(), c) for c in choices),
                    key=lambda pair: -pair[0])
    near = [c for score, c in scored if score >= 0.6][:5]
    if near:
        best_score, best = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best_score >= 0.8 and best_score - runner_up >= 0.05 and _compatible(word, best):
            return best, []
    return None, near


def did_you_mean(word: str, choices: Iterable[str], noun: str = "ids") -> str:
    """`` (did you mean 'x'?)`` for one strong match, `` (valid ids near it: 'a', 'b')`` when there is no
    single one, else an empty string: one wrong guess (a different crime, another source) is worse than none."""
    match, near = closest(word, choices)
    if match:
        return f" (did you mean '{match}'?)"
    if near:
        listed = ", ".join(f"'{c}'" for c in near)
        return f" (valid {noun} near it: {listed})"
    return ""
