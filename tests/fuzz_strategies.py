"""Hypothesis strategies for the loader's hostile-input tests (issue 9, tests/fuzz/test_loader_fuzz.py).

Three kinds of input, all built from the data contract (schema.py) and the template's example
rows (oversight/loader/example.py), which the fuzz database holds:

- `cell_values(table, column, fmt)`: what a person or a program could put in one cell, each with
  the contract's verdict on it: "valid" (and the typed value it must load as), "invalid" (a
  problem must name that cell) or "unknown" (either is fine; the test checks consistency).
- `valid_batch()`: new and replacing rows of several tables that obey every rule, so the batch
  must load exactly as generated; `hostile_batch()` breaks one of them in a way that must refuse.
- `hostile_files()`: whole files that are broken: random bytes, damaged workbooks and Parquet,
  broken encodings, missing, extra and duplicate columns, ragged rows, header-only files.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field, replace

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from hostile import PAYLOADS
from oversight import schema
from oversight.loader import Submission, example
from oversight.loader.cells import EARLIEST, FALSE, ID_PATTERN, LATEST, LENGTHS, LIMITS, PATTERNS, TRUE
from oversight.loader.rules import REFERENCES

# What polars' str.strip_chars() removes (Unicode White_Space), so what the loader trims.
WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
               + "\u2028\u2029\u202f\u205f\u3000")

INSTITUTIONS = tuple(r["institution_id"] for r in example.ROWS["institutions"])
HOSPITALS = ("EX-H1", "EX-H2")
CENTRES = ("EX-H1", "EX-P1")  # institutions with safe_centre_since
REQUESTERS = ("EX-C1", "EX-U1")
AGREEMENTS = tuple(r["agreement_id"] for r in example.ROWS["agreements"])
PARTIES = tuple((r["agreement_id"], r["hospital_id"]) for r in example.ROWS["agreement_hospitals"])
KNOWN_IDS = frozenset(INSTITUTIONS + AGREEMENTS)
REFERENCE_COLUMNS = frozenset((r.child, c) for r in REFERENCES for c in r.columns)

FORMATS = ("csv", "xlsx", "parquet")
ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "utf-16")


def stripped(text: str) -> str | None:
    """A text cell as the loader keeps it: trimmed, empty is missing."""
    return text.strip(WHITE_SPACE) or None


# --- one cell -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A cell to write and the contract's verdict on it."""

    cell: object  # str; or a typed value (date, datetime, int, float, bool) for XLSX and Parquet
    verdict: str  # "valid", "invalid" or "unknown"
    means: object = None  # the typed value a valid cell loads as

    def __repr__(self) -> str:  # huge cells stay readable in a failure report
        cell = self.cell
        if isinstance(cell, str) and len(cell) > 60:
            cell = cell[:40] + f"…({len(cell)} chars)"
        return f"Value({cell!r}, {self.verdict!r}, {self.means!r})"


def _date_spellings(d: dt.date) -> list[str]:
    return [
        d.isoformat(), f"{d:%Y.%m.%d}", f"{d:%Y/%m/%d}", f"{d:%Y%m%d}", f"{d.year}. {d.month}. {d.day}.",
        f"{d.year}년 {d.month}월 {d.day}일", f"{d.isoformat()} 00:00:00", f"  {d.isoformat()}\u3000",
    ]


def _month_spellings(d: dt.date) -> list[str]:
    return [f"{d:%Y-%m}", f"{d:%Y%m}", f"{d.year}.{d.month}", f"{d.year}년 {d.month}월", *_date_spellings(d)]


def _integer_spellings(n: int) -> list[str]:
    return [str(n), f"{n:,}", f" {n} ", f"{n}.0", f"+{n}" if n >= 0 else str(n)]


def _spelled(strategy, spellings, fmt: str, typed: bool = True, means=lambda v: v):
    """A valid value of the column: written in any accepted spelling, or typed (XLSX, Parquet)."""
    @st.composite
    def build(draw):
        value = draw(strategy)
        choices = spellings(value)
        if typed and fmt in ("xlsx", "parquet"):
            choices = [*choices, value]
        return Value(draw(st.sampled_from(choices)), "valid", means(value))
    return build()


IMPOSSIBLE_DATES = ("2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "20241301", "24-01-02", "2024-1",
                    "0000-00-00", "2024-01-02-03", "2024/02/31", "99999-01-01", "yesterday", "1 Jan 2024", "45292")
IMPOSSIBLE_MONTHS = ("2024-13", "2024-00", "202413", "24-01", "2024-1-", "0000-00", "99999-01", "2024-01-32",
                     "2024년 13월", "May 2024", "yesterday")
NOT_INTEGERS = ("1.5", "1e3", "12abc", "\u0661\u0662\u0663", "\uff11\uff12\uff13", "99999999999999999999", "1,23",
                "--1", "0x10", "\u00bd", "1 000", "١", "one", "1_000", "∞")
