"""Text from data, made safe for the places exports put it.

- Spreadsheets: a cell whose text starts with = + - @ (or a tab, carriage return or line feed
  before one) is run as a formula by Excel and LibreOffice when typed, pasted or re-saved as
  CSV. The workbook writes such text as a string cell with the quote-prefix flag (Excel's
  leading apostrophe): the text stays exactly as it was and is never evaluated, even when the
  cell is edited.
- Plotly (charts on slides and in presentation mode) renders a few HTML tags in labels
  (<b>, <a href>, <br>): names are escaped so that they show as written.
- Control characters other than tab and line breaks are dropped from text on slides (XML
  cannot hold them).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import polars as pl

from oversight.views.model import Panel

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as the start of a formula?"""
    return text.startswith(FORMULA_TRIGGERS)


def plain_for_slides(text: object) -> str:
    """Text for a slide: control characters dropped, everything else as written."""
    return _CONTROL.sub("", str(text))


def plotly_text(text: object) -> str:
    """Text for a plotly label: shown as written, never as markup."""
    return html.escape(_CONTROL.sub("", str(text)), quote=False)


def plotly_safe_panel(panel: Panel) -> Panel:
    """The panel with every text cell and event label escaped for plotly."""
    text_columns = [c for c, dtype in panel.frame.schema.items() if dtype == pl.String]
    frame = panel.frame.with_columns(
        [pl.col(c).map_elements(plotly_text, return_dtype=pl.String) for c in text_columns]
    ) if text_columns and panel.frame.height else panel.frame
    chart = panel.chart
    if chart is not None:
        chart = replace(
            chart,
            events=tuple((day, plotly_text(label)) for day, label in chart.events),
            markers=tuple((day, plotly_text(label)) for day, label in chart.markers),
            markers_label=plotly_text(chart.markers_label),
        )
    return replace(panel, frame=frame, chart=chart)
