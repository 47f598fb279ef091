"""`dossier export`: the workspace as sheets, for one edition, plus its completeness matrix; and the template.

Everything exported comes from the edition's view of the case (``session.edition``), which holds nothing the
edition withholds: withheld items are absent, persons replaced by their stand-ins, protected coordinates
rounded. On top of the view, sources cited only by withheld items are left out (spreadsheets.md).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from dossier.atomic import write_bytes_atomic
from dossier.models.columns import Column, child_columns, child_sheets, columns_of
from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.pipeline import session
from dossier.rendering.sheets import STATUS_FILLS, Table, cell_text, csv_text, workbook_bytes

COMPLETENESS = ["incident", "norm", "element", "party", "status", "basis", "screen", "independent_sources",
                "supporting", "contradicting", "suggested_types"]
_SHEET_KIND = {"Items": "items", "Sources": "sources", "Incidents": "incidents"}


def _flat(data: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")  # an instant is text with its offset
    if isinstance(value, list):
        return "; ".join(cell_text(_cell(v)) for v in value) if value else None
    return value


def _table(name: str, columns: dict[str, Column], records: list[dict[str, Any]]) -> Table:
    """A table of the columns some record fills, in the case format's order."""
    used = [c for c in columns if any(r.get(c) not in (None, "", []) for r in records)]
    used = used or list(columns)[:1]
    return Table(name, used, [[_cell(r.get(c)) for c in used] for r in records])


def _dump(obj: BaseModel) -> dict:
    return obj.model_dump(mode="python", by_alias=True, exclude_none=True)


def case_tables(full: Case, edition: str) -> list[Table]:
    """The sheets of the edition's view: Items, Sources, Incidents, the list sheets, Completeness."""
    shown = session.edition(full, edition)
    view = shown.case
    cited = {item.source for item in view.items.values()}
    withheld_only = {item.source for i, item in full.items.items() if i not in view.items} - cited
    sources = [s for sid, s in view.sources.items() if sid not in withheld_only]
    kept = {s.id for s in sources}
    source_rows = [_flat(_dump(s.model_copy(update={"derived_from": [d for d in s.derived_from if d in kept]})))
                   for s in sources]
    children = {name: spec for name, spec in child_sheets().items() if spec is not None}
    child_rows: dict[str, list[dict]] = {name: [] for name in children}
    tables_rows: dict[str, list[dict]] = {"Items": [], "Incidents": []}
    for sheet, objects in (("Items", view.items.values()), ("Incidents", view.incidents.values())):
        for obj in objects:
            data = _dump(obj)
            for name, spec in children.items():
                if spec.parent == ("item" if sheet == "Items" else "incident"):
                    for entry in data.pop(spec.field, []) or []:
                        child_rows[name].append({spec.key: obj.id} | _flat(entry))
            data.pop("chronology", None)  # not a sheet of the format (version 1)
            tables_rows[sheet].append(_flat(data))
    item_columns = {k: v for k, v in columns_of("items").items() if k != "supports"}
    tables = [_table("Items", item_columns, tables_rows["Items"]),
              _table("Sources", columns_of("sources"), source_rows),
              _table("Incidents", columns_of("incidents"), tables_rows["Incidents"])]
    tables += [_table(name, child_columns(spec), child_rows[name]) for name, spec in children.items()
               if child_rows[name]]
    tables.append(completeness_table(shown.assessment))
    return tables


def completeness_table(assessment: Assessment) -> Table:
    """One row per incident, norm and element, and per attribution party (spreadsheets.md, Export)."""
    table = Table("Completeness", COMPLETENESS)
    for inc in assessment.incidents:
        for charge in inc.charges:
            for el in charge.elements:
                table.rows.append([inc.id, charge.norm, el.id, None, el.status, el.basis, el.screen or el.status,
                                   el.independent_sources, "; ".join(el.supporting), "; ".join(el.contradicting),
                                   "; ".join(el.suggested_types)])
                table.fills.append(STATUS_FILLS.get(el.status))
        for party in inc.attribution:  # graded like an element; its id is the party's
            table.rows.append([inc.id, None, "attribution", party.id, party.status, party.basis,
                               party.screen or party.status, party.independent_sources, "; ".join(party.supporting),
                               "; ".join(party.contradicting), "; ".join(party.suggested_types)])
            table.fills.append(STATUS_FILLS.get(party.status))
    return table


def _write(tables: list[Table], fmt: str, output: Path) -> list[str]:
    if fmt == "csv":
        output.mkdir(parents=True, exist_ok=True)
        lines = []
        for table in tables:
            write_bytes_atomic(output / f"{table.name}.csv", csv_text(table).encode("utf-8"))
            lines.append(f"wrote {output / (table.name + '.csv')} ({len(table.rows)} rows)")
        return lines
    write_bytes_atomic(output, workbook_bytes(tables))
    return [f"wrote {output}: " + ", ".join(f"{t.name} {len(t.rows)}" for t in tables)]


def export_case(case: Case, edition: str, fmt: str, output: Path) -> list[str]:
    """Write the edition's sheets; returns the lines to print."""
    return _write(case_tables(case, edition), fmt, output)


_KIND_NOTE = {"date": "a date, YYYY-MM-DD (a date cell is fine)",
              "instant": "a date and time with its offset, written as text: 2019-05-05T14:02:00Z",
              "time": "a local time, HH:MM", "bool": "TRUE or FALSE", "int": "a whole number",
              "number": "a number (decimal degrees for lat/lon)", "text": "text",
              "supports": "ELEMENT or ELEMENT@INCIDENT, ! before those the item contradicts, e.g. "
                          "rs-8-2-e-iv/1; !rs-8-2-e-iv/2@INC-1"}


def _note(column: Column, sheet: str) -> str:
    from dossier.models.columns import block_owner

    what = column.description.rstrip(".") if column.description else column.path
    kind = f"one of: {', '.join(column.choices)}" if column.kind == "choice" else _KIND_NOTE[column.kind]
    text = f"{what}. {kind[0].upper()}{kind[1:]}"
    if column.is_list and column.kind != "supports":
        text += "; a list: A; B; C"
    owner = block_owner(column.path) if sheet == "Items" else None
    if owner:
        text += f". Only for items of type {owner}"
    if column.required and not owner:
        text += ". Required"
    return text + "."


def export_template(output: Path, workspace: Path | None = None) -> list[str]:
    """An empty workbook to fill in: every sheet's headers, a note on each, a list for each closed field."""
    sheets: list[tuple[str, dict[str, Column]]] = [(name, columns_of(kind)) for name, kind in _SHEET_KIND.items()]
    sheets += [(name, child_columns(spec)) for name, spec in child_sheets().items() if spec is not None]
    tables = []
    for name, columns in sheets:
        table = Table(name, list(columns))
        table.notes = {path: _note(column, name) for path, column in columns.items()}
        table.choices = {path: c.choices for path, c in columns.items() if c.kind == "choice" and not c.is_list}
        if "credibility" in columns:  # a closed scale, though a number: 1 confirmed ... 6 cannot be judged
            table.choices["credibility"] = ("1", "2", "3", "4", "5", "6")
        tables.append(table)
    write_bytes_atomic(output, workbook_bytes(tables))
    if workspace is not None:
        return [f"wrote {output}: fill it in, then run `dossier import {output} --workspace {workspace}`"]
    return [f"wrote {output}: fill it in, then run `dossier import {output}` in the workspace "
            "(or add `--workspace DIR`)"]
