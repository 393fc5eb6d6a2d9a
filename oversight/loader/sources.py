"""Reading submitted files: what they are is decided by their content, never by their name.

Every format ends as the same thing, a `Sheet`: one table's rows from one file or worksheet,
every cell as text (typed Excel and Parquet cells written the way a person would type them),
with the spreadsheet row number of each row. One parser (cells.py) then reads the text, so a
date means the same whether it came from CSV, a typed Excel cell or a Parquet column.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath

import defusedxml.ElementTree as SafeET
import polars as pl

from oversight import schema
from oversight.loader import dqd, problems

MAX_FILE_BYTES = 500 * 1024 * 1024  # the command line's limit; the page passes its upload limit
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # all parts of a workbook together, unpacked (500k rows: 265 MB)
MAX_PACKING_RATIO = 200  # a zip bomb packs thousands to one; spreadsheets about ten to one
EXTRA_CSV_FIELDS = 64  # fields beyond the header that a ragged CSV row is read with

# Sheets of our own template that hold no table (see template.py).
TEMPLATE_SHEETS = ("instructions", "lists")

OTHER_KOREAN_ENCODINGS = ("utf_16", "utf_16_le", "utf_16_be", "johab", "iso2022_kr")

_XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Submission:
    """One submitted file: its name as the user knows it, and its bytes; for Data Quality
    Dashboard results, the hospital that ran them and, when the file has no timestamp, the
    assessment date (given by whoever loads it)."""

    name: str
    data: bytes = field(repr=False)
    hospital: str | None = None
    assessed_on: dt.date | None = None

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def from_path(cls, path, hospital: str | None = None, assessed_on: dt.date | None = None) -> Submission:
        path = PurePath(path)
        with open(path, "rb") as handle:
            return cls(path.name, handle.read(), hospital, assessed_on)


@dataclass
class Sheet:
    """One table's rows from one file or worksheet, every cell as stripped text or null."""

    file: str
    sheet: str  # the worksheet's name; "" for CSV and Parquet
    table: str
    order: int  # the file's position in the batch
    frame: pl.DataFrame  # contract columns present in the file (Utf8) + _row, _file, _sheet, _order
    columns: tuple[str, ...]  # contract columns the header names
    whole_assessments: bool = False  # DQD results: each (hospital, assessment) in it is complete

    @property
    def rows(self) -> int:
        return self.frame.height


@dataclass
class Grid:
    """A rectangle of text cells as read from a file, before its header is interpreted."""

    sheet: str
    header: list[str | None]
    body: pl.DataFrame  # Utf8 columns c0, c1, ...: the rows below the header
    header_row: int  # spreadsheet row number of the header (1 unless rows above it are empty)


class Refused(Exception):
    """The file cannot be read at all; carries the problem frame."""

    def __init__(self, frame: pl.DataFrame):
        super().__init__(frame["rule"][0] if frame.height else "refused")
        self.frame = frame


def read(submission: Submission, order: int = 0, max_bytes: int = MAX_FILE_BYTES) -> tuple[list[Sheet], pl.DataFrame]:
    """The tables in one file, and what is wrong with it at file and header level."""
    name = submission.name

    def refuse(rule: str, **detail) -> tuple[list[Sheet], pl.DataFrame]:
        return [], problems.one(rule, file=name, order=order, **detail)

    data = submission.data
    if len(data) > max_bytes:
        return refuse("file.too_large", size_mb=round(len(data) / 2**20, 1), limit_mb=round(max_bytes / 2**20))
    if not data or (len(data) < 65536 and not data.strip()):
        return refuse("file.empty")
    if dqd.looks_like_json(data):
        try:
            results = dqd.read_json(data)
        except dqd.NotDqd as exc:
            return refuse(exc.rule, **exc.detail)
        return _dqd_sheet(results, submission, order, dqd.SHEET, first_row=1)
    try:
        kind = sniff(data)
        if kind == "xlsx":
            grids = _xlsx_grids(data)
        elif kind == "parquet":
            grids = [_parquet_grid(data)]
        elif kind == "csv":
            grids = [_csv_grid(data)]
        else:
            return refuse(f"file.{kind}")
    except Refused as exc:
        return [], exc.frame.with_columns(pl.lit(name).alias("file"), pl.lit(order).alias("order"))
    if kind == "csv" and dqd.is_dqd_header(grids[0].header):
        grid = grids[0]
        numbered = [(grid.header_row + 1 + i, row) for i, row in enumerate(grid.body.rows()) if any(v is not None for v in row)]
        return _dqd_sheet(dqd.read_csv_rows(grid.header, numbered), submission, order, "", first_row=grid.header_row + 1)

    sheets: list[Sheet] = []
    found: list[pl.DataFrame] = []
    for grid in grids:
        if kind == "xlsx":
            table = _table_of_sheet(grid.sheet)
            if table is None:
                if grid.sheet.strip().casefold() in TEMPLATE_SHEETS or _is_empty(grid):
                    continue
                found.append(problems.one(
                    "sheet.unknown", file=name, sheet=grid.sheet, order=order, value=grid.sheet,
                    name=grid.sheet, tables=", ".join(schema.LOAD_ORDER), **_suggest(grid.sheet, schema.LOAD_ORDER),
                ))
                continue
        else:
            table = _table_of_file(name) or _table_of_header(grid.header)
            if table is None:
                found.append(problems.one(
                    "file.unknown_table", file=name, order=order, tables=", ".join(schema.LOAD_ORDER)
                ))
                continue
        sheet, header_problems = _interpret(grid, table, name, order)
        found.append(header_problems)
        sheets.append(sheet)
    if kind == "xlsx" and not sheets and not any(f.height for f in found):
        found.append(problems.one("file.no_tables", file=name, order=order, tables=", ".join(schema.LOAD_ORDER)))
    return sheets, problems.combine(found)


