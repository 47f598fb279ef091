"""The Jinja environment: workspace templates first, built-in ones last; autoescape; a sandbox for a
workspace's own templates.

Case data is never template code: it only ever arrives as values in the typed
context, autoescaped on output. A workspace's template overrides run in Jinja's
immutable sandbox (they are files anyone with the workspace can change); the
built-in templates alone are the program's own code and run without it, which
renders the same text in less than half the time. ``finalize`` makes control and direction-override
characters in user text visible (``⟨U+202E⟩``) instead of letting them reorder or
hide what the page shows; the data itself is untouched.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from dossier.resources import resource_dir
from dossier.textsafety import MARKED_IN_TEXT

# controls and direction controls, from the one definition (``textsafety``); joiners and separators
# that real text (an Arabic excerpt) needs are not marked
_UNSAFE = MARKED_IN_TEXT


def visible_controls(value: object) -> object:
    """Replace control and bidi-override characters in plain text by a visible ⟨U+XXXX⟩ notation."""
    if isinstance(value, str) and not isinstance(value, Markup) and _UNSAFE.search(value):
        return _UNSAFE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)
    return value


def template_dirs(root: Path | None) -> list[Path]:
    """Where templates are looked up, first match wins: the workspace's ``templates/``, then the built-ins."""
    builtin = resource_dir("templates")
    own = root / "templates" if root else None
    if own is not None and own.is_dir() and own.resolve() != builtin.resolve():
        return [own, builtin]
    return [builtin]


@cache
def environment(dirs: tuple[Path, ...]) -> Environment:
    """The environment for these template folders: sandboxed unless they are the built-in folder alone."""
    builtin = resource_dir("templates").resolve()
    kind = Environment if [d.resolve() for d in dirs] == [builtin] else ImmutableSandboxedEnvironment
    env = kind(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=visible_controls,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["isolate"] = lambda v: f"\u2068{v}\u2069"
    return env


def read_asset(root: Path | None, name: str) -> str:
    """A template asset (CSS) by name, the workspace's own first."""
    for folder in template_dirs(root):
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(name)
