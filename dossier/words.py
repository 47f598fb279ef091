"""Words for messages and pages: counted nouns ('1 item', '2 items') and lists ('a, b and c').

No import from the rest of the package: every layer may use this module.
"""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun that agrees with it: ``count(1, "item")`` is '1 item', ``count(2, "item")`` '2 items';
    an irregular plural is given (``count(2, "missing hash", "missing hashes")``). Only one takes the
    singular: '0 items'."""
    return f"{n} {singular if n == 1 else plural if plural is not None else singular + 's'}"


def joined(words: list[str] | tuple[str, ...]) -> str:
    """'a', 'a and b', 'a, b and c' ("" for none)."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
