"""Quality charts: the hospitals-by-score heatmap, the score distribution, the network's spread
over time, event time around the infrastructure year, and one hospital's trend and failures.

Pure builders from a panel's frame (oversight.views.quality) to a plotly figure. Text from data
(hospital names, check ids) is escaped before plotly sees it: plotly renders a few HTML tags,
links among them.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
import plotly.graph_objects as go
import polars as pl

from oversight.charts import PALETTE, SEQUENTIAL, base_layout
from oversight.i18n import column_label, t
from oversight.views.model import Panel
from oversight.views.quality import threshold_label

BELOW = "#D55E00"  # vermillion: below the threshold, regressed, new failures
ABOVE = "#0072B2"  # blue
GOOD = "#009E73"  # bluish green: improved, resolved
PERSISTING = "#E69F00"  # orange
NEUTRAL = "#B8B8B8"
FAINT = "#E3E3E3"
THRESHOLD_LINE = dict(color="#555555", width=1, dash="dot")
HEATMAP_ROW_PX = 22


def _escape(text) -> str:
    return html.escape(str(text), quote=False)


def _pct(value) -> str:
    return "–" if value is None else f"{value:.1%}"


def threshold_text(threshold: float, lang: str) -> str:
    return t("quality.chart.threshold", lang, threshold=threshold_label(threshold))


def heatmap(panel: Panel, lang: str, threshold: float, limit: int | None = None) -> go.Figure:
    """Hospitals (rows, in the frame's order: lowest overall score first) by measure (columns).

    Cells are coloured by score and labelled with it; a transparent marker on each cell carries
    the hospital's id, so that clicking a cell selects the hospital (plotly heatmaps report no
    point selection of their own)."""
    frame = panel.frame
    hospitals = frame.select("institution_id", "hospital").unique(maintain_order=True)
    if limit is not None:
        hospitals = hospitals.head(limit)
        frame = frame.join(hospitals.select("institution_id"), on="institution_id", how="semi")
    measures = frame.get_column("quality_dimension").unique(maintain_order=True).to_list()
    ids = hospitals.get_column("institution_id").to_list()
    row_of = {h: i for i, h in enumerate(ids)}
    col_of = {m: j for j, m in enumerate(measures)}
    rows = [row_of[h] for h in frame["institution_id"].to_list()]
    cols = [col_of[m] for m in frame["quality_dimension"].to_list()]
    scores = frame["score"].to_list()
    # numpy arrays: plotly validates and copies them whole, where lists go element by element
    z = np.full((len(ids), len(measures)), np.nan)
    z[rows, cols] = [np.nan if s is None else s for s in scores]
    escaped = {name: _escape(name) for name in (*hospitals["hospital"].to_list(), *measures)}
    hover = [
        t("quality.hover.cell", lang, hospital=escaped[h], dimension=escaped[m], score=_pct(s),
          passed=f"{p:,}", applicable=f"{a:,}", date=d)
        for h, m, s, p, a, d in zip(
            frame["hospital"].to_list(), frame["quality_dimension"].to_list(), scores,
            frame["passed"].to_list(), frame["applicable"].to_list(), frame["assessed_on"].to_list(),
        )
    ]
    known = [s for s in scores if s is not None]
    low = min([*known, threshold]) if known else 0.0
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        z=z, x=np.arange(len(measures)), y=np.arange(len(ids)),
        zmin=max(0.0, low - 0.02), zmax=1.0, colorscale=SEQUENTIAL, reversescale=False,
        texttemplate="%{z:.1%}", textfont=dict(size=11), hoverinfo="skip", xgap=2, ygap=2,
        colorbar=dict(title=column_label("score", lang), tickformat=".0%", thickness=12),
    ))
    fig.add_trace(go.Scatter(
        x=np.array(cols), y=np.array(rows), mode="markers", customdata=np.array(frame["institution_id"].to_list(), dtype=object),
        hovertext=np.array(hover, dtype=object), hoverinfo="text",
        marker=dict(symbol="square", size=18, opacity=0), showlegend=False, name="",
    ))
    names = hospitals.get_column("hospital").to_list()
    overall = frame.filter(pl.col("quality_dimension") == measures[0]) if measures else frame.clear()
    flagged = set(overall.filter(pl.col("score") < threshold)["institution_id"].to_list())
    ticks = [(f"<b>{escaped[n]}</b>" if h in flagged else escaped[n]) for h, n in zip(ids, names)]
    # "검증(외부 기준)" and the like break before the bracket, so that labels stay horizontal
    labels = [escaped[m].replace("(", "<br>(", 1) for m in measures]
    fig.update_xaxes(tickvals=list(range(len(measures))), ticktext=labels, side="top", tickangle=0,
                     showgrid=False, fixedrange=True)
    fig.update_yaxes(tickvals=list(range(len(ids))), ticktext=ticks, autorange="reversed", showgrid=False,
                     fixedrange=True)
    base_layout(fig, height=90 + HEATMAP_ROW_PX * max(len(ids), 3))
    fig.update_layout(
        margin=dict(l=10, r=10, t=50, b=10), dragmode=False, clickmode="event+select",
        hoverlabel=dict(bgcolor="white", font=dict(color="#222222")),
    )
    return fig


def distribution(panel: Panel, lang: str, threshold: float) -> go.Figure:
    """Hospitals per score band; bands below the threshold in vermillion, a line at it."""
    frame = panel.frame
    fig = go.Figure()
    for below, name, colour in ((True, t("quality.chart.below", lang), BELOW), (False, t("quality.chart.at_or_above", lang), ABOVE)):
        part = frame.filter(pl.col("below_threshold") == below)
        if part.height == 0:
            continue
        lower, upper = part["band_lower"].to_list(), part["band_upper"].to_list()
        fig.add_trace(go.Bar(
            x=[(a + b) / 2 for a, b in zip(lower, upper)], y=part["hospitals"].to_list(),
            width=[(b - a) * 0.92 for a, b in zip(lower, upper)],
            customdata=part["score_band"].to_list(), name=name, marker_color=colour,
            hovertemplate="%{customdata}: %{y}<extra></extra>",
        ))
    fig.add_vline(x=threshold, line=THRESHOLD_LINE)
    fig.add_annotation(x=threshold, y=0.98, yref="paper", text=threshold_text(threshold, lang), showarrow=False,
                       xanchor="right", yanchor="top", xshift=-4, font=dict(size=11, color="#555555"))
    fig.update_xaxes(tickformat=".0%", title_text=column_label("score", lang))
    fig.update_yaxes(title_text=t("quality.chart.hospitals_axis", lang), rangemode="tozero")
    base_layout(fig, height=300)
    fig.update_layout(bargap=0, barmode="overlay")
    return fig


def _band(fig: go.Figure, x, low, high, colour: str, name: str) -> None:
    fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=x, y=low, mode="lines", line=dict(width=0), fill="tonexty", fillcolor=colour, name=name, hoverinfo="skip",
    ))


def network_trend(panel: Panel, lang: str, threshold: float) -> go.Figure:
    """Median of hospitals' standing scores by month, their 25-75 and 10-90 percentile bands, and
    the pooled network score."""
    frame = panel.frame
    x = frame["month"].to_list()
    fig = go.Figure()
    _band(fig, x, frame["score_p10"].to_list(), frame["score_p90"].to_list(), "rgba(0,114,178,0.12)", t("quality.chart.p10_p90", lang))
    _band(fig, x, frame["score_p25"].to_list(), frame["score_p75"].to_list(), "rgba(0,114,178,0.28)", t("quality.chart.p25_p75", lang))
    fig.add_trace(go.Scatter(
        x=x, y=frame["score_median"].to_list(), mode="lines", line=dict(color=ABOVE, width=2.5),
        name=t("quality.chart.median", lang), customdata=frame["hospitals"].to_list(),
        hovertemplate="%{x|%Y-%m}: %{y:.1%} (" + t("quality.hover.hospitals", lang, n="%{customdata:,}") + ")<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=x, y=frame["network_score"].to_list(), mode="lines", line=dict(color="#000000", width=1.5, dash="dash"),
        name=t("quality.chart.network", lang), hovertemplate="%{x|%Y-%m}: %{y:.1%}<extra></extra>",
    ))
    fig.add_hline(y=threshold, line=THRESHOLD_LINE, annotation_text=threshold_text(threshold, lang),
                  annotation_position="bottom right", annotation_font=dict(size=11, color="#555555"))
    fig.update_xaxes(title_text=column_label("month", lang))
    fig.update_yaxes(tickformat=".0%", title_text=column_label("score", lang))
    return base_layout(fig, height=360)


QUARTER_COLOURS = (GOOD, NEUTRAL, BELOW, FAINT)  # improved, stable, regressed, not compared


def quarter_changes(panel: Panel, lang: str) -> go.Figure:
    frame = panel.frame
    fig = go.Figure()
    for (name,), part in frame.group_by("change", maintain_order=True):
        index = frame["change"].unique(maintain_order=True).to_list().index(name)
        fig.add_trace(go.Bar(
            x=part["quarter"].to_list(), y=part["hospitals"].to_list(), name=_escape(name),
            marker_color=QUARTER_COLOURS[index % len(QUARTER_COLOURS)],
            hovertemplate="%{x} · " + _escape(name) + ": %{y}<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text=column_label("quarter", lang))
    fig.update_yaxes(title_text=t("quality.chart.hospitals_axis", lang))
    return base_layout(fig, height=320)


def event_time(panel: Panel, lang: str, threshold: float) -> go.Figure:
    """Median score and its 25-75 percentile range by year relative to the infrastructure year,
    with the number of hospitals behind each point written above it."""
    frame = panel.frame
    shown = frame.filter(pl.col("hospitals") > 0)
    x = shown["event_year"].to_list()
    fig = go.Figure()
    _band(fig, x, shown["score_p25"].to_list(), shown["score_p75"].to_list(), "rgba(0,158,115,0.22)", t("quality.chart.p25_p75", lang))
    fig.add_trace(go.Scatter(
        x=x, y=shown["score_median"].to_list(), mode="lines+markers+text", name=t("quality.chart.median", lang),
        line=dict(color=GOOD, width=2.5), marker=dict(size=8),
        text=[f"n={n}" for n in shown["hospitals"].to_list()], textposition="top center", textfont=dict(size=10),
        customdata=shown["hospitals"].to_list(),
        hovertemplate="%{x:+d}: %{y:.1%} (" + t("quality.hover.hospitals", lang, n="%{customdata}") + ")<extra></extra>",
    ))
    fig.add_vline(x=0, line=dict(color="#555555", width=1, dash="dot"))
    fig.add_annotation(x=0, y=1, yref="paper", text=t("quality.chart.infrastructure_year", lang), showarrow=False,
                       xanchor="left", yanchor="top", font=dict(size=11, color="#555555"))
    fig.add_hline(y=threshold, line=THRESHOLD_LINE)
    years = frame["event_year"].to_list()
    fig.update_xaxes(title_text=column_label("event_year", lang), tickmode="array", tickvals=years,
                     ticktext=[f"{y:+d}" if y else "0" for y in years], range=[min(years) - 0.5, max(years) + 0.5] if years else None)
    fig.update_yaxes(tickformat=".0%", title_text=column_label("score", lang))
    return base_layout(fig, height=360)


def hospital_trend(panel: Panel, lang: str, threshold: float, chosen=None, infrastructure_since: int | None = None) -> go.Figure:
    """One hospital's overall and category scores by assessment."""
    frame = panel.frame
    fig = go.Figure()
    for index, ((name,), part) in enumerate(frame.group_by("series", maintain_order=True)):
        overall = index == 0
        fig.add_trace(go.Scatter(
            x=part["assessed_on"].to_list(), y=part["score"].to_list(), name=_escape(name),
            mode="lines+markers", line=dict(color="#000000" if overall else PALETTE[(index - 1) % len(PALETTE)], width=3 if overall else 1.8),
            marker=dict(size=7 if overall else 5),
            customdata=list(zip(part["passed"].to_list(), (part["passed"] + part["failed"]).to_list())),
            hovertemplate="%{x}: %{y:.1%} (%{customdata[0]:,}/%{customdata[1]:,})<extra>" + _escape(name) + "</extra>",
        ))
    fig.add_hline(y=threshold, line=THRESHOLD_LINE, annotation_text=threshold_text(threshold, lang),
                  annotation_position="bottom right", annotation_font=dict(size=11, color="#555555"))
    if chosen is not None:
        fig.add_vline(x=chosen, line=dict(color="#555555", width=1))
        fig.add_annotation(x=chosen, y=1, yref="paper", text=t("quality.chart.selected", lang), showarrow=False,
                           xanchor="right", yanchor="top", textangle=-90, font=dict(size=10, color="#555555"))
    if infrastructure_since:
        start = dt.date(infrastructure_since, 1, 1)
        dates = frame["assessed_on"]
        if dates.len() and dates.min() <= start <= dates.max():
            fig.add_vline(x=start, line=dict(color=GOOD, width=1, dash="dot"))
            fig.add_annotation(x=start, y=1, yref="paper", text=t("quality.chart.infrastructure_year", lang), showarrow=False,
                               xanchor="left", yanchor="top", font=dict(size=10, color=GOOD))
    dates = frame["assessed_on"]
    padding = dt.timedelta(days=45)  # a single assessment would otherwise span a millisecond
    span = (dates.max() - dates.min()).days if dates.len() else 0
    fig.update_xaxes(title_text=column_label("assessed_on", lang), type="date", tickformat="%Y-%m",
                     dtick="M1" if span < 300 else "M3" if span < 1100 else "M12",
                     range=[dates.min() - padding, dates.max() + padding] if dates.len() else None)
    fig.update_yaxes(tickformat=".0%", title_text=column_label("score", lang))
    return base_layout(fig, height=360)