NOT_DECIMALS = ("nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "9" * 400, "1.2.3", "abc", "1,2345",
                "1e", ".", "+-1", "0x1p3", "1,5")
NOT_BOOLEANS = ("maybe", "2", "t", "f", "on", "off", "예", "아니오", "truee", "-1")
COMMON_ODD = ("NULL", "None", "null", "N/A", "-", "#N/A", "#REF!", "\u202eevil", "\ufeff", "\u200b", "e\u0301",
              "😀😀", "'; drop table institutions; --", "%s", "{}", "{0}", "${x}", "\\", '"', '""', ",", "a,b",
              "\r\n", "line\nbreak", "\x1b[31mred", "\x07", "_x0041_")


def _huge() -> st.SearchStrategy[str]:
    return st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "가", "9", "😀", ",", " "]),
                     st.sampled_from([201, 1_000, 5_000, 40_000]))


def _odd_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PAYLOADS + COMMON_ODD),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")), max_size=8),
        _huge(),
    )


def _empty() -> st.SearchStrategy[str]:
    return st.text(alphabet=WHITE_SPACE, max_size=3)


def cell_values(table: str, column: str, fmt: str) -> st.SearchStrategy[Value]:
    """Hostile, odd and valid values of one column, each with its verdict."""
    spec = schema.TABLES[table].column(column)
    kind = spec.type
    low, high, exclusive = LIMITS.get((table, column), (None, None, False))

    empty = _empty().map(lambda s: _text_verdict(table, column, s))
    odd = _odd_text().map(lambda s: _text_verdict(table, column, s))
    options = [empty, odd]

    # Excel counts 1900 as a leap year: typed cells before March 1900 are a day off in every reader.
    earliest = dt.date(1900, 3, 1) if fmt == "xlsx" else EARLIEST
    if kind == "date":
        valid = _spelled(st.dates(earliest, LATEST), _date_spellings, fmt)
        out = st.one_of(st.dates(dt.date(1000, 1, 1), dt.date(1899, 12, 31)),
                        st.dates(dt.date(2101, 1, 1), dt.date(9999, 12, 31)))
        options += [valid, valid, out.map(lambda d: Value(d.isoformat(), "invalid")),
                    st.sampled_from(IMPOSSIBLE_DATES).map(lambda s: Value(s, "invalid"))]
        if fmt == "xlsx":
            options.append(st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 12, 31)).map(
                lambda t: Value(t.replace(microsecond=0), "valid", t.date())))
    elif kind == "month":
        valid = _spelled(st.dates(earliest, LATEST), _month_spellings, fmt, means=lambda d: d.replace(day=1))
        options += [valid, valid, st.sampled_from(IMPOSSIBLE_MONTHS).map(lambda s: Value(s, "invalid"))]
    elif kind == "integer":
        lo = -(10**15) if low is None else int(low)
        hi = 10**15 if high is None else int(high)
        valid = _spelled(st.integers(lo, hi), _integer_spellings, fmt)
        options += [valid, valid, st.sampled_from(NOT_INTEGERS).map(lambda s: Value(s, "invalid"))]
        if low is not None:
            options.append(st.integers(lo - 10**6, lo - 1).map(lambda n: Value(str(n), "invalid")))
        if high is not None:
            options.append(st.integers(hi + 1, hi + 10**6).map(lambda n: Value(str(n), "invalid")))
    elif kind == "decimal":
        lo = -1e12 if low is None else float(low)
        hi = 1e12 if high is None else float(high)
        floats = st.floats(lo, hi, exclude_min=exclusive, allow_nan=False, allow_infinity=False)
        if fmt == "xlsx":  # a spreadsheet keeps 15 significant digits; so does calamine
            floats = st.floats(max(lo, -1e6), min(hi, 1e6), allow_nan=False).map(lambda x: round(x, 4)).filter(
                lambda x: x > lo or not exclusive)
        options += [_spelled(floats, lambda x: [repr(x), f" {x!r} "] + ([f"{x:,}"] if abs(x) >= 1000 else []), fmt),
                    st.sampled_from(NOT_DECIMALS).map(lambda s: Value(s, "invalid"))]
        if fmt == "parquet":
            options.append(st.sampled_from([math.nan, math.inf, -math.inf]).map(lambda x: Value(x, "invalid")))
        if low is not None:
            below = st.floats(lo - 1e6, lo, exclude_max=not exclusive, allow_nan=False)
            options.append(below.map(lambda x: Value(repr(x), "invalid")))
        if high is not None:
            above = st.floats(hi, hi + 1e6, exclude_min=True, allow_nan=False)
            options.append(above.map(lambda x: Value(repr(x), "invalid")))
    elif kind == "boolean":
        spelled = st.sampled_from([(s, True) for s in TRUE] + [(s, False) for s in FALSE])
        options += [st.tuples(spelled, st.sampled_from([str.lower, str.upper, str.title])).map(
                        lambda p: Value(p[1](p[0][0]), "valid", p[0][1])),
                    st.sampled_from(NOT_BOOLEANS).map(lambda s: Value(s, "invalid"))]
        if fmt in ("xlsx", "parquet"):
            options.append(st.booleans().map(lambda b: Value(b, "valid", b)))
    elif kind == "enum":
        cases = st.sampled_from([str, str.upper, str.title, lambda s: f" {s}\u3000"])
        options += [st.tuples(st.sampled_from(spec.values), cases).map(lambda p: Value(p[1](p[0]), "valid", p[0])),
                    st.sampled_from(spec.values).map(lambda v: Value(v + "s", "invalid")),
                    st.sampled_from(spec.values).map(lambda v: Value(_fullwidth(v), "invalid"))]
    elif (table, column) in PATTERNS:
        not_ids = st.sampled_from(["EX H9", "x" * 33, "기관1", "EX/H9", "EX.H9"])
        options += [st.from_regex(ID_PATTERN, fullmatch=True).map(lambda s: Value(s, "valid", s)),
                    not_ids.map(lambda s: Value(s, "invalid"))]
    if fmt in ("xlsx", "parquet") and kind in ("text", "enum"):
        options.append(st.integers(-(10**9), 10**9).map(lambda n: _text_verdict(table, column, n)))
    return st.one_of(options)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _text_verdict(table: str, column: str, cell) -> Value:
    """The verdict on a cell the strategy did not build for the column's type."""
    spec = schema.TABLES[table].column(column)
    text = cell if isinstance(cell, str) else str(cell)
    value = stripped(text)
    if column == "region_code":  # any spelling of a region, or empty where the coordinates give it
        return Value(cell, "unknown")
    if value is None:
        return Value(cell, "invalid" if spec.required else "valid", None)
    if spec.type == "enum":
        return Value(cell, "valid", value.lower()) if value.lower() in spec.values else Value(cell, "invalid")
    if spec.type != "text":
        return Value(cell, "unknown")  # a date, number or boolean: the cell tests decide those
    if (table, column) in PATTERNS:
        return Value(cell, "valid", value) if re.fullmatch(ID_PATTERN, value) else Value(cell, "invalid")
    if (table, column) in LENGTHS and len(value) > LENGTHS[(table, column)]:
        return Value(cell, "invalid")
    if (table, column) in REFERENCE_COLUMNS:
        return Value(cell, "unknown") if value in KNOWN_IDS else Value(cell, "invalid")
    return Value(cell, "valid", value)


