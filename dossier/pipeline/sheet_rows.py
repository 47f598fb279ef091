"""Rows of sheets into the case format's objects: each cell read as its column's kind, each value remembering its
cell, so that every problem found later (by the models, by the cross-checks) is printed at the cell to fix.

Excel's habits are read as spreadsheets.md says: a date cell is a date (with a time other than 00:00 it is an
error in a date field); a date-time cell in an instant field is an error asking for the offset; a time cell is
``HH:MM``; a number in a text field is the text its number format shows (``0012`` stays ``0012``); booleans are
TRUE/FALSE, yes/no or 1/0; lists are ``A; B; C``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from dossier.diagnostics import Diagnostics, Location, did_you_mean, show_value
from dossier.loading.sheets import Cell, Row, Sheet
from dossier.models.columns import ChildSheet, Column, allowed_for, block_owner, child_columns, child_sheets, columns_of
from dossier.models.common import ITEM_TYPES

KINDS = {"items": "item", "sources": "source", "incidents": "incident"}
READ_ONLY_SHEETS = {"completeness"}
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


@dataclass
class Parsed:
    """One object read from a row: its data as a YAML file holds it, and the cell of each field path."""

    kind: str  # item, source, incident
    id: str
    data: dict
    id_loc: Location
    cells: dict[str, Location] = field(default_factory=dict)
    children: set[str] = field(default_factory=set)  # list fields given by child sheets
    row: Row | None = None

    def loc(self, path: str) -> Location:
        """The cell of a field path (``supports[1].element``), or of its nearest parent, or the id cell."""
        while path:
            if path in self.cells:
                return self.cells[path]
            if self.row is not None and path in self.row.sheet.columns:
                return self.row.loc(path)  # the empty cell where the missing value belongs
            path = re.sub(r"(\[\d+\]|\.[^.\[\]]+|^[^.\[\]]+)$", "", path)
        return self.id_loc


class _Bad(Exception):
    """A cell that cannot be read as its column's kind."""


def _shown_number(value: int | float, fmt: str) -> str:
    """The text a number cell shows in its number format: ``0000`` pads 12 to ``0012``, ``0.00`` keeps two decimals."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", (fmt or "General").split(";")[0])
    if re.fullmatch(r"0+(\.0+)?", fmt):
        whole, _, decimals = fmt.partition(".")
        return f"{value:0{len(whole) + (len(decimals) + 1 if decimals else 0)}.{len(decimals)}f}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, int) else format(value, ".15g")


def _text(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _shown_number(value, cell.number_format)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat() if isinstance(value, date) else value.strftime("%H:%M")
    return str(value).strip()


def read_value(cell: Cell, kind: str) -> Any:
    """A cell's value as a field of ``kind`` holds it; raises _Bad with the message for the cell."""
    value = cell.value
    if kind == "date":
        if isinstance(value, datetime):
            if value.time() != time(0):
                raise _Bad(f"a date field holds only the date, and this date cell has the time {value.time()}: "
                           "format the cell as a date, or write the date as text YYYY-MM-DD")
            return value.date()
        return value if isinstance(value, date) else _text(cell)
    if kind == "instant":
        if isinstance(value, datetime):
            raise _Bad("a date-time cell has no time-zone offset: write the moment as text with its offset, "
                       f"e.g. {value.strftime('%Y-%m-%dT%H:%M:%S')}Z or {value.strftime('%Y-%m-%dT%H:%M:%S')}+03:00")
        return _text(cell)
    if kind == "time":
        if isinstance(value, (time, datetime)):
            return value.strftime("%H:%M")
        return _text(cell)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(cell).lower()
        if text in TRUE or text in FALSE:
            return text in TRUE
        raise _Bad(f"must be TRUE or FALSE (or yes/no, 1/0) (got {show_value(_text(cell))})")
    if kind == "int":
        if isinstance(value, bool):
            return _text(cell)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = _text(cell)
        return int(text) if re.fullmatch(r"[+-]?\d{1,18}", text) else text
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = _text(cell)
        if re.fullmatch(r"[+-]?\d+,\d+", text):  # a decimal comma, as European locales write it
            text = text.replace(",", ".")
        try:
            return float(text) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text) else text
        except ValueError:
            return text
    return _text(cell)


