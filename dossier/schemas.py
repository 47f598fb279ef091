"""JSON Schemas of each file kind, for editors' YAML language servers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from dossier.models import CaseFile, Incident, Item, Norm, Source
from dossier.models.common import ITEM_TYPES
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
    if kind == "item":
        schema = _item_by_type(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"dossier {kind} file ({files})"
    return schema


TYPE_WORDS = ("The kind of evidence, which decides the other fields the item has. One of: "
              + ", ".join(ITEM_TYPES) + ".")


def _item_by_type(schema: dict) -> dict:
    """The item schema checks ``type`` first, against all thirteen types, then the fields of that type only.

    pydantic writes a discriminated union as ``oneOf`` the six models; an editor's language server ignores the
    discriminator, so an unknown type failed every model and it reported the one it found closest: "missing
    property 'witness'", the types of one model only. Here a wrong type fails one check, which lists every type,
    and no model's fields are asked for until the type says which model it is."""
    defs = schema.setdefault("$defs", {})
    union = next(node for node in [schema, *schema.get("anyOf", [])] if "discriminator" in node or
                 "discriminator" in node.get("items", {}))
    union = union if "discriminator" in union else union["items"]
    by_model: dict[str, list[str]] = {}
    for item_type, ref in union["discriminator"]["mapping"].items():
        by_model.setdefault(ref, []).append(item_type)
    branches = []
    for ref, types in by_model.items():
        types = [t for t in ITEM_TYPES if t in types]
        test = {"const": types[0]} if len(types) == 1 else {"enum": types}
        branches.append({"if": {"properties": {"type": test}, "required": ["type"]}, "then": {"$ref": ref}})
    defs["AnyItem"] = {"type": "object", "required": ["type"],
                       "properties": {"type": {"enum": list(ITEM_TYPES), "description": TYPE_WORDS}},
                       "allOf": branches}
    one = {"$ref": "#/$defs/AnyItem"}  # a file holds one item, or a list of them: no anyOf to hide the message
    return {"if": {"type": "object"}, "then": one, "else": {"type": "array", "items": one}, "$defs": defs}


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind; returns the paths written."""
    from dossier.atomic import write_text_atomic

    out = []  # write_text_atomic makes the folder, and says so cleanly if it cannot
    for kind in SCHEMAS:
        path = folder / f"{kind}.schema.json"
        write_text_atomic(path, json.dumps(schema_of(kind), indent=2, ensure_ascii=False) + "\n")
        out.append(path)
    return out
