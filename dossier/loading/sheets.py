"""Read a workbook (.xlsx) or a CSV file into rows of cells, each cell with its location (spreadsheets.md).

Only reading happens here, and the refusals that need the file itself: a macro-enabled or old-format workbook,
a damaged or password-protected one, a cell holding a formula, merged cells, a CSV that is not UTF-8, more
rows than :data:`MAX_ROWS`. What a cell means (a date, a list, a boolean) is decided by the columns that read
it (``dossier.pipeline.sheet_rows``). Workbooks are read with openpyxl in read-only mode, row by row, so memory
stays bounded whatever the file's size.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.diagnostics import Diagnostic, Diagnostics, InputError, Location

MAX_ROWS = 100_000
"""Most data rows read from one sheet or CSV file; split a larger log into several files."""
MAX_CSV_BYTES = 200 * 1024 * 1024


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class CellLocation(Location):
    """A cell of a workbook: printed ``log.xlsx:Items!E14`` (``line`` is the row, ``col`` the column)."""

    sheet: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}!{column_letter(self.col)}{self.line}"


@dataclass(frozen=True)
class Cell:
    """A non-empty cell: its value as the file holds it (text, number, boolean, date-time, time) and number format."""

    value: Any
    loc: Location
    number_format: str = "General"
    is_date: bool = False


@dataclass
class Row:
    """One data row: its cells by column name (empty cells absent) and where each column's cell would be."""

    number: int
    cells: dict[str, Cell]
    sheet: Layout

    def loc(self, column: str) -> Location:
        """The cell of ``column`` in this row (the empty one where a missing value belongs)."""
        cell = self.cells.get(column)
        if cell is not None:
            return cell.loc
        col = self.sheet.columns.get(column, (1, None))[0]
        return self.sheet.at(self.number, col)


@dataclass
class Layout:
    """Where a sheet's cells are: its file, name and columns (name -> column number and header cell).

    A row refers to its sheet's layout, not to the sheet: the sheet holds its rows, and a row pointing back at
    it would make every row, cell and location of a large log a reference cycle, left to the cyclic garbage
    collector (2 s of an import of 10,000 items)."""

    file: str
    name: str
    csv: bool = False
    columns: dict[str, tuple[int, Location]] = field(default_factory=dict)

    def at(self, line: int, col: int) -> Location:
        return Location(self.file, line, col) if self.csv else CellLocation(self.file, line, col, self.name)


@dataclass
class Sheet(Layout):
    """A sheet (or a CSV file): its layout and its rows."""

    rows: list[Row] = field(default_factory=list)

    @property
    def layout(self) -> Layout:
        """The layout alone (the same columns), for the rows to refer to."""
        return Layout(self.file, self.name, self.csv, self.columns)


