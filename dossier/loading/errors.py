"""Turn pydantic validation errors into located diagnostics a lawyer can act on."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from dossier.diagnostics import Diagnostic, did_you_mean, show_value
from dossier.loading.yamlfile import Path_, YamlDoc
from dossier.models.item import TYPE_OF_BLOCK


def dotted(loc: tuple) -> str:
    """``('supports', 1, 'element')`` -> ``supports[1].element``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, set, frozenset):
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else typing.get_args(annotation)[0]
        else:
            return annotation


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _unwrap(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _what_it_holds(model: type[BaseModel], loc: tuple) -> str:
    """`` (what the field holds)``, from the model's description of it, or ""."""
    parent = model_at(model, loc[:-1])
    fields = {f.alias or name: f for name, f in parent.model_fields.items()} if parent else {}
    found = fields.get(str(loc[-1])) if loc else None
    text = (found.description or "").strip() if found else ""
    if text[1:2].islower():  # "The id of ..." -> "the id of ..."; "NORM-ID/ELEMENT-ID" stays
        text = text[:1].lower() + text[1:]
    return f" ({text})" if text else ""


def _message(err: ErrorDetails, model: type[BaseModel], item_type: str | None) -> str:
    kind, loc, value = err["type"], err["loc"], err.get("input")
    ctx = err.get("ctx") or {}
    got = f" (got {show_value(value)})"
    if kind == "missing":
        return "required field is missing: add it" + _what_it_holds(model, loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = TYPE_OF_BLOCK.get(key)
        if owner and len(loc) == 1 and item_type and owner != item_type:
            return f"the '{key}' block belongs to items of type {owner}, not {item_type}: remove it or change the type"
        parent = model_at(model, loc[:-1])
        hint = did_you_mean(key, _field_names(parent), "fields") if parent else ""
        return "unknown field" + (hint or "; remove it (see `dossier schema` for the fields allowed here)")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices, "values") if isinstance(value, str) else ""
        return f"must be one of {', '.join(choices)}{got}{hint}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, e.g. [A, B]{got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields{got}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"has too many entries{got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false{got}"
    if kind in ("string_type",):
        return f"must be text{got}"
    if kind == "union_tag_invalid":
        return f"must be one of {ctx.get('expected_tags', '')}{got}"
    # our own validators (models/common.py) already wrote the whole message
    message = err.get("msg", "is not valid")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message if err["type"] not in ("value_error",) else message + got


def pydantic_diagnostics(exc: ValidationError, model: type[BaseModel], doc: YamlDoc, base: Path_,
                         subject: str = "", item_type: str | None = None) -> list[Diagnostic]:
    """Located diagnostics for every error pydantic found in one object of ``doc`` at ``base``."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"]) + tuple((err.get("ctx") or {}).get("at") or ())  # our validators name the field
        path = base + loc
        if err["type"] == "missing":
            location = doc.loc(path[:-1], prefer_key=False)
        else:
            location = doc.loc(path)
        out.append(Diagnostic("error", "invalid-" + err["type"].replace("_", "-"), _message(err, model, item_type),
                              location, dotted(loc), (subject,) if subject else ()))
    return out
