"""What is wrong with a submission: one row per problem, naming where and which rule.

A problem names the file, the sheet, the row as a spreadsheet user sees it (header = row 1),
the column, the value and the rule. Problems are kept in a polars frame, not as objects: a
file with a wrong date format can hold half a million of them, and only the first ones are
ever turned into sentences.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import polars as pl

from oversight.i18n import t

SCHEMA = {
    "file": pl.Utf8,
    "sheet": pl.Utf8,
    "row": pl.Int64,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "rule": pl.Utf8,
    "detail": pl.Utf8,  # the rule's parameters as JSON, for its sentence
    "order": pl.Int64,  # position of the file in the batch, so problems list in file order
}
VALUE_SHOWN = 100  # characters of a value kept in a problem
LISTED = 200  # problems listed by default; the rest are counted


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def one(rule: str, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "",
        value: object = None, order: int = 0, **detail: object) -> pl.DataFrame:
    """A frame of a single problem (file-level or header-level problems are few)."""
    return pl.DataFrame(
        [{
            "file": file, "sheet": sheet, "row": row, "column": column,
            "value": None if value is None else _clip(str(value)),
            "rule": rule, "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
            "order": order,
        }],
        schema=SCHEMA,
    )


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


def cells(rows: pl.DataFrame, rule: str, column: str, value: str | pl.Expr | None,
          detail: Mapping[str, object] | None = None) -> pl.DataFrame:
    """Problems for many rows at once.

    `rows` carries the location columns `_file`, `_sheet`, `_row`, `_order`; `value` is an
    expression (or column name) giving the offending value of each row; a value of `detail`
    may be an expression too (e.g. the other date of a pair).
    """
    if rows.height == 0:
        return empty()
    if value is None:
        value_expr = pl.lit(None, dtype=pl.Utf8)
    elif isinstance(value, str):
        value_expr = pl.col(value).cast(pl.Utf8)
    else:
        value_expr = value.cast(pl.Utf8)
    return rows.select(
        pl.col("_file").alias("file"),
        pl.col("_sheet").alias("sheet"),
        pl.col("_row").cast(pl.Int64).alias("row"),
        pl.lit(column).alias("column"),
        pl.when(value_expr.str.len_chars() > VALUE_SHOWN)
        .then(value_expr.str.slice(0, VALUE_SHOWN - 1) + "…")
        .otherwise(value_expr)
        .alias("value"),
        pl.lit(rule).alias("rule"),
        _detail(detail).alias("detail"),
        pl.col("_order").cast(pl.Int64).alias("order"),
    )


def _detail(detail: Mapping[str, object] | None) -> pl.Expr:
    if not detail:
        return pl.lit(None, dtype=pl.Utf8)
    if not any(isinstance(v, pl.Expr) for v in detail.values()):
        return pl.lit(json.dumps(detail, ensure_ascii=False, default=str), dtype=pl.Utf8)
    fields = [(v if isinstance(v, pl.Expr) else pl.lit(v)).alias(k) for k, v in detail.items()]
    return pl.struct(fields).struct.json_encode()


def combine(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    frames = [f.select([pl.col(c).cast(dtype) for c, dtype in SCHEMA.items()]) for f in frames if f.height]
    if not frames:
        return empty()
    return pl.concat(frames, how="vertical").sort(["order", "sheet", "row", "column"], nulls_last=False)


def sentence(rule: str, detail: str | None, lang: str) -> str:
    """The rule a problem broke, as a sentence in `lang`."""
    values = json.loads(detail) if detail else {}
    if "suggestion" in values:  # a near column or table name, offered when there is one
        suggestion = values.pop("suggestion")
        values["hint"] = t("loader.hint.did_you_mean", lang, suggestion=suggestion) if suggestion else ""
    if "first_row" in values:  # where a duplicate key was first seen
        file, sheet, row = values.pop("first_file"), values.pop("first_sheet", ""), values.pop("first_row")
        values["first"] = t("loader.where_sheet" if sheet else "loader.where", lang, file=file, sheet=sheet, row=row)
    if "rule" in values:  # a rule quoted by another (a loaded row broken by the batch)
        values["rule"] = sentence(values["rule"], json.dumps({"kind": values.get("kind", "")}), lang)
    return t(f"loader.rule.{rule}", lang, **values)


COLUMNS = ("file", "sheet", "row", "column", "value", "problem")


def table(problems: pl.DataFrame, lang: str, limit: int | None = LISTED) -> pl.DataFrame:
    """The first `limit` problems, ready to show: localised headers, the rule as a sentence."""
    shown = problems if limit is None else problems.head(limit)
    sentences = [sentence(r, d, lang) for r, d in zip(shown["rule"], shown["detail"], strict=True)]
    frame = shown.select("file", "sheet", "row", "column", "value").with_columns(
        pl.Series("problem", sentences, dtype=pl.Utf8)
    )
    return frame.rename({c: t(f"loader.problem.{c}", lang) for c in COLUMNS})


def summary(problems: pl.DataFrame, lang: str) -> pl.DataFrame:
    """How many problems of each rule per file, sheet and column, with the first row: the way
    to read a file with thousands of the same mistake."""
    grouped = (
        problems.group_by(["order", "file", "sheet", "column", "rule"], maintain_order=True)
        .agg(pl.len().alias("count"), pl.col("row").min().alias("first_row"), pl.col("detail").first())
        .sort(["order", "sheet", "first_row", "column"], nulls_last=False)
    )
    sentences = [sentence(r, d, lang) for r, d in zip(grouped["rule"], grouped["detail"], strict=True)]
    frame = grouped.select("file", "sheet", "column", "count", "first_row").with_columns(
        pl.Series("problem", sentences, dtype=pl.Utf8)
    )
    names = {c: t(f"loader.problem.{c}", lang) for c in ("file", "sheet", "column", "count", "first_row", "problem")}
    return frame.rename(names)


def to_csv(problems: pl.DataFrame, lang: str, limit: int | None = 100_000) -> bytes:
    """Problems as CSV for a spreadsheet (safe_text.csv_bytes: formulas neutralised)."""
    from oversight.export.safe_text import csv_bytes

    return csv_bytes(table(problems, lang, limit))