def table_scores(panel: Panel, lang: str, threshold: float) -> go.Figure:
    """Score per CDM table, lowest first; tables with no applicable check are left out."""
    frame = panel.frame.filter(pl.col("score").is_not_null())
    colours = [BELOW if s < threshold else ABOVE for s in frame["score"].to_list()]
    fig = go.Figure(go.Bar(
        x=frame["score"].to_list(), y=[_escape(n) for n in frame["cdm_table"].to_list()], orientation="h",
        marker_color=colours, customdata=list(zip(frame["passed"].to_list(), frame["applicable"].to_list())),
        hovertemplate="%{y}: %{x:.1%} (%{customdata[0]:,}/%{customdata[1]:,})<extra></extra>",
    ))
    fig.add_vline(x=threshold, line=THRESHOLD_LINE)
    fig.update_yaxes(autorange="reversed", title_text=column_label("cdm_table", lang))
    fig.update_xaxes(tickformat=".0%", title_text=column_label("score", lang),
                     range=[max(0.0, min([*frame["score"].to_list(), threshold]) - 0.05), 1.0])
    return base_layout(fig, height=max(240, 60 + 24 * frame.height))


CHANGE_COLOURS = (BELOW, PERSISTING, GOOD)  # new, persisting, resolved (the view's order)


def change_summary(panel: Panel, lang: str) -> go.Figure:
    frame = panel.frame
    order = frame["change"].unique(maintain_order=True).to_list()
    fig = go.Figure()
    for (name,), part in frame.group_by("change", maintain_order=True):
        fig.add_trace(go.Bar(
            x=part["category"].to_list(), y=part["check_count"].to_list(), name=_escape(name),
            marker_color=CHANGE_COLOURS[order.index(name) % len(CHANGE_COLOURS)],
            hovertemplate="%{x} · " + _escape(name) + ": %{y:,}<extra></extra>",
        ))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=column_label("category", lang))
    fig.update_yaxes(title_text=column_label("check_count", lang))
    return base_layout(fig, height=300)
