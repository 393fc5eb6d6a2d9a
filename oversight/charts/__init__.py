"""Chart builders: pure functions from a polars frame to a plotly figure.

This module holds the generic kinds a Panel's Chart names and the shared look; builders
specific to one area (the agreement network, the quality heatmap, the map) live beside it in
`oversight/charts/<area>.py`.

Colour-blind-safe palette (Okabe and Ito), fonts that render Korean, no external resources.
Column titles are translated here through `col.*` keys so axes read in the chosen language.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from oversight.charts.safe import safe_panel
from oversight.i18n import column_label
from oversight.views.model import Chart, Panel

# Okabe-Ito, then darker tones for series beyond eight.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#004C7A", "#A66F00", "#006B4E", "#8E4F74",
)
SEQUENTIAL = "Cividis"  # perceptually uniform and colour-blind safe
# Chart text on white: Streamlit's plotly theme draws ticks and axis titles at #808495 (3.7:1);
# these reach 4.5:1 and more (WCAG 1.4.3, docs/accessibility.md).
TEXT = "#0E1117"  # 18.9:1
MUTED_TEXT = "#4D4D4D"  # 8.5:1: ticks, annotations
# Colour never carries meaning alone (WCAG 1.4.1): series also differ by dash or fill pattern,
# and bars and slices have a dark outline, visible where a light palette colour is not.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")
OUTLINE = dict(color="#333333", width=0.8)
FONT_FAMILY = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours, 1 to 21."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb)."""
    return max(("#000000", "#ffffff"), key=lambda text: contrast(text, background))


def base_layout(fig: go.Figure, height: int = 380) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(family=FONT_FAMILY, size=13, color=TEXT),
        colorway=list(PALETTE),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text="",
                    font=dict(color=TEXT)),
        hovermode="closest",
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    axis_text = dict(gridcolor="#e5e5e5", tickfont=dict(color=MUTED_TEXT), title_font=dict(color=TEXT))
    fig.update_xaxes(**axis_text)
    fig.update_yaxes(**axis_text)
    fig.update_coloraxes(colorbar=dict(tickfont=dict(color=MUTED_TEXT), title_font=dict(color=TEXT)))
    fig.update_traces(colorbar=dict(tickfont=dict(color=MUTED_TEXT), title_font=dict(color=TEXT)),
                      selector=dict(type="heatmap"))
    return fig


def figure(panel: Panel, lang: str, kind: str | None = None) -> go.Figure:
    """The figure of a panel whose chart is one of the generic kinds, or drawn as generic `kind`
    (a page's own kind built on a generic one, e.g. the agreements' mix bars)."""
    if panel.chart is None:
        raise ValueError(f"panel {panel.key} has no chart")
    panel = safe_panel(panel)  # names from data are shown as written, never as markup
    chart = panel.chart
    builder = _BUILDERS.get(kind or chart.kind)
    if builder is None:
        raise ValueError(f"no generic builder for chart kind {kind or chart.kind!r}")
    fig = builder(panel.frame, chart, lang)
    if chart.y_format:
        fig.update_yaxes(tickformat=chart.y_format)
    for day, label in chart.events:
        add_event(fig, day, label)
    if chart.markers:
        add_markers(fig, chart.markers, chart.markers_label)
    return base_layout(fig)


def _series(frame: pl.DataFrame, chart: Chart):
    if chart.color is None:
        yield None, frame
        return
    for (name,), part in frame.group_by(chart.color, maintain_order=True):
        yield name, part


def _axes(fig: go.Figure, chart: Chart, lang: str) -> go.Figure:
    fig.update_xaxes(title_text=column_label(chart.x, lang))
    fig.update_yaxes(title_text=column_label(chart.y, lang))
    return fig


def line(frame: pl.DataFrame, chart: Chart, lang: str, fill: bool = False) -> go.Figure:
    fig = go.Figure()
    for index, (name, part) in enumerate(_series(frame, chart)):
        fig.add_trace(
            go.Scatter(
                x=part.get_column(chart.x).to_list(),
                y=part.get_column(chart.y).to_list(),
                name=str(name) if name is not None else column_label(chart.y, lang),
                mode="lines",
                line=dict(color=PALETTE[index % len(PALETTE)], width=2, dash=DASHES[index % len(DASHES)]),
                stackgroup="one" if fill else None,
            )
        )
    return _axes(fig, chart, lang)


