"""Charts for a room: the page's figure of a panel, suppressed, escaped, with larger text.

Shared by the meeting deck (PNG through kaleido, for the kinds PowerPoint cannot draw) and the presentation mode (on screen).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from oversight import charts
from oversight.charts import registry
from oversight.export.suppression import Suppression, masked_panel
from oversight.views.model import Panel

_render_lock = threading.Lock()
NO_PROXY = "127.0.0.1:9"  # the discard port: closed here, so any web request fails at once


class NoFigure(ValueError):
    """The panel's chart kind is not in the chart registry (a test fails for any declared one)."""


def room_figure(panel: Panel, lang: str, threshold: int | None = None, font_size: int = 18,
                height: int | None = None) -> tuple[go.Figure, Suppression]:
    """The panel's chart with hidden counts left out and names shown as written."""
    masked, suppression = masked_panel(panel, threshold)
    try:
        fig = go.Figure(registry.draw(masked, lang))  # a copy: drawn figures may be memoised
    except registry.UnknownKind as exc:
        raise NoFigure(str(exc)) from exc
    fig.update_layout(
        font=dict(family=charts.FONT_FAMILY, size=font_size),
        legend=dict(font=dict(size=font_size - 2)),
        margin=dict(l=20, r=20, t=50, b=20),
        hoverlabel=dict(font_size=font_size - 2),
    )
    x_type = panel.frame.schema.get(panel.chart.x) if panel.chart else None
    if x_type is not None and (x_type == pl.Date or isinstance(x_type, pl.Datetime)) and not registry.is_grid(panel):
        axis = "y" if registry.native_kind(panel) == "hbar" else "x"
        fig.update_layout({f"{axis}axis": dict(tickformat="%Y-%m", hoverformat="%Y-%m-%d")})  # the same in both languages
    if height is not None:
        fig.update_layout(height=height)
    fig.update_annotations(font_size=max(font_size - 6, 11))
    return fig, suppression


START_SECONDS = 6.0  # a healthy Chromium answers its first figure in about a second here
RENDER_SECONDS = 30.0


class RendererUnavailable(RuntimeError):
    """No chart pictures: Chromium is missing, failed, or did not answer in time. The message
    says which, for the deck's slides, the deck button and the command line."""


def _within(seconds: float, work: Callable[[], bytes], failure: str) -> bytes:
    """work() in a daemon thread, given up after `seconds`: kaleido waits forever for a
    browser that died, and a deck must never hang on it."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as exc:  # noqa: BLE001 - any renderer fault means the same to the deck: no picture
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="chart-renderer")
    thread.start()
    thread.join(seconds)
    if "value" in outcome:
        return outcome["value"]
    if "error" in outcome:
        raise RendererUnavailable(f"{failure}: {outcome['error']}") from outcome["error"]
    raise RendererUnavailable(f"{failure}: no answer within {seconds:.0f} s")


def browser_path() -> str | None:
    """The Chromium kaleido would start (BROWSER_PATH, else the system's), if it exists."""
    from choreographer.browsers import Chromium

    path = Chromium.find_browser(skip_local=False)
    return path if path and Path(path).is_file() else None


@contextlib.contextmanager
def image_renderer(start_seconds: float = START_SECONDS) -> Iterator[Callable[..., bytes]]:
    """One headless Chromium for a batch of chart images (kaleido's sync server), closed after.

    Raises RendererUnavailable at once when there is no browser, and within start_seconds when
    it does not render a first, empty figure. No request may leave the machine: MathJax is
    switched off (kaleido would otherwise load it from a CDN), and the browser's proxy is a
    closed local port, so nothing a figure names on the web can be fetched either. One batch at
    a time per process: the server is a singleton.
    """
    import kaleido

    if browser_path() is None:
        raise RendererUnavailable("no Chromium found (install chromium, or set BROWSER_PATH)")
    with _render_lock:
        kaleido.start_sync_server(mathjax=False, proxy_server=NO_PROXY, silence_warnings=True)
        try:
            def render(fig: go.Figure, width: int, height: int, scale: float = 2.0,
                       seconds: float = RENDER_SECONDS) -> bytes:
                fig = go.Figure(fig)
                fig.update_layout(width=width, height=height)
                opts = dict(format="png", width=width, height=height, scale=scale)
                return _within(seconds, lambda: kaleido.calc_fig_sync(fig.to_dict(), opts=opts),
                               "Chromium failed to draw a chart")

            render(go.Figure(), 10, 10, 1.0, seconds=start_seconds)
            yield render
        finally:
            stopping = threading.Thread(target=kaleido.stop_sync_server, kwargs=dict(silence_warnings=True),
                                        daemon=True)
            stopping.start()
            stopping.join(start_seconds)  # a browser that never started can leave close() waiting