def read_table(path: Path, shown: str, skip: Collection[str] = ()) -> tuple[list[Sheet], list[Diagnostic]]:
    """Every sheet of a workbook, or the one table of a CSV file, and the cells refused (formulas, merged
    cells...). The sheets named in ``skip`` (lower case) are listed without their cells. Raises InputError,
    located, when the file cannot be read at all."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _error("no-file", "no such file", shown)
    if suffix == ".csv":
        sheet, problems = _read_csv(path, shown)
        return [sheet], problems
    if suffix == ".xlsm":
        raise _error("macro-workbook", "macro-enabled workbooks (.xlsm) are not read: save a copy as "
                     "'Excel Workbook (.xlsx)' and import that", shown)
    if suffix in (".xls", ".xlsb", ".ods"):
        raise _error("old-workbook", f"{suffix} files are not read: open it in Excel or LibreOffice and save a copy "
                     "as 'Excel Workbook (.xlsx)', or as 'CSV UTF-8'", shown)
    if suffix != ".xlsx":
        raise _error("not-a-table", "import reads an Excel workbook (.xlsx) or a CSV file (.csv)", shown)
    return _read_xlsx(path, shown, skip)


def _error(code: str, message: str, shown: str, loc: Location | None = None) -> InputError:
    return InputError([Diagnostic("error", code, message, loc or Location(shown))])


# --------------------------------------------------------------------------- workbooks

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+)(?::[A-Z]+\d+)?\"")


def _merged(archive: zipfile.ZipFile, member: str) -> list[tuple[str, int]]:
    """The top-left cells of the merged ranges of one sheet, scanned from its XML in chunks (bounded memory)."""
    found: list[tuple[str, int]] = []
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            found += [(m.group(1).decode(), int(m.group(2))) for m in _MERGE.finditer(data)]
            tail = data[-200:]
            found = list(dict.fromkeys(found))  # a match inside the overlap is found twice
    return found


def _col_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _open_workbook(path: Path, shown: str):
    import openpyxl

    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: an encrypted workbook, or an old .xls renamed
        data = path.read_bytes()[:1 << 20]
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _error("encrypted-workbook", "the workbook is password-protected: open it, remove the password "
                         "(File > Info > Protect Workbook > Encrypt with Password) and save it again", shown)
        raise _error("old-workbook", "this is an old-format Excel file (.xls) with an .xlsx name: open it and save a "
                     "copy as 'Excel Workbook (.xlsx)'", shown)
    if not zipfile.is_zipfile(path):
        raise _error("bad-workbook", "not a readable Excel workbook (.xlsx): the file is damaged or of another kind; "
                     "open it in Excel and save it again", shown)
    try:
        archive = zipfile.ZipFile(path)
        if "xl/vbaProject.bin" in archive.namelist():
            raise _error("macro-workbook", "the workbook holds macros: save a copy as 'Excel Workbook (.xlsx)' "
                         "(without macros) and import that", shown)
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive: each means the same to a user
        raise _error("bad-workbook", "not a readable Excel workbook (.xlsx): the file is damaged "
                     f"({type(exc).__name__}); open it in Excel and save it again", shown) from None
    return archive, book


def _read_xlsx(path: Path, shown: str, skip: Collection[str] = ()) -> tuple[list[Sheet], list[Diagnostic]]:
    archive, book = _open_workbook(path, shown)
    diags = Diagnostics()
    sheets: list[Sheet] = []
    formats = _Formats(book)
    try:
        for ws in book.worksheets:
            sheet = Sheet(shown, ws.title)
            sheets.append(sheet)
            if ws.title.strip().lower() in skip:
                continue  # a sheet the caller ignores (export's Completeness): its cells are not read
            member = getattr(ws, "_worksheet_path", None)
            if member:
                for letters, row in _merged(archive, member.lstrip("/")):
                    diags.error("merged-cells", "merged cells are not read: unmerge them (Home > Merge & Center) and "
                                "fill every cell", sheet.at(row, _col_number(letters)))
            if (ws.max_row or 0) > MAX_ROWS + 1:
                raise _error("too-many-rows", f"the sheet has {ws.max_row - 1:,} rows; at most {MAX_ROWS:,} are "
                             "read from one sheet: split the log into several files", shown,
                             sheet.at(ws.max_row, 1))
            _read_rows(sheet, _sheet_rows(ws), formats, diags)
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet found while reading it
        raise _error("bad-workbook", "not a readable Excel workbook (.xlsx): a sheet is damaged "
                     f"({type(exc).__name__}); open it in Excel and save it again", shown) from None
    finally:
        book.close()
        archive.close()
    return sheets, diags.items


class _Formats:
    """The number format of a style and whether it shows a date, computed once per style (not once per cell)."""

    def __init__(self, book):
        self.book = book
        self.known: dict[int, tuple[str, bool]] = {}

    def __call__(self, style_id: int) -> tuple[str, bool]:
        found = self.known.get(style_id)
        if found is None:
            from openpyxl.styles import is_date_format
            from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

            number = self.book._cell_styles[style_id].numFmtId  # as openpyxl's ReadOnlyCell.number_format
            fmt = (BUILTIN_FORMATS.get(number, "General") if number < BUILTIN_FORMATS_MAX_SIZE else
                   self.book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE])
            found = self.known[style_id] = (fmt or "General", bool(is_date_format(fmt)))
        return found


def _inline_text(element) -> str:
    """The text of an inline string (``<is>``), as openpyxl's ``Text.from_tree(element).content`` gives it: the
    plain text and the text of each run, not the phonetic guides (``rPh``); without building openpyxl's
    objects for it, which takes a third of the time of reading a sheet written with inline strings."""
    plain, runs = None, []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "t":
            plain = child.text  # one text element is kept, the last, as openpyxl keeps it
        elif tag == "r":
            text = None
            for part in child:
                if part.tag.rpartition("}")[2] == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(([plain] if plain is not None else []) + runs)


def _parser(source, ws):
    """openpyxl's sheet parser (as its read-only worksheet makes it), reading inline strings with _inline_text."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            if element.get("t") != "inlineStr" or (not self.data_only and element.find(FORMULA_TAG) is not None):
                return super().parse_cell(element)
            coordinate = element.get("r")  # as WorkSheetParser.parse_cell, for an inline string
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            child = element.find(INLINE_STRING)
            value, data_type = (None, "inlineStr") if child is None else (_inline_text(child), "s")
            return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}

    book = ws.parent
    return Parser(source, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                  date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)


def _sheet_rows(ws) -> Iterator[tuple[int, list[tuple[int, Any, str, int]]]]:
    """(row number, [(column, value, data type, style id)]) of each row the sheet's XML holds, in order.

    The cells as openpyxl's read-only worksheet reads them (its own parser, over the same rows and columns
    ``iter_rows`` covers), without making a cell object for each: that is most of the time a read takes
    beyond parsing the XML."""
    max_row, max_col = ws.max_row, ws.max_column
    with ws._get_source() as source:
        for number, cells in _parser(source, ws).parse():
            if max_row is not None and number > max_row:
                break
            yield number, [(c["column"], c["value"], c["data_type"], c["style_id"]) for c in cells
                           if max_col is None or c["column"] <= max_col]


