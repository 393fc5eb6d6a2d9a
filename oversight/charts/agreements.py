"""Charts of the agreements page: the monthly trend with its running total, mix bars that show a
selection, and the requester-hospital network.

Pure builders from a panel's display-ready frame to a plotly figure; no external resources.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import polars as pl

from oversight import charts
from oversight.charts.safe import plotly_text
from oversight.i18n import column_label, t
from oversight.views.model import Panel

EDGE_WIDTH_CLASSES = 6  # edges are drawn in this many widths, one trace each
LABEL_CHARS = 26  # node labels are cut to this length; the hover shows the whole name
UNSELECTED_OPACITY = 0.35


def monthly(panel: Panel, lang: str) -> go.Figure:
    """Agreements signed each month as bars, the running total as a line on a second axis."""
    frame = panel.frame
    months = frame.get_column("month").to_list()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=months, y=frame.get_column("signed").to_list(), name=column_label("signed", lang),
            marker_color=charts.PALETTE[0],
            hovertemplate="%{x|%Y-%m}: %{y:,}<extra>" + column_label("signed", lang) + "</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=months, y=frame.get_column("cumulative").to_list(), name=column_label("cumulative", lang),
            mode="lines+markers", yaxis="y2", line=dict(color=charts.PALETTE[1], width=2),
            hovertemplate="%{x|%Y-%m}: %{y:,}<extra>" + column_label("cumulative", lang) + "</extra>",
        )
    )
    charts.base_layout(fig)
    fig.update_layout(
        yaxis=dict(title_text=column_label("signed", lang), rangemode="tozero"),
        yaxis2=dict(
            title_text=column_label("cumulative", lang), overlaying="y", side="right",
            rangemode="tozero", showgrid=False, tickmode="auto", nticks=6, tickformat=",d",
        ),
        xaxis=dict(title_text=column_label("month", lang), tickformat="%Y-%m"),
        bargap=0.25,
    )
    return fig


def mix(panel: Panel, lang: str, selected: str | None = None) -> go.Figure:
    """A mix panel's horizontal bars, each carrying its code (what a click gives back); the
    `selected` code's bar stays bright, the others fade."""
    fig = charts.figure(panel, lang, kind="hbar")
    codes = panel.codes.get_column(panel.chart.x).to_list()
    if selected is not None and selected in codes:
        fig.update_traces(marker_opacity=[1.0 if code == selected else UNSELECTED_OPACITY for code in codes])
    fig.update_traces(customdata=codes, hovertemplate="%{y}: %{x:,}<extra></extra>")
    fig.update_layout(height=max(220, 36 + 26 * len(codes)), clickmode="event+select")
    return fig


def _short(label: str) -> str:
    label = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return plotly_text(label)


def _count(value: int | None) -> str:
    """A count as the node and edge labels write it; hidden (null in a shared view's frame): a dash."""
    return "–" if value is None else f"{value:,}"


def _positions(count: int) -> list[float]:
    """Evenly spaced from the top (1.0) to the bottom (0.0)."""
    if count <= 1:
        return [0.5] * count
    return [1 - index / (count - 1) for index in range(count)]