def _split(cell: Cell) -> list[Cell]:
    if not isinstance(cell.value, str):
        return [cell]
    return [Cell(part.strip(), cell.loc) for part in cell.value.split(";") if part.strip()]


def _supports(cell: Cell, parsed: Parsed, diags: Diagnostics) -> list[dict]:
    """``rs-8-2-e-iv/1; !rs-8-2-e-iv/2@INC-2`` -> mappings (``!``: the item contradicts the element)."""
    out = []
    for i, part in enumerate(_split(cell)):
        text = _text(part)
        entry: dict[str, Any] = {}
        if text.startswith("!"):
            text, entry["stance"] = text[1:].strip(), "contradicts"
        element, _, incident = text.partition("@")
        entry = {"element": element.strip()} | ({"incident": incident.strip()} if incident else {}) | entry
        out.append(entry)
        for key in entry:
            parsed.cells[f"supports[{i}].{key}"] = cell.loc
        parsed.cells[f"supports[{i}]"] = cell.loc
    return out


def _put(data: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _fill(row: Row, columns: dict[str, Column], parsed: Parsed, prefix: str, skip: set[str],
          diags: Diagnostics) -> dict:
    data: dict = {}
    for name, cell in row.cells.items():
        column = columns.get(name)
        if column is None or name in skip:
            continue
        path = prefix + name
        try:
            if column.kind == "supports":
                value: Any = _supports(cell, parsed, diags)
            elif column.is_list:
                value = [read_value(part, column.kind) for part in _split(cell)]
                for i in range(len(value)):
                    parsed.cells[f"{path}[{i}]"] = cell.loc
            else:
                value = read_value(cell, column.kind)
        except _Bad as bad:
            diags.error("bad-cell", str(bad), cell.loc, path)
            parsed.cells[path] = cell.loc
            continue
        parsed.cells[path] = cell.loc
        _put(data, name, value)
    return data


def sheet_kind(sheet: Sheet, asked: str | None, diags: Diagnostics) -> str | None:
    """Which rows a sheet holds: ``items``, ``sources``, ``incidents``, a child sheet's name, or None (ignored)."""
    names = {"items": "items", "sources": "sources", "incidents": "incidents"}
    children = {name.lower(): name for name in child_sheets()}
    if sheet.csv:
        if asked:
            return asked
        columns = set(sheet.columns)
        for column, kind in (("type", "items"), ("location.lat", "incidents"), ("reliability", "sources")):
            if column in columns:
                return kind
        stem = sheet.name.strip().lower()
        if stem in children or stem in names:
            return children.get(stem) or names[stem]
        diags.error("which-kind", "cannot tell which rows this file holds (no 'type', 'location.lat' or "
                    "'reliability' column): pass --kind items, sources or incidents", sheet.at(1, 1))
        return None
    key = sheet.name.strip().lower()
    if key in READ_ONLY_SHEETS:
        return None
    if key in names or key in children:
        return names.get(key) or children[key]
    known = ["Items", "Sources", "Incidents", *child_sheets(), "Completeness"]
    hint = did_you_mean(sheet.name.strip(), known)
    diags.error("unknown-sheet", f"unknown sheet '{sheet.name}'{hint}; a workbook holds the sheets "
                f"{', '.join(known[:-1])} (Completeness is ignored)", sheet.at(1, 1))
    return None


def _check_columns(sheet: Sheet, columns: dict[str, Column], diags: Diagnostics) -> None:
    for name, (_, loc) in sheet.columns.items():
        if name not in columns:
            diags.error("unknown-column", f"unknown column '{name}'{did_you_mean(name, columns)}; see the "
                        "template (`dossier export --template FILE.xlsx`) for the columns of this sheet", loc)


def parse_objects(sheet: Sheet, kind: str, diags: Diagnostics, seen: dict[str, dict[str, Parsed]]) -> None:
    """Read the rows of an Items, Sources or Incidents sheet into ``seen[kind]`` (by id)."""
    columns = columns_of(kind)
    _check_columns(sheet, columns, diags)
    one = KINDS[kind]
    found = seen.setdefault(one, {})
    for row in sheet.rows:
        id_cell = row.cells.get("id")
        id_loc = row.loc("id")
        if id_cell is None:
            diags.error("invalid-missing", "required field is missing: add it", id_loc, "id")
            continue
        id_ = _text(id_cell)
        if id_ in found:
            diags.error("duplicate-id", f"{one} id '{id_}' appears twice (also {found[id_].id_loc})", id_loc, "id")
            continue
        parsed = Parsed(one, id_, {}, id_loc, {"id": id_loc}, row=row)
        skip: set[str] = set()
        if kind == "items":
            item_type = _text(row.cells["type"]) if "type" in row.cells else None
            if item_type in ITEM_TYPES:
                allowed = allowed_for(item_type)
                for name, cell in row.cells.items():
                    owner = block_owner(name)
                    if name in columns and name not in allowed and owner:
                        skip.add(name)
                        diags.error("wrong-block", f"the '{name.split('.')[0]}' block belongs to items of type "
                                    f"{owner}, not {item_type}: clear the cell or change the type", cell.loc, name)
        parsed.data = _fill(row, columns, parsed, "", skip, diags)
        parsed.data["id"] = id_
        found[id_] = parsed


def parse_children(sheet: Sheet, name: str, diags: Diagnostics, seen: dict[str, dict[str, Parsed]],
                   existing: dict[str, dict[str, Parsed]]) -> None:
    """Read a child sheet's rows (Supports, Custody ...) into the list field of each row's parent.

    ``existing`` holds stand-ins for objects of the workspace (under ``--update``) a row may add to."""
    spec: ChildSheet | None = child_sheets()[name]
    if spec is None:
        diags.error("unsupported-sheet", f"the {name} sheet is not supported until the case format's "
                    f"{name.lower()} are implemented", sheet.at(1, 1))
        return
    columns = child_columns(spec)
    _check_columns(sheet, columns, diags)
    parents = seen.setdefault(spec.parent, {})
    counts: dict[str, int] = {}
    for row in sheet.rows:
        key_cell = row.cells.get(spec.key)
        if key_cell is None:
            diags.error("invalid-missing", "required field is missing: add it", row.loc(spec.key), spec.key)
            continue
        parent_id = _text(key_cell)
        parent = parents.get(parent_id) or existing.get(spec.parent, {}).get(parent_id)
        if parent is None:
            kind_sheet = "Items" if spec.parent == "item" else "Incidents"
            diags.error("unknown-parent", f"{spec.parent} '{parent_id}' is not in the {kind_sheet} sheet"
                        + (" nor in the workspace" if existing else "")
                        + did_you_mean(parent_id, parents), key_cell.loc, spec.key)
            continue
        if spec.field == "supports" and "supports" in parent.data and spec.field not in parent.children:
            diags.error("supports-twice", f"the mappings of item '{parent_id}' are given both in its supports "
                        f"column ({parent.cells.get('supports')}) and in the Supports sheet: keep one of them",
                        key_cell.loc, spec.key)
            continue
        index = counts.get(parent_id, 0)
        counts[parent_id] = index + 1
        prefix = f"{spec.field}[{index}]."
        entry = _fill(row, columns, parent, prefix, {spec.key}, diags)
        parent.cells.setdefault(f"{spec.field}[{index}]", key_cell.loc)
        parent.data.setdefault(spec.field, []).append(entry)
        parent.children.add(spec.field)