# --- files from rows ----------------------------------------------------------------------------------


def text_of(value) -> str:
    """How a person types a typed value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_bytes(header: list, rows: list[list], encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(["" if h is None else h for h in header])
    for row in rows:
        writer.writerow([c if isinstance(c, str) else text_of(c) for c in row])
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # CP949 holds only Korean and ASCII
        return text.encode("utf-8")


_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _xlsx_cell(sheet, row: int, column: int, value) -> None:
    if isinstance(value, str):
        # Excel escapes text that looks like its own escape (_x0041_ is "A"); openpyxl does not.
        value = _ESCAPE_LIKE.sub(r"_x005F_\1", xlsx_cell_written(value))
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text cell, as Excel keeps a value typed after an apostrophe


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry; rows[0] is the header."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    _xlsx_cell(sheet, r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return _without_times(buffer.getvalue())


_W3CDTF = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _without_times(xlsx: bytes) -> bytes:
    """The same workbook whenever it is written (openpyxl stamps the time), so hypothesis sees
    the same bytes for the same draws."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = _W3CDTF.sub(b"2026-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


XLSX_CELL_CHARACTERS = 32_767  # Excel's limit; openpyxl cuts longer text to it


def xlsx_cell_written(value):
    """What an XLSX cell holds after writing `value`: no characters XML cannot hold, and no
    more than a cell can."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_CHARACTERS] if isinstance(value, str) else value


_ARROW = {"text": pa.string(), "enum": pa.string(), "date": pa.date32(), "month": pa.date32(),
          "integer": pa.int64(), "decimal": pa.float64(), "boolean": pa.bool_()}


def parquet_bytes(table: str | None, header: list, rows: list[list], typed: bool) -> bytes:
    """Typed columns where every value fits the column's type, text otherwise."""
    arrays = []
    for index, name in enumerate(header):
        values = [row[index] if index < len(row) else None for row in rows]
        kind = None
        if typed and table and name in schema.TABLES[table].column_names:
            kind = schema.TABLES[table].column(name).type
        arrow_type = _ARROW.get(kind, pa.string())
        if arrow_type != pa.string() and all(_fits(v, kind) for v in values):
            arrays.append(pa.array(values, type=arrow_type))
        else:
            texts = [None if v is None else (v if isinstance(v, str) else text_of(v)) for v in values]
            arrays.append(pa.array(texts, type=pa.string()))
    names = ["" if h is None else str(h) for h in header]
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), buffer)
    return buffer.getvalue()


