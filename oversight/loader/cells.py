"""Cells as text -> typed values, by the spellings of the data contract ("Formats").

Each column is parsed in one vectorised pass; a cell that does not parse becomes a problem
naming its row, column and value, and a null in the typed frame (so later rules skip it
instead of reporting the same cell twice).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from oversight import schema
from oversight.loader import problems
from oversight.loader.sources import Sheet

LOCATION = ("_row", "_file", "_sheet", "_order")

# Dates: YYYY-MM-DD, YYYY.MM.DD (also "2024. 3. 5." as Korean Excel shows it), YYYY/MM/DD,
# YYYYMMDD, "2024년 3월 5일"; a time of day after a date (an Excel date-time cell) is dropped.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
DATE_SPELLINGS = (
    (r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?" + _TIME + "$", "${1}-${2}-${3}"),
    (r"^(\d{4})(\d{2})(\d{2})$", "${1}-${2}-${3}"),
    (r"^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일$", "${1}-${2}-${3}"),
)
MONTH_SPELLINGS = (
    (r"^(\d{4})\s*[-./]\s*(\d{1,2})\.?$", "${1}-${2}-1"),
    (r"^(\d{4})(\d{2})$", "${1}-${2}-1"),
    (r"^(\d{4})년\s*(\d{1,2})월$", "${1}-${2}-1"),
)
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)  # beyond these, a typo

INTEGER = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$"
DECIMAL = r"^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
TRUE = ("true", "yes", "1", "y")
FALSE = ("false", "no", "0", "n")

# Per-column rules on a single value beyond its type.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
PATTERNS = {("institutions", "institution_id"): ID_PATTERN}
LENGTHS = {("institutions", "name_en"): 200, ("institutions", "name_ko"): 200}
# (table, column) -> (minimum, maximum, minimum excluded?)
LIMITS: dict[tuple[str, str], tuple[float | None, float | None, bool]] = {
    ("institutions", "latitude"): (-90, 90, False),
    ("institutions", "longitude"): (-180, 180, False),
    ("institutions", "infrastructure_since"): (2020, LATEST.year, False),
    ("data_requests", "patients"): (0, None, False),
    ("data_requests", "records"): (0, None, False),
    ("centre_usage", "sessions"): (0, None, False),
    ("centre_usage", "researcher_hours"): (0, None, False),
    ("centre_usage", "researchers"): (0, None, False),
    ("quality_checks", "violated_rows"): (0, None, False),
    ("quality_checks", "denominator_rows"): (0, None, False),
    ("quality_checks", "threshold_pct"): (0, 100, False),
    ("consultations", "hours"): (0, None, True),
    ("consultations", "satisfaction"): (1, 5, False),
}


def _normalise(text: pl.Expr, spellings) -> pl.Expr:
    chain = None
    for pattern, replacement in spellings:
        matched = text.str.contains(pattern)
        step = text.str.replace(pattern, replacement)
        chain = pl.when(matched).then(step) if chain is None else chain.when(matched).then(step)
    return chain.otherwise(None)


def parse_date(text: pl.Expr) -> pl.Expr:
    return _normalise(text, DATE_SPELLINGS).str.to_date("%Y-%m-%d", strict=False)


def parse_month(text: pl.Expr) -> pl.Expr:
    as_month = _normalise(text, MONTH_SPELLINGS).str.to_date("%Y-%m-%d", strict=False)
    return pl.coalesce(as_month, parse_date(text).dt.month_start())


def parse_integer(text: pl.Expr) -> pl.Expr:
    digits = text.str.replace_all(",", "").str.replace(r"\.0*$", "")
    return pl.when(text.str.contains(INTEGER)).then(digits).cast(pl.Int64, strict=False)


def parse_decimal(text: pl.Expr) -> pl.Expr:
    number = pl.when(text.str.contains(DECIMAL)).then(text.str.replace_all(",", "")).cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)  # "1e400" or 400 digits overflow to infinity: not a number


def parse_boolean(text: pl.Expr) -> pl.Expr:
    lower = text.str.to_lowercase()
    return pl.when(lower.is_in(TRUE)).then(True).when(lower.is_in(FALSE)).then(False).otherwise(None)


def parse_enum(text: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    lower = text.str.to_lowercase()
    return pl.when(lower.is_in(values)).then(lower).otherwise(None)


def _parsed(column: schema.Column, text: pl.Expr) -> pl.Expr:
    kind = column.type
    if kind == "date":
        return parse_date(text)
    if kind == "month":
        return parse_month(text)
    if kind == "integer":
        return parse_integer(text)
    if kind == "decimal":
        return parse_decimal(text)
    if kind == "boolean":
        return parse_boolean(text)
    if kind == "enum":
        return parse_enum(text, column.values)
    return text


DTYPES = {
    "text": pl.Utf8, "enum": pl.Utf8, "date": pl.Date, "month": pl.Date,
    "integer": pl.Int64, "decimal": pl.Float64, "boolean": pl.Boolean,
}


def parse(sheet: Sheet) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The sheet's rows typed by the contract (every column present, missing ones null), and
    the problems of its cells."""
    spec = schema.TABLES[sheet.table]
    frame = sheet.frame
    typed = []
    for column in spec.columns:
        if column.name in sheet.columns:
            typed.append(_parsed(column, pl.col(column.name)).alias(column.name))
        else:
            typed.append(pl.lit(None, dtype=DTYPES[column.type]).alias(column.name))
    parsed = frame.select(*typed, *LOCATION)

    found = []
    for column in spec.columns:
        if column.name not in sheet.columns:
            continue
        found.extend(_cell_problems(sheet.table, column, frame, parsed))
    return parsed, problems.combine(found)


