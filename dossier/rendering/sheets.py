"""Write tables as an Excel workbook (openpyxl) or as CSV files (the standard library).

Nothing here decides what is shown: the tables come from an edition's view of the case. What a writer adds
is checked to name nobody: the document's creator is "dossier", no last-modified-by, no hidden sheets, and the
header notes (comments) are the column descriptions of the case format, signed "dossier". Text is always
written as text, never as a formula (a value starting with ``=`` stays a value), in CSV too: a text that a
spreadsheet would run as a formula gets a leading ``'``, which import removes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

STATUS_FILLS = {"established": "C6EFCE", "partial": "FFEB9C", "contested": "E4C7F0", "missing": "FFC7CE"}
"""Light fills by completeness status (green, yellow, violet, red)."""


@dataclass
class Table:
    """One sheet: its name, column names, rows of values, and what helps a person fill or read it."""

    name: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # column -> what it holds (a note on its header)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> allowed values (a list)
    fills: list[str | None] = field(default_factory=list)  # per row: a fill colour
    frozen: bool = True


def cell_text(value: Any) -> str:
    """A value as the text of a CSV field or a list cell."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def workbook_bytes(tables: list[Table]) -> bytes:
    """The tables as an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # the stubs allow None; a new Workbook has its one sheet active
    bold = Font(bold=True)
    for table in tables:
        ws = book.create_sheet(table.name)
        for col, name in enumerate(table.columns, 1):
            cell = ws.cell(1, col, name)
            cell.data_type = "s"
            cell.font = bold
            if name in table.notes:
                note = Comment(table.notes[name], "dossier")
                note.width, note.height = 300, 120
                cell.comment = note
            ws.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(name) + 4))
        for r, row in enumerate(table.rows, 2):
            fill = table.fills[r - 2] if r - 2 < len(table.fills) else None
            for col, value in enumerate(row, 1):
                if value is None or value == "":
                    continue
                cell = ws.cell(r, col, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
            if fill:
                pattern = PatternFill("solid", start_color=fill, end_color=fill)
                for col in range(1, len(table.columns) + 1):
                    ws.cell(r, col).fill = pattern
        for name, choices in table.choices.items():
            col = get_column_letter(table.columns.index(name) + 1)
            listed = ",".join(choices)
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                                   errorTitle=name, error=f"{name}: one of {', '.join(choices)}")
            check.add(f"{col}2:{col}100001")
            ws.add_data_validation(check)
        if table.frozen:
            ws.freeze_panes = "A2"
        if table.columns:
            last = get_column_letter(len(table.columns))
            ws.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    props = book.properties
    props.creator = "dossier"
    props.lastModifiedBy = None
    props.title = props.subject = props.description = props.keywords = props.category = None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_FORMULA_START = re.compile(r"[=+@]|-(?![\d.])")


def csv_text(table: Table) -> str:
    """One table as CSV (UTF-8 with a byte-order mark, so Excel reads the accents; ``,`` between fields)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        texts = []
        for value in row:
            text = cell_text(value)
            if isinstance(value, str) and _FORMULA_START.match(text):
                text = "'" + text
            texts.append(text)
        writer.writerow(texts)
    return "\ufeff" + out.getvalue()