def _fits(value, kind: str) -> bool:
    if value is None:
        return True
    if kind in ("date", "month"):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if kind == "decimal":
        return isinstance(value, float | int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return False


@dataclass(frozen=True)
class Shape:
    """How one table is written: format, file name, encoding and line ending of a CSV."""

    fmt: str
    name: str
    encoding: str = "utf-8"
    newline: str = "\r\n"
    typed: bool = True  # Parquet: typed columns where they fit


def shapes(table: str) -> st.SearchStrategy[Shape]:
    csv_names = st.sampled_from([f"{table}.csv", f"{table.upper()}.CSV", f"{table}_2026-11.csv", f"{table} (1).csv"])
    return st.one_of(
        st.builds(Shape, st.just("csv"), csv_names, st.sampled_from(ENCODINGS), st.sampled_from(["\r\n", "\n"])),
        st.builds(Shape, st.just("xlsx"), st.sampled_from([f"{table}.xlsx", "submission.xlsx"])),
        st.builds(Shape, st.just("parquet"), st.just(f"{table}.parquet"), typed=st.booleans()),
    )


def render(table: str, shape: Shape, header: list, rows: list[list]) -> Submission:
    if shape.fmt == "csv":
        return Submission(shape.name, csv_bytes(header, rows, shape.encoding, shape.newline))
    if shape.fmt == "xlsx":
        return Submission(shape.name, xlsx_bytes({table: [header, *rows]}))
    return Submission(shape.name, parquet_bytes(table, header, rows, shape.typed))


def example_rows(table: str) -> list[list]:
    spec = schema.TABLES[table]
    return [[row.get(c) for c in spec.column_names] for row in example.ROWS[table]]


# --- one cell of a valid table changed --------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """The example rows of one table, written as `shape`, with one cell replaced by `value`."""

    table: str
    row: int  # index into the example rows; the spreadsheet row is row + 2
    column: str
    value: Value
    shape: Shape

    @property
    def spreadsheet_row(self) -> int:
        return self.row + 2

    @property
    def original(self):
        return example.ROWS[self.table][self.row].get(self.column)

    def submission(self) -> Submission:
        spec = schema.TABLES[self.table]
        rows = example_rows(self.table)
        rows[self.row][spec.column_names.index(self.column)] = self.value.cell
        return render(self.table, self.shape, list(spec.column_names), rows)


def respelled(table: str, column: str, original, fmt: str) -> st.SearchStrategy[Value]:
    """The example's own value in another spelling the contract accepts: it must read the same."""
    kind = schema.TABLES[table].column(column).type
    if original is None or column == "region_code":
        return st.just(_text_verdict(table, column, text_of(original)))
    typed = [original] if fmt in ("xlsx", "parquet") else []
    spellings = {
        "date": lambda: _date_spellings(original), "month": lambda: _month_spellings(original),
        "integer": lambda: _integer_spellings(original),
        "decimal": lambda: [repr(float(original)), f" {float(original)!r} ", f"{float(original):,}"],
        "boolean": lambda: [s.upper() for s in (TRUE if original else FALSE)],
        "enum": lambda: [original.upper(), original.title(), f" {original}\u3000"],
        "text": lambda: [f" {original} ", f"\u3000{original}\t"],
    }[kind]()
    return st.sampled_from([*spellings, *typed]).map(lambda cell: Value(cell, "valid", original))


@st.composite
def mutations(draw) -> Mutation:
    """One cell of the example: mostly a hostile or odd value, sometimes its own value spelled
    another way (which must load as it is: unchanged)."""
    table = draw(st.sampled_from(schema.LOAD_ORDER))
    spec = schema.TABLES[table]
    row = draw(st.integers(0, len(example.ROWS[table]) - 1))
    column = draw(st.sampled_from(spec.column_names))
    shape = draw(shapes(table))
    if draw(st.sampled_from(["hostile", "hostile", "hostile", "respelled"])) == "respelled":
        value = draw(respelled(table, column, example.ROWS[table][row].get(column), shape.fmt))
    else:
        value = draw(cell_values(table, column, shape.fmt))
    if shape.fmt == "xlsx" and isinstance(value.cell, str) and xlsx_cell_written(value.cell) != value.cell:
        value = _text_verdict(table, column, xlsx_cell_written(value.cell))
    return Mutation(table, row, column, value, shape)


# --- batches that obey every rule -------------------------------------------------------------------


@dataclass
class Batch:
    """Typed rows per table (all contract columns), and how each table is written."""

    rows: dict[str, list[dict]]
    shapes: dict[str, Shape]
    extra: list[Submission] = field(default_factory=list)  # files added by a hostile change
    broken: str = ""  # what a hostile change did; "" for a batch that must load

    def header(self, table: str) -> list[str]:
        return list(schema.TABLES[table].column_names)

    def submissions(self) -> list[Submission]:
        """One file per table (tables given the same workbook name share it as sheets), and the extras."""
        files: dict[str, Submission] = {}
        workbooks: dict[str, dict[str, list[list]]] = {}
        for table, rows in self.rows.items():
            header = self.header(table)
            body = [[row.get(h) for h in header] for row in rows]
            shape = self.shapes[table]
            if shape.fmt == "xlsx":
                workbooks.setdefault(shape.name, {})[table] = [header, *body]
            else:
                files[shape.name] = render(table, shape, header, body)
        for name, sheets in workbooks.items():
            files[name] = Submission(name, xlsx_bytes(sheets))
        return [*files.values(), *self.extra]

    def __repr__(self) -> str:
        extra = [s.name for s in self.extra]
        return f"Batch(broken={self.broken!r}, rows={self.rows!r}, shapes={self.shapes!r}, extra={extra})"


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(0, 9999).map(lambda n: f"FZ-{prefix}{n}")


def _dates(low: dt.date = dt.date(2015, 1, 1), high: dt.date = dt.date(2030, 12, 31)):
    return st.dates(low, high)


def _decimals(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))