def network(frame: pl.DataFrame, lang: str, selected: str | None = None) -> go.Figure:
    """Requesters on the left, hospitals on the right, ranked by agreements from the top; an edge
    per pair that signed, as wide as their agreements; each node as large as its agreements.

    `frame` is the network panel's frame: requester, hospital, agreements, requester_agreements,
    hospital_agreements, requester_rank, hospital_rank, requester_id, hospital_id (null ids are
    the "other" nodes). Nodes carry their institution id as customdata, for click selection.
    """
    fig = go.Figure()
    if frame.height == 0:
        return charts.base_layout(fig)
    requesters = (
        frame.group_by("requester_rank").agg(
            pl.first("requester"), pl.first("requester_id"), pl.first("requester_agreements")
        ).sort("requester_rank")
    )
    hospitals = (
        frame.group_by("hospital_rank").agg(
            pl.first("hospital"), pl.first("hospital_id"), pl.first("hospital_agreements")
        ).sort("hospital_rank")
    )
    left = dict(zip(requesters.get_column("requester_rank").to_list(), _positions(requesters.height)))
    right = dict(zip(hospitals.get_column("hospital_rank").to_list(), _positions(hospitals.height)))

    # Edges: smooth curves in a few widths (one trace per width and kind keeps the figure light).
    # Widths scale on the links between named institutions; links to an "other" node, which can
    # carry far more, take the widest class and a pale grey so the named links stand out.
    named = frame.filter(pl.col("requester_id").is_not_null() & pl.col("hospital_id").is_not_null())
    most = max(named.get_column("agreements").max() or 0, 1) if named.height else 1
    ids_shown = set(frame.get_column("requester_id").drop_nulls()) | set(frame.get_column("hospital_id").drop_nulls())
    if selected not in ids_shown:
        selected = None  # a selection outside the picture fades nothing
    buckets: dict[tuple[str, int], tuple[list, list]] = {}
    mid_x, mid_y, mid_text = [], [], []
    steps = [i / 16 for i in range(17)]
    for row in frame.iter_rows(named=True):
        y0, y1 = left[row["requester_rank"]], right[row["hospital_rank"]]
        if selected is not None and selected in (row["requester_id"], row["hospital_id"]):
            kind = "selected"
        elif row["requester_id"] is None or row["hospital_id"] is None:
            kind = "other"
        else:
            kind = "named"
        share = min(1.0, (row["agreements"] or 0) / most)  # a hidden count: the thinnest
        width_class = round((EDGE_WIDTH_CLASSES - 1) * share)
        xs, ys = buckets.setdefault((kind, width_class), ([], []))
        for s in steps:
            xs.append(s)
            ys.append(y0 + (y1 - y0) * (3 * s * s - 2 * s * s * s))  # smoothstep
        xs.append(None)
        ys.append(None)
        mid_x.append(0.5)
        mid_y.append((y0 + y1) / 2)
        mid_text.append(
            t("agreements.network.edge_hover", lang, requester=plotly_text(row["requester"]),
              hospital=plotly_text(row["hospital"]), n=_count(row["agreements"]))
        )
    colours = {"other": "rgba(120,120,120,0.14)", "named": "rgba(0,114,178,0.30)", "selected": "rgba(213,94,0,0.85)"}
    for kind in ("other", "named", "selected"):  # the selection's links drawn last, on top
        for width_class in sorted(c for k, c in buckets if k == kind):
            xs, ys = buckets[(kind, width_class)]
            fig.add_trace(
                go.Scatter(
                    # float arrays (None becomes NaN, a break in the line as before): plotly
                    # takes them whole instead of checking thousands of points one by one
                    x=np.array(xs, dtype=float), y=np.array(ys, dtype=float),
                    mode="lines", hoverinfo="skip", showlegend=False,
                    line=dict(width=0.7 + 1.5 * width_class, color=colours[kind]),
                )
            )
    fig.add_trace(
        go.Scatter(
            x=mid_x, y=mid_y, mode="markers", marker=dict(size=6, color="rgba(0,0,0,0)"),
            hovertext=mid_text, hoverinfo="text", showlegend=False,
        )
    )

    def nodes(side: pl.DataFrame, rank: str, name: str, ident: str, count: str, x: float, colour: str, legend: str):
        ids = side.get_column(ident).to_list()
        # sizes scale on the named institutions; an "other" node has a fixed size
        biggest = max([c for i, c in zip(ids, side.get_column(count).to_list()) if i and c] or [1])
        names = side.get_column(name).to_list()
        counts = side.get_column(count).to_list()
        opacity = [1.0 if selected is None or i == selected else UNSELECTED_OPACITY for i in ids]
        fig.add_trace(
            go.Scatter(
                x=[x] * side.height,
                y=[left[r] if x == 0 else right[r] for r in side.get_column(rank).to_list()],
                mode="markers+text",
                text=[f"{_short(n)} ({_count(c)})" for n, c in zip(names, counts)],
                textposition="middle left" if x == 0 else "middle right",
                hovertext=[
                    t("agreements.network.node_hover", lang, name=plotly_text(n), n=_count(c))
                    for n, c in zip(names, counts)
                ],
                hoverinfo="text",
                customdata=[i or "" for i in ids],
                marker=dict(
                    size=[8 + 20 * math.sqrt(min(1.0, (c or 0) / biggest)) if i else 14 for i, c in zip(ids, counts)],
                    color=[colour if i else "#999999" for i in ids],
                    opacity=opacity,
                    line=dict(width=1, color="white"),
                ),
                name=legend,
            )
        )

    nodes(requesters, "requester_rank", "requester", "requester_id", "requester_agreements", 0.0,
          charts.PALETTE[0], column_label("requester", lang))
    nodes(hospitals, "hospital_rank", "hospital", "hospital_id", "hospital_agreements", 1.0,
          charts.PALETTE[5], column_label("hospital", lang))

    rows = max(requesters.height, hospitals.height)
    charts.base_layout(fig, height=max(360, 80 + 30 * rows))
    fig.update_layout(
        xaxis=dict(range=[-0.85, 1.85], visible=False, fixedrange=True),
        yaxis=dict(range=[-0.06, 1.06], visible=False, fixedrange=True),
        showlegend=True,
        clickmode="event+select",
        dragmode=False,
        annotations=[
            dict(x=0, y=1.06, xref="x", yref="paper", text=column_label("requester", lang), showarrow=False,
                 xanchor="right", yanchor="bottom", font=dict(size=12, color="#555555")),
            dict(x=1, y=1.06, xref="x", yref="paper", text=column_label("hospital", lang), showarrow=False,
                 xanchor="left", yanchor="bottom", font=dict(size=12, color="#555555")),
        ],
    )
    return fig