def _dqd_sheet(results: dqd.Results, submission: Submission, order: int, sheet: str,
               first_row: int) -> tuple[list[Sheet], pl.DataFrame]:
    frame, found = dqd.frame(results, file=submission.name, sheet=sheet, order=order, first_row=first_row,
                             hospital=submission.hospital, assessed_on=submission.assessed_on)
    if frame is None:  # no hospital or no date: every row would repeat it
        return [], found
    return [Sheet(submission.name, sheet, "quality_checks", order, frame, dqd.COLUMNS, whole_assessments=True)], found


# --- what a file is --------------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """'xlsx', 'parquet' or 'csv' from the bytes; otherwise the name of a file-level rule."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:4] == b"PAR1":
        return "parquet" if data[-4:] == b"PAR1" else "corrupt"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "legacy_excel"  # .xls, or an .xlsx with a password (both are OLE containers)
    if data[:5] == b"%PDF-" or data[:2] in (b"\x1f\x8b", b"BZ") or data[:4] == b"\x89PNG":
        return "unknown_format"
    head = data[:65536]
    if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "unknown_format"
    return "csv"


def _is_empty(grid: Grid) -> bool:
    return not any(h for h in grid.header) and grid.body.height == 0


# --- CSV -------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (with or without a byte-order
    mark), UTF-16 with a mark, or CP949/EUC-KR as Excel on a Korean PC writes it."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949"), "cp949"  # a superset of EUC-KR
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Only what a Korean office could send; a Western code page "decodes" anything, wrongly.
    best = from_bytes(data[: 4 * 1024 * 1024], cp_isolation=list(OTHER_KOREAN_ENCODINGS)).best()
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise Refused(problems.one("file.encoding"))


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Refused(problems.one("file.encoding")) from exc


def _csv_grid(data: bytes) -> Grid:
    text, _ = decode_text(data)
    if "\0" in text:
        raise Refused(problems.one("file.unknown_format"))
    payload = text.encode("utf-8")
    try:
        raw = pl.read_csv(payload, has_header=False, infer_schema=False, raise_if_empty=False)
        extra_from = None
    except pl.exceptions.ComputeError as exc:
        # A quote out of place, or a row with more fields than the first: read wide, so the
        # extra values are seen.
        quote_row = _misquoted_row(text)
        if quote_row is not None:
            raise Refused(problems.one("file.csv_quote", row=quote_row)) from exc
        width = len(_first_record(text))
        try:
            raw = pl.read_csv(
                payload, has_header=False, missing_columns="insert", truncate_ragged_lines=True,
                schema={f"c{i}": pl.Utf8 for i in range(width + EXTRA_CSV_FIELDS)},
            )
        except pl.exceptions.PolarsError as wide_exc:
            raise Refused(problems.one("file.csv_unreadable", detail=str(wide_exc).splitlines()[0][:200])) from wide_exc
        extra_from = width
    except pl.exceptions.PolarsError as exc:
        raise Refused(problems.one("file.csv_unreadable", detail=str(exc).splitlines()[0][:200])) from exc
    raw = raw.rename({c: f"c{i}" for i, c in enumerate(raw.columns)})
    raw = _strip(raw)
    leading = _leading_empty_rows(raw)
    if leading == raw.height:
        raise Refused(problems.one("file.empty"))
    header = raw.row(leading)
    body = raw.slice(leading + 1)
    if extra_from is not None:
        header = header[:extra_from]
    grid = Grid("", list(header), body, header_row=leading + 1)
    separator = _other_separator(header)
    if separator:
        raise Refused(problems.one("file.csv_separator", row=leading + 1, separator=separator))
    return grid


