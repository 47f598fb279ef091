"""Where the built-in norms library and templates live (installed package or source checkout)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resource_dir(name: str) -> Path:
    """``legal_norms`` or ``templates``: inside the installed package, else at the top of the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the built-in {name}/ folder is missing from the installation")
