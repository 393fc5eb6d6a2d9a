"""Charts of the data-access, safe-centre and consulting pages: pure functions from a panel to a figure.

The kinds specific to those three views, each `(panel, lang, selected) -> (figure, height)`,
drawn through the chart registry (`oversight.charts.registry`). Charts that cross-filter their
page carry each bar's or point's code (data type, access mode, hospital or centre id, topic, age
band) in `customdata`, which the page reads from the selection event; `selected` codes are
drawn strong and the others faded, so the choice shows and another stays one click away.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from oversight import charts, schema
from oversight.i18n import column_label, enum_label, t
from oversight.views.model import Panel

FADED = 0.3
STAGE_COLOURS = (charts.PALETTE[0], charts.PALETTE[1])  # request->approval, approval->delivery
DROP_OUT_COLOUR = charts.PALETTE[5]
# Ordinal, colour-blind safe: dissatisfied (vermillion) through neutral grey to satisfied (blue).
SCORE_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
FLAG_COLOURS = {
    "above": charts.PALETTE[5], "below": charts.PALETTE[0], "usual": "#888888",
    "insufficient": "#CCCCCC", "no_report": "#CCCCCC",
}


def months(fig: go.Figure, panel: Panel) -> go.Figure:
    """Month axes as 2026-05, readable in Korean and English alike (plotly would write 'May 2026')."""
    if panel.chart is not None and panel.chart.x == "month":
        fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m")
    fig.update_layout(legend_traceorder="normal")
    return fig


def codes(panel: Panel) -> list[str]:
    """The code behind each row of a selectable panel's frame, in row order (from the built frame)."""
    column = {"centres.usage": "centre_id", "centres.history": "centre_id",
              "access.lead_by_hospital": "hospital_id"}.get(panel.key, panel.chart.x)
    return panel.codes.get_column(column).to_list()


def _opacity(row_codes: Sequence[str], selected: Sequence[str]) -> list[float]:
    if not selected:
        return [1.0] * len(row_codes)
    return [1.0 if code in selected else FADED for code in row_codes]


def _unique_labels(labels: list[str], ids: list[str]) -> list[str]:
    """Category labels must be unique or plotly merges the bars: add the id to repeated names."""
    seen = {label: labels.count(label) for label in labels}
    return [f"{label} ({id_})" if seen[label] > 1 else label for label, id_ in zip(labels, ids)]


def _days(value: float | None, lang: str) -> str:
    return "–" if value is None else t("overview.unit.days", lang, value=f"{value:,.0f}")


# --- data access --------------------------------------------------------------------------------