# One field and what ends it: a quoted field ("" inside is a quote) or a field without quotes.
_CSV_FIELD = re.compile(r'(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*)(,|\r\n|\n|\r|\Z)')


def _misquoted_row(text: str) -> int | None:
    """The spreadsheet row of the first quote that a CSV reader cannot place: a quote never
    closed, text after a closing quote, or a quote inside a value that does not start with one."""
    if '"' not in text:
        return None
    row, position = 1, 0
    while position < len(text):
        field = _CSV_FIELD.match(text, position)
        if field is None:
            return row
        if field.group(1) not in ("", ","):
            row += 1
        elif field.group(1) == "":
            return None
        position = field.end()
    return None


def _first_record(text: str) -> list[str]:
    import csv

    return next(csv.reader(io.StringIO(text, newline="")), [])


def _other_separator(header: tuple | list) -> str | None:
    """A one-column header holding tabs or semicolons: the file is not comma separated."""
    cells = [h for h in header if h]
    if len(cells) == 1:
        for separator, name in (("\t", "tab"), (";", ";"), ("|", "|")):
            if separator in cells[0]:
                return name
    return None


# --- Parquet ---------------------------------------------------------------------------------------

_PARQUET_TEXT = {
    pl.Date: lambda c: c.dt.strftime("%Y-%m-%d"),
    pl.Datetime: lambda c: c.dt.strftime("%Y-%m-%d %H:%M:%S"),
    pl.Boolean: lambda c: pl.when(c).then(pl.lit("true")).when(c.not_()).then(pl.lit("false")),
}


def _parquet_grid(data: bytes) -> Grid:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        unpacked = sum(parquet.metadata.row_group(i).total_byte_size for i in range(parquet.metadata.num_row_groups))
        if unpacked > MAX_UNPACKED_BYTES:
            raise Refused(problems.one("file.unpacked_too_large", limit_mb=MAX_UNPACKED_BYTES // 2**20))
        table = parquet.read()
        # Columns by position: a header naming a column twice is the header's problem, not the file's.
        header = list(table.column_names)
        frame = pl.from_arrow(table.rename_columns([f"c{i}" for i in range(table.num_columns)]))
    except Refused:
        raise
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        raise Refused(problems.one("file.corrupt")) from exc
    if not isinstance(frame, pl.DataFrame):
        frame = frame.to_frame()
    columns = []
    for (source, dtype), name in zip(frame.schema.items(), header, strict=True):
        column = pl.col(source)
        if dtype.is_numeric() or dtype in (pl.Utf8, pl.Categorical) or isinstance(dtype, pl.Enum | pl.Decimal):
            columns.append(column.cast(pl.Utf8))
        elif dtype.base_type() in _PARQUET_TEXT:
            columns.append(_PARQUET_TEXT[dtype.base_type()](column))
        elif dtype == pl.Null:
            columns.append(column.cast(pl.Utf8))
        else:
            raise Refused(problems.one("file.parquet_type", row=1, column=name, type=str(dtype)))
    body = frame.select([c.alias(f"c{i}") for i, c in enumerate(columns)]) if columns else pl.DataFrame()
    return Grid("", header, _strip(body), header_row=1)


# --- XLSX ------------------------------------------------------------------------------------------


def _xlsx_grids(data: bytes) -> list[Grid]:
    import fastexcel

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist()}
        if "[Content_Types].xml" not in members:
            raise Refused(problems.one("file.not_xlsx"))
        _check_packing(members.values())
        for name, info in members.items():
            if name.endswith((".xml", ".rels")):
                _check_prolog(archive, info)
        workbook_path = _office_document(archive, members)
        if workbook_path is None or not workbook_path.endswith(".xml") or workbook_path not in members:
            raise Refused(problems.one("file.not_xlsx"))  # e.g. a Word file or a zipped CSV
        sheets = _sheet_parts(archive, workbook_path, members)
    except _DAMAGED_ZIP as exc:
        raise Refused(problems.one("file.corrupt")) from exc

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:
        raise Refused(problems.one("file.corrupt")) from exc
    grids = []
    for index, name in enumerate(reader.sheet_names):
        part, hidden = sheets.get(name, (None, False))
        if part is None or (hidden and _table_of_sheet(name) is None):
            continue  # a chart sheet, or a hidden helper sheet of someone's workbook: not data
        try:
            loaded = reader.load_sheet(index, header_row=None, dtypes="string").to_polars()
        except Exception as exc:
            raise Refused(problems.one("file.sheet_unreadable", sheet=name)) from exc
        if loaded.height == 0:
            grids.append(Grid(name, [], pl.DataFrame(), header_row=1))
            continue
        loaded = _strip(loaded.rename({c: f"c{i}" for i, c in enumerate(loaded.columns)}))
        try:
            first = _first_row_with_a_value(archive, members[part])
        except _DAMAGED_ZIP as exc:
            raise Refused(problems.one("file.sheet_unreadable", sheet=name)) from exc
        grids.append(Grid(name, list(loaded.row(0)), loaded.slice(1), header_row=first))
    return grids


# What reading a damaged archive raises: a bad header or checksum, a broken deflate stream, a
# part cut short, an unknown compression or encryption, XML that does not parse.
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                SyntaxError, ValueError)


