"""The columns of the spreadsheets (spreadsheets.md): the case format's field paths, dotted, derived from the models.

A column is a scalar field or a list of scalars (``incidents``, ``attack.means``), reached through nested
mappings (``imagery.location.lat``, ``window.from``). Lists of mappings (supports, custody, excerpts...) are not
columns: each has a sheet of its own, one row an entry, keyed by its parent's id. Deriving the columns from the
models means a field added to the case format is a column without touching this module; the ``Assessments`` and
``Victims`` sheets exist as soon as incidents have those fields.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, Union

from pydantic import BaseModel

from dossier.models import common
from dossier.models.case import Source
from dossier.models.common import ITEM_TYPES, SetByEdition
from dossier.models.incident import Incident
from dossier.models.item import BLOCKS, TYPE_OF_BLOCK, ItemBase, model_for


@dataclass(frozen=True)
class Column:
    """One column: its dotted path, the kind of value a cell holds, and (closed fields) the choices."""

    path: str
    kind: str  # text, date, instant, time, bool, int, number, choice
    is_list: bool = False
    choices: tuple[str, ...] = ()
    required: bool = False
    description: str = ""

    @property
    def block(self) -> str:
        """The first part of the path (``witness`` for ``witness.name``)."""
        return self.path.split(".", 1)[0]


@dataclass(frozen=True)
class ChildSheet:
    """A sheet whose rows are the entries of a list of mappings on a parent object (Supports, Custody ...)."""

    name: str
    parent: str  # "item" or "incident"
    key: str  # the column naming the parent ("item", "incident")
    field: str  # the parent's list field
    model: type[BaseModel]


def _strip(annotation: Any, metadata: list | None = None) -> tuple[Any, bool]:
    """The annotation without Optional/Annotated (their metadata added to ``metadata``); whether it was Optional."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            if metadata is not None:
                metadata.extend(typing.get_args(annotation)[1:])
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation, optional
        else:
            return annotation, optional


def _kind(annotation: Any, metadata: list) -> tuple[str, tuple[str, ...]]:
    if any(getattr(m, "func", None) is common._time for m in metadata):
        return "time", ()
    if typing.get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "number", ()
    if annotation is datetime:
        return "instant", ()
    if annotation is date:
        return "date", ()
    return "text", ()


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def model_columns(model: type[BaseModel], prefix: str = "") -> list[Column]:
    """Every column of a model, in field order: nested mappings flattened, lists of mappings left out."""
    out: list[Column] = []
    for name, info in model.model_fields.items():
        key = prefix + (info.alias or name)
        metadata = list(info.metadata)
        if any(isinstance(m, SetByEdition) for m in metadata):
            continue  # set by the program, never written by hand
        annotation, _ = _strip(info.annotation, metadata)
        is_list = typing.get_origin(annotation) in (list, tuple)
        if is_list:
            inner = typing.get_args(annotation)[0]
            metadata = []
            inner_stripped, _ = _strip(inner, metadata)
            if _is_model(inner_stripped):
                continue  # a sheet of its own
            kind, choices = _kind(inner_stripped, metadata)
            out.append(Column(key, kind, True, choices, info.is_required(), info.description or ""))
        elif _is_model(annotation):
            out.extend(model_columns(annotation, key + "."))
        else:
            kind, choices = _kind(annotation, metadata)
            out.append(Column(key, kind, False, choices, info.is_required(), info.description or ""))
    return out


def _merge(columns: list[Column]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in columns:
        out.setdefault(column.path, column)
    return out


@cache
def item_columns() -> dict[str, Column]:
    """Columns of the Items sheet: the common fields, then each type's block, ``type`` as a closed choice."""
    columns = model_columns(ItemBase)
    for item_type in ITEM_TYPES:
        columns += [c for c in model_columns(model_for(item_type)) if c.path not in ("type",)]
    merged = _merge(columns)
    merged = {"id": merged.pop("id"), "type": Column("type", "choice", False, ITEM_TYPES, True,
                                                     "The kind of item")} | merged
    merged["supports"] = Column("supports", "supports", True, (), False,
                                "Elements the item supports: ELEMENT or ELEMENT@INCIDENT, ! before those it "
                                "contradicts, separated by ;")
    return merged


@cache
def source_columns() -> dict[str, Column]:
    return _merge(model_columns(Source))


@cache
def incident_columns() -> dict[str, Column]:
    return _merge(model_columns(Incident))


def columns_of(kind: str) -> dict[str, Column]:
    """The columns of the sheet of ``kind`` (items, sources, incidents)."""
    return {"items": item_columns, "sources": source_columns, "incidents": incident_columns}[kind]()


def block_owner(path: str) -> str | None:
    """The item type a column belongs to when it is in a type's own block (``witness.name``: witness_statement)."""
    return TYPE_OF_BLOCK.get(path.split(".", 1)[0])


@cache
def allowed_for(item_type: str) -> frozenset[str]:
    """The columns an item of this type may fill."""
    return frozenset({c.path for c in model_columns(model_for(item_type))} | {"supports"})


def _list_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    info = model.model_fields.get(field)
    if info is None:
        return None
    annotation, _ = _strip(info.annotation)
    if typing.get_origin(annotation) not in (list, tuple):
        return None
    inner, _ = _strip(typing.get_args(annotation)[0])
    return inner if _is_model(inner) else None


def child_sheets() -> dict[str, ChildSheet | None]:
    """The sheets of list entries, by name; None for a sheet of the case format the models do not hold yet."""
    wanted: list[tuple[str, str, str, str, type[BaseModel]]] = [("Supports", "item", "item", "supports", ItemBase),
              ("Custody", "item", "item", "chain_of_custody", ItemBase),
              ("Excerpts", "item", "item", "excerpts", ItemBase),
              ("Assessments", "incident", "incident", "assessments", Incident),
              ("Victims", "incident", "incident", "victims", Incident)]
    out: dict[str, ChildSheet | None] = {}
    for name, parent, key, field, owner in wanted:
        model = _list_model(owner, field)
        out[name] = ChildSheet(name, parent, key, field, model) if model is not None else None
    return out


def child_columns(sheet: ChildSheet) -> dict[str, Column]:
    """The columns of a child sheet: the parent's id, then the entry's fields."""
    key = Column(sheet.key, "text", False, (), True, f"The id of the {sheet.parent} this row belongs to")
    return {sheet.key: key} | _merge(model_columns(sheet.model))


BLOCK_NAMES = tuple(BLOCKS.values())
