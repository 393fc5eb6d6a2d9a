"""Charts for a room: the page's figure of a panel, suppressed, escaped, with larger text.

Shared by the meeting deck (PNG through kaleido) and the presentation mode (on screen).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import plotly.graph_objects as go
import polars as pl

from oversight import charts
from oversight.export.suppression import Suppression, masked_panel
from oversight.views.model import Panel

_render_lock = threading.Lock()
NO_PROXY = "127.0.0.1:9"  # the discard port: closed here, so any web request fails at once


class NoFigure(ValueError):
    """The panel's chart kind has no generic builder (its page draws it with its own)."""


def room_figure(panel: Panel, lang: str, threshold: int | None = None, font_size: int = 18,
                height: int | None = None) -> tuple[go.Figure, Suppression]:
    """The panel's chart with hidden counts left out and names shown as written."""
    masked, suppression = masked_panel(panel, threshold)
    try:
        fig = charts.figure(masked, lang)
    except ValueError as exc:
        raise NoFigure(str(exc)) from exc
    fig.update_layout(
        font=dict(family=charts.FONT_FAMILY, size=font_size),
        legend=dict(font=dict(size=font_size - 2)),
        margin=dict(l=20, r=20, t=50, b=20),
        hoverlabel=dict(font_size=font_size - 2),
    )
    x_type = panel.frame.schema.get(panel.chart.x) if panel.chart else None
    if x_type is not None and (x_type == pl.Date or isinstance(x_type, pl.Datetime)) and panel.chart.kind != "heatmap":
        axis = "y" if panel.chart.kind == "hbar" else "x"
        fig.update_layout({f"{axis}axis": dict(tickformat="%Y-%m", hoverformat="%Y-%m-%d")})  # the same in both languages
    if height is not None:
        fig.update_layout(height=height)
    fig.update_annotations(font_size=max(font_size - 6, 11))
    return fig, suppression


@contextlib.contextmanager
def image_renderer() -> Iterator[callable]:
    """One headless Chromium for a batch of chart images (kaleido's sync server), closed after.

    No request may leave the machine: MathJax is switched off (kaleido would otherwise load it
    from a CDN), and the browser's proxy is a closed local port, so nothing a figure names on
    the web can be fetched either. One batch at a time per process: the server is a singleton.
    """
    import kaleido

    with _render_lock:
        kaleido.start_sync_server(mathjax=False, proxy_server=NO_PROXY, silence_warnings=True)
        try:
            def render(fig: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes:
                fig = go.Figure(fig)
                fig.update_layout(width=width, height=height)
                return kaleido.calc_fig_sync(
                    fig.to_dict(), opts=dict(format="png", width=width, height=height, scale=scale)
                )

            yield render
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