def _check_packing(infos) -> None:
    unpacked = 0
    for info in infos:
        unpacked += info.file_size
        if info.file_size > 10 * 2**20 and info.file_size > MAX_PACKING_RATIO * max(info.compress_size, 1):
            raise Refused(problems.one("file.zip_bomb", part=info.filename))
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refused(problems.one("file.unpacked_too_large", limit_mb=MAX_UNPACKED_BYTES // 2**20))


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """No part of a workbook needs a document type declaration; one is how an XML bomb or an
    external entity gets in. Refuse any before a parser sees it (defusedxml does the same for
    openpyxl; calamine does not expand entities, but the message is clearer this way)."""
    with archive.open(info) as handle:
        head = handle.read(65536)
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    if b"<!doctype" in prolog.lower() or b"<!entity" in prolog.lower() or (root is None and len(head) == 65536):
        raise Refused(problems.one("file.xml_doctype", part=info.filename))


def _office_document(archive: zipfile.ZipFile, members) -> str | None:
    if "_rels/.rels" not in members:
        return "xl/workbook.xml" if "xl/workbook.xml" in members else None
    rels = SafeET.fromstring(archive.read("_rels/.rels"))
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return None


def _sheet_parts(archive: zipfile.ZipFile, workbook_path: str, members) -> dict[str, tuple[str | None, bool]]:
    """Worksheet name -> (its part in the archive, hidden?)."""
    base = workbook_path.rsplit("/", 1)[0] + "/" if "/" in workbook_path else ""
    rels_path = f"{base}_rels/{workbook_path.rsplit('/', 1)[-1]}.rels"
    targets: dict[str, str] = {}
    if rels_path in members:
        for rel in SafeET.fromstring(archive.read(rels_path)).iter(f"{{{_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/worksheet"):
                target = rel.get("Target", "")
                targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else base + target
    workbook = SafeET.fromstring(archive.read(workbook_path))
    found = {}
    for sheet in workbook.iter(f"{{{_XLSX_MAIN}}}sheet"):
        part = targets.get(sheet.get(f"{{{_OFFICE_REL}}}id"))
        found[sheet.get("name")] = (part if part in members else None, sheet.get("state", "visible") != "visible")
    return found


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(/?)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")


def _first_row_with_a_value(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Spreadsheet row number of the first row holding a value.

    calamine starts a sheet at its first non-empty cell, so without this, rows above the header
    left empty would shift every row number a user is told about.
    """
    buffer = b""
    number = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(1 << 20)
            buffer += chunk
            position = 0
            while True:
                start = _ROW.search(buffer, position)
                if start is None:
                    break
                attrs, closed = start.group(1), start.group(2)
                explicit = _ROW_NUMBER.search(attrs)
                if closed:
                    number = int(explicit.group(1)) if explicit else number + 1
                    position = start.end()
                    continue
                end = _ROW_END.search(buffer, start.end())
                if end is None:
                    break  # the row continues in the next chunk
                number = int(explicit.group(1)) if explicit else number + 1
                if _VALUE.search(buffer, start.end(), end.start()):
                    return number
                position = end.end()
            buffer = buffer[position:] if position else buffer
            if not chunk:
                return 1


# --- tables and headers ----------------------------------------------------------------------------


def _key(text: str | None) -> str:
    return (text or "").strip().casefold()


def _table_of_sheet(name: str) -> str | None:
    key = _key(name)
    return key if key in schema.TABLES else None


def _table_of_file(name: str) -> str | None:
    """`institutions.csv`, `Institutions.CSV`, `data_requests_2026-11.csv`, `agreements (1).csv`:
    the table whose name the file's name starts with (the longest, at a word boundary)."""
    stem = _key(PurePath(name).stem)
    if stem in schema.TABLES:
        return stem
    matches = [t for t in schema.TABLES if stem.startswith(t) and not stem[len(t)].isalnum()]
    return max(matches, key=len) if matches else None


def _table_of_header(header: list[str | None]) -> str | None:
    """The table whose required columns the header names and which shares the most columns
    with it, if one does more than any other (its unknown columns are reported later)."""
    names = {_key(h) for h in header if _key(h)}
    overlap = {
        t.name: len(names & set(t.column_names)) for t in schema.TABLES.values()
        if {c.name for c in t.columns if c.required} <= names
    }
    best = sorted(overlap.items(), key=lambda item: -item[1])
    if not best or (len(best) > 1 and best[0][1] == best[1][1]):
        return None
    return best[0][0]


def _suggest(value: str, choices) -> dict:
    close = difflib.get_close_matches(_key(value), list(choices), n=1, cutoff=0.6)
    return {"suggestion": close[0]} if close else {"suggestion": ""}


def _strip(frame: pl.DataFrame) -> pl.DataFrame:
    """Surrounding spaces (including the full-width space of Korean input) go; empty is null."""
    if frame.width == 0:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars().str.len_bytes() > 0).then(pl.col(c).str.strip_chars()).alias(c)
        for c in frame.columns
    )


def _leading_empty_rows(frame: pl.DataFrame) -> int:
    if frame.height == 0:
        return 0
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null()).arg_true().first()).item()
    return frame.height if filled is None else int(filled)