def area(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    return line(frame, chart, lang, fill=True)


def bar(frame: pl.DataFrame, chart: Chart, lang: str, stacked: bool = False, horizontal: bool = False) -> go.Figure:
    fig = go.Figure()
    for index, (name, part) in enumerate(_series(frame, chart)):
        x, y = part.get_column(chart.x).to_list(), part.get_column(chart.y).to_list()
        fig.add_trace(
            go.Bar(
                x=y if horizontal else x,
                y=x if horizontal else y,
                orientation="h" if horizontal else "v",
                name=str(name) if name is not None else column_label(chart.y, lang),
                marker=dict(color=PALETTE[index % len(PALETTE)], line=OUTLINE,
                            pattern_shape=PATTERNS[index % len(PATTERNS)] if chart.color else ""),
            )
        )
    fig.update_layout(barmode="stack" if stacked else "group", showlegend=chart.color is not None)
    if horizontal:
        fig.update_yaxes(autorange="reversed", title_text=column_label(chart.x, lang))
        fig.update_xaxes(title_text=column_label(chart.y, lang))
        return fig
    return _axes(fig, chart, lang)


def stacked_bar(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    return bar(frame, chart, lang, stacked=True)


def hbar(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    return bar(frame, chart, lang, horizontal=True)


def scatter(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    fig = go.Figure()
    for index, (name, part) in enumerate(_series(frame, chart)):
        fig.add_trace(
            go.Scatter(
                x=part.get_column(chart.x).to_list(), y=part.get_column(chart.y).to_list(), mode="markers",
                name=str(name) if name is not None else column_label(chart.y, lang),
                marker=dict(color=PALETTE[index % len(PALETTE)], symbol=index % 8, size=9, line=OUTLINE),
            )
        )
    fig.update_layout(showlegend=chart.color is not None)
    return _axes(fig, chart, lang)


def pie(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    fig = go.Figure(
        go.Pie(
            labels=frame.get_column(chart.x).to_list(),
            values=frame.get_column(chart.y).to_list(),
            hole=0.45,
            marker=dict(colors=list(PALETTE), line=OUTLINE),
            textinfo="label+percent",  # each slice named on it, not by its colour alone
            sort=False,
        )
    )
    return fig


def heatmap(frame: pl.DataFrame, chart: Chart, lang: str) -> go.Figure:
    """x and color name the axes' columns, y the value column."""
    if chart.color is None:
        raise ValueError("a heatmap needs the row column in chart.color")
    wide = frame.pivot(on=chart.x, index=chart.color, values=chart.y, aggregate_function="first")
    columns = [c for c in wide.columns if c != chart.color]
    fig = go.Figure(
        go.Heatmap(
            z=wide.select(columns).to_numpy(),
            x=columns,
            y=wide.get_column(chart.color).to_list(),
            colorscale=SEQUENTIAL,
            colorbar=dict(title=column_label(chart.y, lang)),
        )
    )
    fig.update_yaxes(autorange="reversed")
    return fig


def add_event(fig: go.Figure, day, label: str) -> None:
    """A dotted vertical line with a short label: shapes need no external resource."""
    fig.add_vline(x=day, line_width=1, line_dash="dot", line_color="#555555")
    fig.add_annotation(
        x=day, y=1, yref="paper", text=label, showarrow=False, textangle=-90,
        xanchor="right", yanchor="top", font=dict(size=10, color=MUTED_TEXT),
    )


def add_markers(fig: go.Figure, markers, label: str) -> None:
    """Events too close together to label (e.g. several designations in one season): triangles
    on the time axis, each named on hover and listed in the legend as one series."""
    fig.add_trace(
        go.Scatter(
            x=[day for day, _ in markers],
            y=[0] * len(markers),
            mode="markers",
            marker=dict(symbol="triangle-up", size=11, color="#555555"),
            hovertext=[label for _, label in markers],
            hoverinfo="text+x",
            name=label,
            cliponaxis=False,
        )
    )


_BUILDERS = {
    "line": line,
    "area": area,
    "bar": bar,
    "stacked_bar": stacked_bar,
    "hbar": hbar,
    "pie": pie,
    "scatter": scatter,
    "heatmap": heatmap,
}
