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

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as the start of a formula?"""
    return text.startswith(FORMULA_TRIGGERS)


def plain_for_slides(text: object) -> str:
    """Text for a slide: control characters dropped, everything else as written."""
    return _CONTROL.sub("", str(text))
