"""JSON Schemas of each file kind, for editors' YAML language servers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from dossier.models import CaseFile, Incident, Item, Norm, Source
from dossier.models.submission import Submission

SCHEMAS: dict[str, tuple[Any, str]] = {
    "case": (CaseFile, "evidence/case.yaml"),
    "source": (list[Source], "evidence/sources.yaml"),
    "incident": (Incident, "evidence/incidents/*.yaml"),
    "item": (Item | list[Item], "evidence/items/**/*.yaml"),
    "norm": (Norm, "legal_norms/*.yaml"),
    "submission": (Submission, "evidence/submissions/*.yaml"),
}


def schema_of(kind: str) -> dict:
    model, files = SCHEMAS[kind]
    schema = TypeAdapter(model).json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"dossier {kind} file ({files})"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind; returns the paths written."""
    from dossier.atomic import write_text_atomic

    out = []  # write_text_atomic makes the folder, and says so cleanly if it cannot
    for kind in SCHEMAS:
        path = folder / f"{kind}.schema.json"
        write_text_atomic(path, json.dumps(schema_of(kind), indent=2, ensure_ascii=False) + "\n")
        out.append(path)
    return out