@st.composite
def _institution(draw, key: str) -> dict:
    kind = draw(st.sampled_from(schema.INSTITUTION_KINDS))
    spelling, code = draw(st.sampled_from([("11", "11"), ("서울특별시", "11"), ("Busan", "26"), ("42", "51"),
                                           ("강원특별자치도", "51"), ("Sejong", "36"), ("제주특별자치도", "50")]))
    names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    return {
        "institution_id": key, "name_en": draw(names.filter(lambda s: stripped(s) == s)),
        "name_ko": draw(st.none() | st.sampled_from(["누리병원", "한빛제약", "서울 연구소", "가나다 대학교"])),
        "kind": kind,
        "hospital_tier": draw(st.none() | st.sampled_from(schema.HOSPITAL_TIERS)) if kind == "hospital" else None,
        "company_sector": draw(st.none() | st.sampled_from(schema.COMPANY_SECTORS)) if kind == "company" else None,
        "region_code": (spelling, code),
        "latitude": None, "longitude": None,
        "joined_on": draw(_dates()),
        "infrastructure_since": draw(st.none() | st.integers(2020, 2030)) if kind == "hospital" else None,
        "safe_centre_since": draw(st.none() | _dates()),
    }


@st.composite
def _agreement(draw, key: str, requesters) -> dict:
    signed = draw(_dates())
    return {
        "agreement_id": key, "signed_on": signed, "requester_id": draw(st.sampled_from(requesters)),
        "research_area": draw(st.sampled_from(schema.RESEARCH_AREAS)),
        "title": draw(st.none() | st.sampled_from(["폐암 치료 성과", "Stroke registry, phase 2", '"Quoted"', "=SUM(A1)"])),
        "status": draw(st.sampled_from(schema.AGREEMENT_STATUSES)),
        "ends_on": draw(st.none() | _dates(signed)),
    }


@st.composite
def _request(draw, key: str, parties) -> dict:
    agreement, hospital = draw(st.sampled_from(parties))
    status = draw(st.sampled_from(schema.REQUEST_STATUSES))
    requested = draw(_dates())
    approved = draw(_dates(requested)) if status in ("approved", "delivered") else draw(st.none() | _dates(requested))
    delivered = draw(_dates(approved)) if status == "delivered" else None
    mode = draw(st.sampled_from(schema.ACCESS_MODES))
    return {
        "request_id": key, "agreement_id": agreement, "hospital_id": hospital, "requested_on": requested,
        "approved_on": approved, "delivered_on": delivered, "status": status,
        "data_type": draw(st.sampled_from(schema.DATA_TYPES)), "access_mode": mode,
        "centre_id": draw(st.sampled_from(CENTRES)) if mode == "safe_centre" else None,
        "patients": draw(st.none() | st.integers(0, 10**7)), "records": draw(st.none() | st.integers(0, 10**9)),
    }


@st.composite
def _usage(draw, key: tuple) -> dict:
    return {"centre_id": key[0], "month": key[1], "sessions": draw(st.integers(0, 10**4)),
            "researcher_hours": draw(_decimals(0, 1e5)), "researchers": draw(st.integers(0, 500))}


@st.composite
def _quality(draw, key: tuple) -> dict:
    denominator = draw(st.integers(0, 10**9))
    return {"institution_id": key[0], "assessed_on": key[1], "check_id": key[2],
            "category": draw(st.sampled_from(schema.QUALITY_CATEGORIES)),
            "context": draw(st.sampled_from(schema.QUALITY_CONTEXTS)),
            "cdm_table": draw(st.sampled_from(["person", "visit_occurrence", "measurement"])),
            "violated_rows": draw(st.integers(0, denominator)), "denominator_rows": denominator,
            "threshold_pct": draw(_decimals(0, 100)), "not_applicable": draw(st.none() | st.booleans()),
            "cdm_field": draw(st.none() | st.sampled_from(["gender_concept_id", "visit_end_date"])),
            "status": draw(st.none() | st.sampled_from(schema.QUALITY_STATUSES)),
            "message": draw(st.none() | st.sampled_from(["Table DEATH is empty.", "timeout, 쿼리 시간 초과"]))}