def _interpret(grid: Grid, table: str, file: str, order: int) -> tuple[Sheet, pl.DataFrame]:
    """Map the header onto the table's columns; number and keep the rows that hold anything."""
    spec = schema.TABLES[table]
    where = {"file": file, "sheet": grid.sheet, "row": grid.header_row, "order": order}
    found: list[pl.DataFrame] = []
    mapped: dict[str, str] = {}  # body column -> contract column
    body = grid.body
    for index, cell in enumerate(grid.header):
        source = f"c{index}"
        key = _key(cell)
        if not key:
            if source in body.columns and body.get_column(source).is_not_null().any():
                found.append(problems.one("header.empty", column=f"#{index + 1}", **where))
            continue
        if key in mapped.values():
            found.append(problems.one("header.duplicate", column=cell, value=cell, **where))
        elif key in spec.column_names:
            mapped[source] = key
        else:
            found.append(problems.one(
                "header.unknown", column=cell, value=cell, table=table,
                columns=", ".join(spec.column_names), **_suggest(cell, spec.column_names), **where,
            ))
    for column in spec.columns:
        if column.required and column.name not in mapped.values():
            found.append(problems.one("header.missing", column=column.name, table=table, **where))

    numbered = body.with_row_index("_index")
    keep = numbered.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in body.columns)) if body.width else numbered.clear()
    keep = keep.with_columns(
        (pl.col("_index") + grid.header_row + 1).cast(pl.Int64).alias("_row"),
        pl.lit(file).alias("_file"),
        pl.lit(grid.sheet).alias("_sheet"),
        pl.lit(order).cast(pl.Int64).alias("_order"),
    )
    beyond = [f"c{i}" for i in range(len(grid.header), body.width)]
    if beyond:
        ragged = keep.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in beyond))
        if ragged.height:
            found.append(problems.cells(
                ragged, "row.extra_values", column="", value=pl.concat_str([pl.col(c) for c in beyond], separator=",", ignore_nulls=True),
                detail={"columns": len(grid.header)},
            ))
    frame = keep.select(
        *[pl.col(source).alias(target) for source, target in mapped.items()],
        "_row", "_file", "_sheet", "_order",
    )
    columns = tuple(c for c in spec.column_names if c in mapped.values())
    return Sheet(file, grid.sheet, table, order, frame, columns), problems.combine(found)