def _read_rows(sheet: Sheet, rows: Iterator[tuple[int, list[tuple[int, Any, str, int]]]], formats: _Formats,
               diags: Diagnostics) -> None:
    headers: dict[int, str] = {}
    layout = sheet.layout
    at = layout.at
    for number, row in rows:
        if number == 1:
            for col, value, data_type, _style in row:
                if value is None:
                    continue
                name = str(value).strip()
                loc = at(1, col)
                if data_type == "f":
                    diags.error("formula", "the column name is a formula: type the name instead", loc)
                elif name in sheet.columns:
                    diags.error("duplicate-column", f"column '{name}' appears twice (also "
                                f"{sheet.columns[name][1]})", loc)
                elif name:
                    headers[col] = name
                    sheet.columns[name] = (col, loc)
            continue
        if number > MAX_ROWS + 1:
            raise _error("too-many-rows", f"more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} are read from one "
                         "sheet: split the log into several files", sheet.file, at(number, 1))
        cells: dict[str, Cell] = {}
        for col, value, data_type, style in row:
            if value is None or (value.__class__ is str and not value.strip()):
                continue
            loc = at(number, col)
            if data_type == "f":
                diags.error("formula", "the cell holds a formula: replace it by its value (copy, then Paste Special "
                            "> Values)", loc)
                continue
            if data_type == "e":
                diags.error("error-value", f"the cell holds the spreadsheet error {value}: put the value in", loc)
                continue
            name = headers.get(col)
            if name is None:
                diags.error("no-column-name", "this value is in a column without a name in row 1: name the column "
                            "or clear the cell", loc)
                continue
            fmt, dated = formats(style)
            cells[name] = Cell(value, loc, fmt, data_type == "d" or (data_type == "n" and dated))
        if cells:
            sheet.rows.append(Row(number, cells, layout))


# --------------------------------------------------------------------------- CSV

def _check_utf8(path: Path, shown: str) -> None:
    """Refuse a file that is not UTF-8, naming the line of the first byte that is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[:exc.start].count(b"\n")
                raise _error("not-utf8", "the file is not UTF-8 text: in Excel save it as 'CSV UTF-8 (Comma "
                             "delimited)'; in LibreOffice choose the character set 'Unicode (UTF-8)'", shown,
                             Location(shown, line, 1)) from None
            line += chunk.count(b"\n")


def _delimiter(first_line: str) -> str:
    """``;`` (European locales) or ``,``: whichever the header line holds more of outside quotes."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    return ";" if outside.count(";") > outside.count(",") else ","


def _read_csv(path: Path, shown: str) -> tuple[Sheet, list[Diagnostic]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _error("too-large", f"the file is larger than {MAX_CSV_BYTES >> 20} MiB: split it", shown)
    _check_utf8(path, shown)
    sheet = Sheet(shown, path.stem, csv=True)
    layout = sheet.layout
    diags = Diagnostics()
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()  # the byte-order mark, if any, is dropped by utf-8-sig
        handle.seek(0)
        reader = csv.reader(handle, delimiter=_delimiter(first))
        start, headers = 1, dict[int, str]()
        try:
            for record in reader:
                line = start
                start = reader.line_num + 1
                if not headers and not sheet.columns:
                    for col, text in enumerate(record, 1):
                        name = text.strip()
                        if name in sheet.columns:
                            diags.error("duplicate-column", f"column '{name}' appears twice (also "
                                        f"{sheet.columns[name][1]})", Location(shown, line, col))
                        elif name:
                            headers[col] = name
                            sheet.columns[name] = (col, Location(shown, line, col))
                    continue
                if len(sheet.rows) >= MAX_ROWS:
                    raise _error("too-many-rows", f"more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} are read from "
                                 "one file: split the log into several files", shown, Location(shown, line, 1))
                cells = {}
                for col, text in enumerate(record, 1):
                    if not text.strip():
                        continue
                    if col not in headers:
                        diags.error("no-column-name", "this value is in a column without a name in the first line: "
                                    "name the column or remove the value", Location(shown, line, col))
                        continue
                    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
                        text = text[1:]  # the guard export puts before text a spreadsheet would run as a formula
                    cells[headers[col]] = Cell(text, Location(shown, line, col))
                if cells:
                    sheet.rows.append(Row(line, cells, layout))
        except csv.Error as exc:
            raise _error("bad-csv", f"the file cannot be read as CSV: {exc}", shown,
                         Location(shown, reader.line_num or 1, 1)) from None
    return sheet, diags.items