def funnel(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """The four stages as a funnel; rejected and withdrawn beside it. Rows: path, then drop-outs."""
    frame = panel.frame
    path, drop_outs = frame.head(4), frame.tail(2)
    fig = make_subplots(
        rows=1, cols=2, column_widths=[0.66, 0.34], horizontal_spacing=0.14,
        subplot_titles=(t("access.funnel.path", lang), t("access.funnel.drop_outs", lang)),
    )
    fig.add_trace(
        go.Funnel(
            y=path.get_column("stage").to_list(),
            x=path.get_column("reached").to_list(),
            texttemplate="%{x:,}<br>%{percentInitial:.0%}",
            marker=dict(color=charts.PALETTE[0]),
            connector=dict(line=dict(color="#cccccc")),
            name=column_label("reached", lang),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        ),
        row=1, col=1,
    )
    fig.add_trace(
        go.Bar(
            y=drop_outs.get_column("stage").to_list(),
            x=drop_outs.get_column("reached").to_list(),
            orientation="h",
            marker_color=DROP_OUT_COLOUR,
            text=[f"{v:,} ({s:.0%})" if s is not None else f"{v:,}" for v, s in
                  drop_outs.select("reached", "share_of_requested").iter_rows()],
            textposition="auto",
            name=column_label("reached", lang),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        ),
        row=1, col=2,
    )
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    fig.update_layout(showlegend=False)
    return fig, 340


def pipeline(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Open requests by age band (x), stacked by stage; a band can be clicked to list its requests."""
    frame = panel.frame
    band_codes = codes(panel)
    fig = go.Figure()
    stages = frame.get_column("stage").unique(maintain_order=True).to_list()
    for index, stage in enumerate(stages):
        rows = [i for i, s in enumerate(frame.get_column("stage").to_list()) if s == stage]
        part = frame[rows]
        part_codes = [band_codes[i] for i in rows]
        fig.add_trace(
            go.Bar(
                x=part.get_column("age_band").to_list(),
                y=part.get_column("requests").to_list(),
                name=stage,
                customdata=part_codes,
                marker=dict(color=charts.PALETTE[index], opacity=_opacity(part_codes, selected)),
                hovertemplate="%{x} · " + stage + ": %{y:,}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("col.age_band", lang))
    fig.update_yaxes(title_text=column_label("requests", lang))
    return fig, 340


def lead_time(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Per category: each stage's median as a bar, its 90th percentile as a whisker."""
    frame = panel.frame
    column = panel.chart.x
    row_codes = codes(panel)
    labels = frame.get_column(column).cast(pl.String).fill_null("–").to_list()
    if column == "hospital":
        labels = _unique_labels(labels, row_codes)
    fig = go.Figure()
    stages = (
        ("median_days_to_approval", "p90_days_to_approval", "approvals", "access.stage_name.approval"),
        ("median_days_to_delivery", "p90_days_to_delivery", "deliveries", "access.stage_name.delivery"),
    )
    for index, (median, p90, count, name_key) in enumerate(stages):
        medians = frame.get_column(median).to_list()
        p90s = frame.get_column(p90).to_list()
        counts = frame.get_column(count).to_list()
        name = t(name_key, lang)
        hover = [
            t("access.lead_hover", lang, name=label, stage=name, median=_days(m, lang), p90=_days(p, lang), n=f"{n:,}")
            for label, m, p, n in zip(labels, medians, p90s, counts)
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=medians,
                orientation="h",
                name=name,
                customdata=row_codes,
                hovertext=hover,
                hoverinfo="text",
                marker=dict(color=STAGE_COLOURS[index], opacity=_opacity(row_codes, selected)),
                error_x=dict(
                    type="data", symmetric=False,
                    array=[(p - m) if p is not None and m is not None else None for m, p in zip(medians, p90s)],
                    arrayminus=[0] * len(medians), color="#333333", thickness=1.2, width=4,
                ),
            )
        )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed", title_text=column_label(column, lang), type="category")
    fig.update_xaxes(title_text=t("access.axis.days", lang), rangemode="tozero")
    return fig, max(260, 110 + 46 * len(labels))


def deliveries(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Records (top) and patients (bottom) delivered each month."""
    frame = panel.frame
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
        subplot_titles=(column_label("records", lang), column_label("patients", lang)),
    )
    months = frame.get_column("month").to_list()
    for row, (column, colour) in enumerate((("records", charts.PALETTE[0]), ("patients", charts.PALETTE[2])), start=1):
        fig.add_trace(
            go.Bar(
                x=months, y=frame.get_column(column).to_list(), name=column_label(column, lang),
                marker_color=colour, customdata=frame.get_column("deliveries").to_list(),
                hovertemplate="%{x|%Y-%m}: %{y:,} (" + column_label("deliveries", lang) + " %{customdata:,})<extra></extra>",
            ),
            row=row, col=1,
        )
    fig.update_layout(showlegend=False)
    return fig, 420


# --- safe centres -------------------------------------------------------------------------------


def centre_usage(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Small multiples: sessions, researcher hours and researchers by month, one line per centre."""
    frame = panel.frame
    metrics = ("sessions", "researcher_hours", "researchers")
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06)
    for row, metric in enumerate(metrics, start=1):
        fig.update_yaxes(title_text=column_label(metric, lang), rangemode="tozero", row=row, col=1)
    centres = frame.select("centre_id", "centre").unique(maintain_order=True).sort("centre_id")
    for index, (centre_id, centre) in enumerate(centres.iter_rows()):
        part = frame.filter(pl.col("centre_id") == centre_id).sort("month")
        strong = not selected or centre_id in selected
        for row, metric in enumerate(metrics, start=1):
            fig.add_trace(
                go.Scatter(
                    x=part.get_column("month").to_list(),
                    y=part.get_column(metric).to_list(),
                    mode="lines+markers",
                    name=str(centre),
                    legendgroup=centre_id,
                    showlegend=row == 1,
                    customdata=[centre_id] * part.height,
                    line=dict(color=charts.PALETTE[index % len(charts.PALETTE)], width=3 if strong and selected else 2),
                    marker=dict(size=7),
                    opacity=1.0 if strong else FADED,
                    hovertemplate=f"{centre}<br>" + "%{x|%Y-%m}: %{y:,}<extra></extra>",
                ),
                row=row, col=1,
            )
    return fig, 620


def centre_history(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Latest month per centre as a bar coloured by its flag, the trailing median as a diamond."""
    frame = panel.frame
    order = frame.get_column("centre").to_list()
    fig = go.Figure()
    flags = panel.codes.get_column("flag")  # the flag codes, row for row
    for flag_code, colour in FLAG_COLOURS.items():
        label = t(f"centres.flag.{flag_code}", lang)
        part = frame.filter(flags == flag_code)
        if part.height == 0:
            continue
        ids = part.get_column("centre_id").to_list()
        fig.add_trace(
            go.Bar(
                y=part.get_column("centre").to_list(),
                x=part.get_column("value").to_list(),
                orientation="h",
                name=label,
                customdata=ids,
                marker=dict(color=colour, opacity=_opacity(ids, selected)),
                text=[f"{r:.0%}" if r is not None else "" for r in part.get_column("ratio").to_list()],
                textposition="inside",
                insidetextanchor="start",
                textfont=dict(color=charts.text_on(colour)),
                hovertemplate="%{y}: %{x:,}<extra>" + label + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=frame.get_column("centre").to_list(),
            x=frame.get_column("trailing_median").to_list(),
            mode="markers",
            name=column_label("trailing_median", lang),
            customdata=frame.get_column("centre_id").to_list(),
            marker=dict(symbol="diamond", size=12, color="#000000"),
            hovertemplate="%{y}: %{x:,}<extra>" + column_label("trailing_median", lang) + "</extra>",
        )
    )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", type="category")
    metric = frame.get_column("metric").first() if frame.height else column_label("value", lang)
    fig.update_xaxes(title_text=metric, rangemode="tozero")
    return fig, max(260, 120 + 48 * len(order))


# --- consulting ---------------------------------------------------------------------------------


def topics(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Consultations (left) and hours (right) by topic."""
    frame = panel.frame
    row_codes = codes(panel)
    labels = frame.get_column("topic").to_list()
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
        subplot_titles=(column_label("consultations", lang), column_label("hours", lang)),
    )
    for col, (column, colour) in enumerate((("consultations", charts.PALETTE[0]), ("hours", charts.PALETTE[1])), start=1):
        fig.add_trace(
            go.Bar(
                y=labels, x=frame.get_column(column).to_list(), orientation="h",
                name=column_label(column, lang), customdata=row_codes,
                marker=dict(color=colour, opacity=_opacity(row_codes, selected)),
                hovertemplate="%{y}: %{x:,}<extra>" + column_label(column, lang) + "</extra>",
            ),
            row=1, col=col,
        )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(showlegend=False)
    return fig, max(280, 90 + 40 * len(labels))


def topics_by_month(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Consultations per month stacked by topic, each topic in its own colour on every chart."""
    frame = panel.frame
    topics = panel.codes.get_column("topic")  # the topic codes, row for row
    fig = go.Figure()
    for index, code in enumerate(schema.CONSULTATION_TOPICS):
        label = enum_label("topic", code, lang)
        part = frame.filter(topics == code)
        if part.height == 0:
            continue
        fig.add_trace(
            go.Bar(
                x=part.get_column("month").to_list(), y=part.get_column("consultations").to_list(),
                name=label, marker_color=charts.PALETTE[index],
                hovertemplate="%{x|%Y-%m} · " + label + ": %{y:,}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=column_label("consultations", lang))
    return fig, 360


def satisfaction(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Each topic's scores as shares of its responses (1 to 5), with the mean and count beside."""
    frame = panel.frame
    row_codes = codes(panel)
    labels = [
        t("consulting.satisfaction.label", lang, topic=topic, mean=f"{mean:.1f}" if mean is not None else "–", n=f"{n:,}")
        for topic, mean, n in frame.select("topic", "mean_satisfaction", "rated").iter_rows()
    ]
    fig = go.Figure()
    for score, colour in zip(range(1, 6), SCORE_COLOURS):
        name = t("consulting.score", lang, score=score)
        fig.add_trace(
            go.Bar(
                y=labels, x=frame.get_column(f"share_{score}").to_list(), orientation="h", name=name,
                customdata=row_codes, marker=dict(color=colour, opacity=_opacity(row_codes, selected)),
                hovertemplate="%{y}<br>" + name + ": %{x:.0%}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=".0%", range=[0, 1], title_text=column_label("share", lang))
    fig.update_yaxes(autorange="reversed", type="category")
    return fig, max(280, 100 + 40 * len(labels))


def lead_comparison(panel: Panel, lang: str, selected: tuple) -> tuple[go.Figure, int]:
    """Median request-to-delivery time per group (bar), 90th percentile (whisker), count on the bar."""
    frame = panel.frame
    medians = frame.get_column("median_total_days").to_list()
    p90s = frame.get_column("p90_total_days").to_list()
    fig = go.Figure(
        go.Bar(
            y=frame.get_column("consulted").to_list(),
            x=medians,
            orientation="h",
            marker_color=[charts.PALETTE[2], charts.PALETTE[4], "#999999"][: frame.height],
            text=[t("consulting.n_requests", lang, n=f"{n:,}") for n in frame.get_column("requests").to_list()],
            textposition="inside",
            insidetextanchor="start",
            error_x=dict(
                type="data", symmetric=False,
                array=[(p - m) if p is not None and m is not None else None for m, p in zip(medians, p90s)],
                arrayminus=[0] * len(medians), color="#333333", thickness=1.2, width=6,
            ),
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
            name=column_label("median_total_days", lang),
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title_text=t("access.axis.days", lang), rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig, 300
