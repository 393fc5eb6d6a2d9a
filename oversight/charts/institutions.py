"""Charts of the institutions page: hospitals' workload against their speed, and top requesters.

Pure builders from a panel's display-ready frame to a plotly figure. Every mark carries its
institution id as customdata, so a click can open that institution's profile.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from oversight import charts
from oversight.charts.agreements import UNSELECTED_OPACITY
from oversight.charts.safe import plotly_text
from oversight.i18n import column_label, t
from oversight.views.model import Panel


def workload(panel: Panel, lang: str, selected: str | None = None) -> go.Figure:
    """One point per hospital: requests received across, median lead time up, sized by
    agreements, coloured by tier. Hospitals without deliveries sit on the axis, hollow."""
    frame = panel.frame
    fig = go.Figure()
    if selected not in set(frame.get_column("institution_id")):
        selected = None  # a selection outside the picture fades nothing
    biggest = max(frame.get_column("agreements").max() or 0, 1) if frame.height else 1
    for index, ((tier,), part) in enumerate(frame.group_by("tier", maintain_order=True)):
        ids = part.get_column("institution_id").to_list()
        days = part.get_column("median_days").to_list()
        fig.add_trace(
            go.Scatter(
                x=part.get_column("requests").to_list(),
                y=[d if d is not None else 0 for d in days],
                mode="markers",
                name=plotly_text(tier or "–"),
                customdata=ids,
                hovertext=[
                    t("institutions.workload.hover", lang, name=plotly_text(name), requests=f"{r:,}",
                      delivered=f"{d:,}", days="–" if m is None else f"{m:,.0f}")
                    for name, r, d, m in zip(
                        part.get_column("name").to_list(), part.get_column("requests").to_list(),
                        part.get_column("delivered").to_list(), days,
                    )
                ],
                hoverinfo="text",
                marker=dict(
                    size=[7 + 18 * math.sqrt(a / biggest) for a in part.get_column("agreements").to_list()],
                    color=charts.PALETTE[index % len(charts.PALETTE)],
                    symbol=["circle" if d is not None else "circle-open" for d in days],
                    opacity=[1.0 if selected is None or i == selected else UNSELECTED_OPACITY for i in ids],
                    line=dict(width=1, color="white"),
                ),
            )
        )
    charts.base_layout(fig, height=420)
    fig.update_xaxes(title_text=column_label("requests", lang), rangemode="tozero")
    fig.update_yaxes(title_text=column_label("median_days", lang), rangemode="tozero")
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def top_requesters(panel: Panel, lang: str, selected: str | None = None) -> go.Figure:
    """Horizontal bars of the top requesters' agreements; each bar carries its institution id."""
    frame = panel.frame
    ids = frame.get_column("institution_id").to_list()
    if selected not in ids:
        selected = None
    fig = go.Figure(
        go.Bar(
            x=frame.get_column("agreements").to_list(),
            y=[plotly_text(n) for n in frame.get_column("name").to_list()],
            orientation="h",
            customdata=ids,
            marker=dict(
                color=charts.PALETTE[0],
                opacity=[1.0 if selected is None or i == selected else UNSELECTED_OPACITY for i in ids],
            ),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    charts.base_layout(fig, height=max(260, 60 + 24 * frame.height))
    fig.update_yaxes(autorange="reversed", title_text="")
    fig.update_xaxes(title_text=column_label("agreements", lang))
    fig.update_layout(clickmode="event+select", dragmode=False, showlegend=False)
    return fig
