"""The placeholder `dossier new` writes where a required value must be filled in, and finding it again.

A file just written by `dossier new` loads: each value still ``FILL IN`` is one clear error at its place
("title: still FILL IN: ..."), and the object is left out of the case until none is left, so it causes no
second error (an unknown source, a date that is not a date) elsewhere."""

from __future__ import annotations

from typing import Any

PLACEHOLDER = "FILL IN"

MESSAGE = f"still {PLACEHOLDER}: replace it with the value (the comment on its line says what it holds)"


def placeholders(data: Any, path: tuple = ()) -> list[tuple]:
    """The paths (keys and list indexes) of every value that is still the placeholder, in file order."""
    if isinstance(data, str):
        return [path] if data.strip() == PLACEHOLDER else []
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in placeholders(value, path + (key,))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in placeholders(value, path + (i,))]
    return []
