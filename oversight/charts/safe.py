"""Text from data in plotly figures: shown as written, never as markup.

Plotly renders a few HTML tags in labels, legends and hover text (<b>, <a href>, <br>), so a
name like '<a href=...>' would become a link. Every builder passes data text through here.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import polars as pl

from oversight.views.model import Panel

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{fffe}\x{ffff}]"


def plotly_text(text: object) -> str:
    """One label for plotly: control characters dropped, markup escaped."""
    return html.escape(_CONTROL.sub("", str(text)), quote=False)


def escape_column(column: str) -> pl.Expr:
    """The same as plotly_text, for a whole text column at once."""
    return (
        pl.col(column)
        .str.replace_all(_CONTROL_PATTERN, "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def safe_panel(panel: Panel) -> Panel:
    """The panel with every text cell and event label escaped for plotly."""
    text_columns = [c for c, dtype in panel.frame.schema.items() if dtype == pl.String]
    frame = panel.frame.with_columns([escape_column(c) for c in text_columns])
    chart = panel.chart
    if chart is not None:
        chart = replace(
            chart,
            events=tuple((day, plotly_text(label)) for day, label in chart.events),
            markers=tuple((day, plotly_text(label)) for day, label in chart.markers),
            markers_label=plotly_text(chart.markers_label),
        )
    return replace(panel, frame=frame, chart=chart)