@st.composite
def _consultation(draw, key: str, institutions) -> dict:
    return {"consultation_id": key, "institution_id": draw(st.sampled_from(institutions)), "held_on": draw(_dates()),
            "topic": draw(st.sampled_from(schema.CONSULTATION_TOPICS)),
            "hours": draw(_decimals(0.001, 1000)), "satisfaction": draw(st.none() | st.integers(1, 5))}


def _keyed(draw, keys: st.SearchStrategy, build, max_size: int = 3) -> list[dict]:
    return [draw(build(k)) for k in draw(st.lists(keys, min_size=1, max_size=max_size, unique=True))]


@st.composite
def valid_batch(draw, include: str | None = None) -> Batch:
    """Rows of 1-3 tables (with `include` among them) that obey every rule, new keys and keys
    that replace loaded rows, with references into the same batch and into the loaded example."""
    tables = draw(st.lists(st.sampled_from(schema.LOAD_ORDER), min_size=1, max_size=3, unique=True))
    if include is not None and include not in tables:
        tables = [include, *tables[:2]]
    rows: dict[str, list[dict]] = {}
    institutions, requesters, agreements = list(INSTITUTIONS), list(REQUESTERS), []
    if "institutions" in tables:
        rows["institutions"] = _keyed(draw, _ids("I"), _institution)
        institutions += [r["institution_id"] for r in rows["institutions"]]
        requesters += [r["institution_id"] for r in rows["institutions"] if r["kind"] in schema.REQUESTER_KINDS]
    if "agreements" in tables:
        rows["agreements"] = _keyed(draw, _ids("A") | st.sampled_from(AGREEMENTS), lambda k: _agreement(k, requesters))
        agreements = [r["agreement_id"] for r in rows["agreements"]]
    if "agreement_hospitals" in tables:
        pairs = st.tuples(st.sampled_from(agreements + list(AGREEMENTS)), st.sampled_from(HOSPITALS))
        rows["agreement_hospitals"] = [{"agreement_id": a, "hospital_id": h}
                                       for a, h in draw(st.lists(pairs, min_size=1, max_size=3, unique=True))]
    if "data_requests" in tables:
        rows["data_requests"] = _keyed(draw, _ids("R") | st.sampled_from(["EX-R1", "EX-R2", "EX-R3"]),
                                       lambda k: _request(k, PARTIES))
    if "centre_usage" in tables:
        months = _dates().map(lambda d: d.replace(day=1))
        rows["centre_usage"] = _keyed(draw, st.tuples(st.sampled_from(CENTRES), months), _usage)
    if "quality_checks" in tables:
        checks = st.sampled_from(["isRequired.person.gender_concept_id",
                                  "plausibleValueHigh.measurement.value_as_number",
                                  "fz.check"])
        rows["quality_checks"] = _keyed(draw, st.tuples(st.sampled_from(HOSPITALS), _dates(), checks), _quality)
    if "consultations" in tables:
        rows["consultations"] = _keyed(draw, _ids("K") | st.just("EX-K1"), lambda k: _consultation(k, institutions))
    # Loaded in contract order, whichever order the files come in.
    order = draw(st.permutations(list(rows)))
    shapes_ = {t: draw(shapes(t)) for t in order}
    return Batch({t: rows[t] for t in order}, shapes_)


def typed(batch: Batch) -> dict[str, list[dict]]:
    """The rows as the database must hold them (regions as their current code)."""
    result = {}
    for table, rows in batch.rows.items():
        result[table] = [{c: v[1] if c == "region_code" and isinstance(v, tuple) else v for c, v in r.items()}
                         for r in rows]
    return result


def written(batch: Batch) -> Batch:
    """The batch with regions written as their spelling."""
    rows = {t: [{c: (v[0] if c == "region_code" and isinstance(v, tuple) else v) for c, v in r.items()} for r in rs]
            for t, rs in batch.rows.items()}
    return replace(batch, rows=rows)


# --- breaking a valid batch -----------------------------------------------------------------------------

# A value the contract refuses, per column type (the cell tests cover the spellings).
BAD = {"date": "2024-02-30", "month": "2024-13", "integer": "12abc", "decimal": "1.2.3", "boolean": "maybe",
       "enum": "nonsense"}
WRONG_REFERENCE = {("agreements", "requester_id"): "EX-H1", ("agreement_hospitals", "hospital_id"): "EX-C1",
                   ("data_requests", "centre_id"): "EX-C1", ("centre_usage", "centre_id"): "EX-U1",
                   ("quality_checks", "institution_id"): "EX-P1"}


