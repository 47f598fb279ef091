"""The one definition of the characters that are dangerous in ids, exhibit paths and terminal output.

They drive a terminal (controls: ESC sequences set its title or clear it, CR overwrites a line), reorder
what a reader sees (direction embeddings, overrides, isolates and marks), break a line where none was
written (NEL, line and paragraph separators) or hide inside a name (zero-width and other invisible
format characters). Ids and exhibit paths refuse them (``models/common.py``, ``loading/exhibits.py``);
terminal output shows them as ``\\u202e`` (``diagnostics.printable``, used by ``console.echo``).

Real text is different: an Arabic excerpt or a summary legitimately holds marks and joiners, so the
templates mark only controls and direction controls (:data:`MARKED_IN_TEXT`) and leave the rest alone.

No import from the rest of the package: every layer may use this module.
"""

from __future__ import annotations

import re
import unicodedata

CONTROLS = "\x00-\x1f\x7f-\x9f"
"""C0 controls, DEL and the C1 controls (NEL, U+0085, among them)."""

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Direction controls: Arabic letter mark, LRM, RLM, embeddings and overrides, isolates."""

SEPARATORS = "\u2028\u2029"
"""Line and paragraph separators: a line break no newline check sees."""

INVISIBLE = ("\u00ad\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
             "\U000e0000-\U000e007f")
"""Invisible format characters: soft hyphen, Hangul fillers, zero-width space/joiners, word joiner and
invisible operators, deprecated format controls, byte-order mark, interlinear annotation, tag characters."""

DANGEROUS = re.compile(f"[{CONTROLS}{BIDI}{SEPARATORS}{INVISIBLE}]")
"""Every character refused in ids and exhibit paths and neutralised in terminal output."""

MARKED_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}]")
"""The subset the templates show visibly in rendered prose: controls (but tab, newline and CR, which are
layout) and direction controls; separators and joiners are left to the text, which needs them."""

_CONTROL_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0A: "line feed",
                  0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape",
                  0x7F: "delete", 0x85: "next line"}


def first_dangerous(text: str) -> str | None:
    """The first dangerous character of ``text``, or None."""
    match = DANGEROUS.search(text)
    return match.group() if match else None


def describe(ch: str) -> str:
    """A dangerous character for a message, e.g. ``the direction control U+202E (right-to-left override)``."""
    code = ord(ch)
    if re.fullmatch(f"[{CONTROLS}]", ch):
        kind = "the control character"
        name = _CONTROL_NAMES.get(code, "")
    else:
        kind = ("the direction control" if re.fullmatch(f"[{BIDI}]", ch) else
                "the line break" if ch in SEPARATORS else "the invisible character")
        name = unicodedata.name(ch, "").lower()
    return f"{kind} U+{code:04X}" + (f" ({name})" if name else "")


def neutralise(text: str, mark=None) -> str:
    """``text`` with every dangerous or non-printable character replaced by ``mark(ch)``
    (by default ``\\u202e``, or ``\\U000e0001`` beyond the first plane): safe to print on a terminal."""
    if text.isprintable() and not DANGEROUS.search(text):
        return text
    mark = mark or escape
    return "".join(mark(ch) if not ch.isprintable() or DANGEROUS.match(ch) else ch for ch in text)


def escape(ch: str) -> str:
    """``\\uXXXX`` (or ``\\UXXXXXXXX``): how a neutralised character is shown on a terminal."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def json_escape(ch: str) -> str:
    """``\\uXXXX``, as a UTF-16 surrogate pair beyond the first plane: inside a JSON string, the same text."""
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def html_escape(ch: str) -> str:
    """A numeric character reference: inside HTML text or an attribute, the same text."""
    return f"&#x{ord(ch):x};"