def _cell_problems(table: str, column: schema.Column, text: pl.DataFrame, parsed: pl.DataFrame) -> list[pl.DataFrame]:
    name = column.name
    raw = text.get_column(name)
    value = parsed.get_column(name)
    where = text.select(*LOCATION).with_columns(raw.alias("_value"))
    found = []

    if column.required:
        found.append(problems.cells(where.filter(raw.is_null()), "cell.required", name, None))
    unreadable = raw.is_not_null() & value.is_null()
    if unreadable.any():
        rule, detail = _type_rule(column)
        found.append(problems.cells(where.filter(unreadable), rule, name, "_value", detail))

    if column.type in ("date", "month"):
        out = value.is_not_null() & ((value < EARLIEST) | (value > LATEST))
        found.append(problems.cells(where.filter(out), "cell.date_range", name, "_value",
                                    {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}))
    pattern = PATTERNS.get((table, name))
    if pattern is not None:
        found.append(problems.cells(where.filter(raw.is_not_null() & ~raw.str.contains(pattern)),
                                    "cell.identifier", name, "_value"))
    length = LENGTHS.get((table, name))
    if length is not None:
        found.append(problems.cells(where.filter(raw.str.len_chars() > length), "cell.too_long", name,
                                    "_value", {"max": length}))
    limits = LIMITS.get((table, name))
    if limits is not None:
        low, high, exclusive = limits
        below = (value <= low) if exclusive else (value < low) if low is not None else None
        if below is not None:
            rule = "cell.positive" if exclusive and low == 0 else "cell.min"
            found.append(problems.cells(where.filter(below.fill_null(False)), rule, name, "_value", {"min": low}))
        if high is not None:
            found.append(problems.cells(where.filter((value > high).fill_null(False)), "cell.max", name,
                                        "_value", {"max": high}))
    return found


def _type_rule(column: schema.Column) -> tuple[str, dict]:
    if column.type == "enum":
        return "cell.enum", {"allowed": ", ".join(column.values)}
    return f"cell.{column.type}", {}