# The ways to break one table of a valid batch that the contract must refuse, and the tables
# each applies to.
BREAKS = {
    "bad_cell": [t for t, spec in schema.TABLES.items() if any(c.type in BAD for c in spec.columns)],
    "missing_required": list(schema.LOAD_ORDER),
    "duplicate_key": list(schema.LOAD_ORDER),
    "dangling": sorted({t for t, _ in REFERENCE_COLUMNS}),
    "wrong_kind": sorted({t for t, _ in WRONG_REFERENCE}),
    "out_of_range": [t for t, spec in schema.TABLES.items() if any(c.type == "date" for c in spec.columns)],
    "junk_file": list(schema.LOAD_ORDER),
    "empty_file": list(schema.LOAD_ORDER),
    "repeated_file": list(schema.LOAD_ORDER),
    "unknown_column": list(schema.LOAD_ORDER),
    "missing_column": list(schema.LOAD_ORDER),
    "header_only_extra": list(schema.LOAD_ORDER),
}


@st.composite
def hostile_batch(draw, how: str) -> Batch:
    """A valid batch broken in one way (a key of BREAKS) that the contract must refuse: the
    whole batch then loads nothing."""
    table = draw(st.sampled_from(BREAKS[how]))
    batch = written(draw(valid_batch(include=table)))
    spec = schema.TABLES[table]
    rows = batch.rows[table]
    index = draw(st.integers(0, len(rows) - 1))
    row = dict(rows[index])
    if how == "bad_cell":
        column = draw(st.sampled_from([c for c in spec.columns if c.type in BAD]))
        row[column.name] = BAD[column.type]
    elif how == "missing_required":
        row[draw(st.sampled_from([c.name for c in spec.columns if c.required]))] = draw(_empty())
    elif how == "dangling":
        column = draw(st.sampled_from(sorted(c for t, c in REFERENCE_COLUMNS if t == table)))
        if column == "centre_id":
            row["access_mode"] = "safe_centre"
        row[column] = "FZ-NOWHERE"
    elif how == "wrong_kind":
        column = next(c for t, c in WRONG_REFERENCE if t == table)
        if column == "centre_id":
            row["access_mode"] = "safe_centre"
        row[column] = WRONG_REFERENCE[(table, column)]
    elif how == "out_of_range":
        column = draw(st.sampled_from([c.name for c in spec.columns if c.type == "date"]))
        row[column] = draw(st.sampled_from(["1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"]))
    rows[index] = row
    if how == "duplicate_key":
        rows.insert(draw(st.integers(0, len(rows))), row)
    elif how == "junk_file":
        batch.extra.append(Submission(draw(st.sampled_from(["noise.bin", "notes.txt", "upload"])),
                                      draw(st.binary(min_size=1, max_size=200))))
    elif how == "empty_file":
        batch.extra.append(Submission("more.csv", draw(st.sampled_from([b"", b"\r\n", b"   \n\n", codecs.BOM_UTF8]))))
    elif how == "repeated_file":
        batch.extra.append(batch.submissions()[0])
    elif how == "header_only_extra":  # a second file of the table: only a header, with a typo in it
        header = batch.header(table)
        batch.extra.append(Submission(f"{table}_extra.csv", csv_bytes([*header[:-1], header[-1] + "x"], [])))
    elif how in ("unknown_column", "missing_column"):
        header = batch.header(table)
        body = [[r.get(h) for h in header] for r in rows]
        if how == "unknown_column":
            header, body = [*header, "remarks"], [[*b, "note"] for b in body]
        else:
            drop = header.index(draw(st.sampled_from([c.name for c in spec.columns if c.required])))
            header, body = header[:drop] + header[drop + 1:], [b[:drop] + b[drop + 1:] for b in body]
        shape = batch.shapes.pop(table)
        del batch.rows[table]
        batch.extra.append(render(table, replace(shape, name="fixed_" + shape.name), header, body))
    return replace(batch, broken=how)


# --- whole files that are broken ----------------------------------------------------------------------


