"""What `validate` prints after the problems, and what `dossier norms` lists: loaded here, worded by
``rendering.summary``."""

from __future__ import annotations

from pathlib import Path

from dossier.loading.workspace import load_norms
from dossier.models.loaded import Case
from dossier.rendering.norms_view import listing
from dossier.rendering.summary import case_summary


def validate_summary(case: Case) -> list[str]:
    """A few lines on what was loaded."""
    return case_summary(case)


def norms_listing(norm_id: str | None, workspace: Path | None, fmt: str = "text") -> str | list[str]:
    """The norms library (the workspace's own norms included, when there is a workspace) one a line, or one
    norm in full (lines for the printer), or as a JSON document."""
    root = workspace if workspace and (workspace / "evidence").is_dir() else (
        Path.cwd() if workspace is None and (Path.cwd() / "evidence").is_dir() else workspace)
    return listing(norm_id, load_norms(root), fmt)
