"""Text from data, made safe for the places exports put it.

- Spreadsheets: a cell whose text starts with = + - @ (or a tab, carriage return or line feed
  before one) is run as a formula by Excel and LibreOffice when typed, pasted or re-saved as
  CSV. The workbook writes such text as a string cell with the quote-prefix flag (Excel's
  leading apostrophe): the text stays exactly as it was and is never evaluated, even when the
  cell is edited.
- Plotly labels: escaped by the chart builders themselves (oversight/charts/safe.py).
- Control characters other than tab and line breaks are dropped from text on slides (XML
  cannot hold them).
"""

from __future__ import annotations

import io
import re

import polars as pl

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as the start of a formula?"""
    return text.startswith(FORMULA_TRIGGERS)


def plain_for_slides(text: object) -> str:
    """Text for a slide: control characters dropped, everything else as written."""
    return _CONTROL.sub("", str(text))


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """A frame as CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel on a Korean PC reads
    it right), text a spreadsheet would run as a formula given a leading apostrophe."""
    frame = frame.with_columns(
        [_neutralise(pl.col(c)).alias(c) for c, dtype in frame.schema.items() if dtype == pl.Utf8]
    )
    buffer = io.BytesIO()
    buffer.write("\ufeff".encode())
    frame.write_csv(buffer)
    return buffer.getvalue()


def _neutralise(column: pl.Expr) -> pl.Expr:
    starts = pl.any_horizontal([column.str.starts_with(p) for p in FORMULA_TRIGGERS])
    return pl.when(starts).then(pl.lit("'") + column).otherwise(column)