@st.composite
def shaped_file(draw) -> Submission:
    """A table file with a damaged header and rows of odd cells, in any format."""
    table = draw(st.sampled_from(schema.LOAD_ORDER))
    spec = schema.TABLES[table]
    header: list = list(spec.column_names)
    changes = st.lists(st.sampled_from(["drop", "unknown", "duplicate", "blank", "case", "shuffle"]), max_size=3)
    for change in draw(changes):
        if change == "drop" and header:
            header.pop(draw(st.integers(0, len(header) - 1)))
        elif change == "unknown":
            unknown = st.sampled_from(["remarks", "institution id", "비고", "Kind2", "", "=A1"])
            header.insert(draw(st.integers(0, len(header))), draw(unknown))
        elif change == "duplicate" and header:
            header.append(draw(st.sampled_from(header)))
        elif change == "blank":
            header.insert(draw(st.integers(0, len(header))), None)
        elif change == "case":
            header = [f"  {h.upper()} " if isinstance(h, str) else h for h in header]
        elif change == "shuffle":
            header = draw(st.permutations(header))
    fmt = draw(st.sampled_from(FORMATS))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = []
        for name in header:
            key = name.strip().lower() if isinstance(name, str) else None
            if key in spec.column_names:
                row.append(draw(cell_values(table, key, fmt)).cell)
            else:
                row.append(draw(st.none() | st.sampled_from(["x", "1", ""])))
        ragged = draw(st.sampled_from(["", "", "", "more", "fewer"]))
        if ragged == "more":
            row += draw(st.lists(st.sampled_from(["extra", "", "1"]), min_size=1, max_size=3))
        elif ragged == "fewer" and row:
            row = row[: draw(st.integers(0, len(row) - 1))]
        rows.append(row)
    if draw(st.booleans()):
        rows += [[None] * len(header)] * draw(st.integers(1, 2))  # empty rows at the end
    if fmt == "csv":
        name = draw(st.sampled_from([f"{table}.csv", "upload.csv", "data.txt"]))
        data = csv_bytes(header, rows, draw(st.sampled_from(ENCODINGS)), draw(st.sampled_from(["\r\n", "\n", "\r"])))
        if draw(st.booleans()):
            data = b"\r\n" * draw(st.integers(1, 2)) + data  # empty rows above the header
        return Submission(name, data)
    if fmt == "xlsx":
        sheet = draw(st.sampled_from([table, table.upper(), "Sheet1", table[:-1]]))
        width = max([len(header), *map(len, rows)]) if rows else len(header)
        rows = [r + [None] * (width - len(r)) for r in rows]
        return Submission(f"{table}.xlsx", xlsx_bytes({sheet: [header, *rows]}))
    width = len(header)
    rows = [r[:width] + [None] * (width - len(r)) for r in rows]
    return Submission(f"{table}.parquet", parquet_bytes(table, header, rows, draw(st.booleans())))


@st.composite
def damaged(draw, whole: st.SearchStrategy[Submission]) -> Submission:
    """A file cut short, with bytes flipped, or with bytes spliced in."""
    file = draw(whole)
    data = bytearray(file.data)
    how = draw(st.sampled_from(["truncate", "flip", "splice", "prefix"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    elif how == "flip" and data:
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= draw(st.integers(1, 255))
    elif how == "splice":
        i = draw(st.integers(0, len(data)))
        data[i:i] = draw(st.binary(min_size=1, max_size=16))
    else:
        data[0:0] = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\0", b"PK\x03\x04", b"PAR1",
                                          b"\xff"]))
    return Submission(file.name, bytes(data))


def corrupt_first_part(xlsx: bytes) -> bytes:
    """The workbook with the compressed bytes of its first part inverted (its CRC then fails)."""
    data = bytearray(xlsx)
    name_length, extra_length = int.from_bytes(data[26:28], "little"), int.from_bytes(data[28:30], "little")
    start = 30 + name_length + extra_length
    for i in range(start, start + 8):
        data[i] ^= 0xFF
    return bytes(data)


@st.composite
def encoded_text(draw) -> Submission:
    """A valid CSV in an encoding the contract does not name, or with broken bytes in it."""
    table = draw(st.sampled_from(schema.LOAD_ORDER))
    text = csv_bytes(list(schema.TABLES[table].column_names), example_rows(table)).decode("utf-8")
    encoding = draw(st.sampled_from(["utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "euc-kr", "johab",
                                     "utf-8"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        i = draw(st.integers(0, len(data)))
        broken = st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\0", b"\xef\xbb\xbf", b"\x80\x80"])
        data = data[:i] + draw(broken) + data[i:]
    return Submission(draw(st.sampled_from([f"{table}.csv", f"{table}.xlsx", "upload"])), data)


def _valid_file() -> st.SearchStrategy[Submission]:
    return st.builds(lambda t, shape: render(t, shape, list(schema.TABLES[t].column_names), example_rows(t)),
                     st.sampled_from(schema.LOAD_ORDER), st.sampled_from(FORMATS).map(lambda f: Shape(f, "x." + f)))


class Upload:
    """A submitted file that prints short in a failure report: name, size, a hash and the first bytes."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data

    @classmethod
    def of(cls, submission: Submission) -> Upload:
        return cls(submission.name, submission.data)

    def submission(self) -> Submission:
        return Submission(self.name, self.data)

    def __repr__(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"Upload({self.name!r}, <{len(self.data)} bytes, sha256 {digest}…, starting {self.data[:48]!r}>)"


def hostile_files() -> st.SearchStrategy[Upload]:
    names = st.sampled_from(["institutions.csv", "consultations.xlsx", "data.parquet", "agreements.CSV", "upload",
                             "centre_usage.parquet", "report.pdf"])
    files = st.one_of(
        shaped_file(), shaped_file(),
        damaged(_valid_file()), damaged(shaped_file()),
        encoded_text(),
        st.builds(Submission, names, st.binary(max_size=300)),
        st.builds(Submission, names, st.sampled_from([b"", b" ", b"\r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                      b"\0" * 4, b"PK\x03\x04", b"PAR1", b"PAR1PAR1"])),
        st.builds(lambda t: Submission(f"{t}.csv", (",".join(schema.TABLES[t].column_names) + "\n").encode()),
                  st.sampled_from(schema.LOAD_ORDER)),  # header only
    )
    return files.map(Upload.of)
