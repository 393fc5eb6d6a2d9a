"""bench/scaling.png: each page's time at small, medium and large scale, on log-log axes.

Two panels: wall time (what a user waits for, with whatever else the machine was doing) and CPU
time of the measuring process (far less sensitive to other load). Per page: the cold view (solid)
and its queries run directly in DuckDB (dotted); the fitted growth exponent is in the legend.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bench import summary
from oversight.charts import FONT_FAMILY, PALETTE

TICKS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20)


def _rows_label(rows: int) -> str:
    return f"{rows / 1e6:.1f}M" if rows >= 1e6 else f"{rows / 1e3:.0f}k"


def figure(results: dict) -> go.Figure:
    scales = [s for s in results["scales"] if results["scales"][s].get("read_rows")]
    rows = [results["scales"][s]["read_rows"] for s in scales]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("Wall time", "CPU time of the measuring process"))
    values: list[float] = []
    for column, clock in ((1, "wall"), (2, "cpu")):
        figures = summary.all_figures(results, clock)
        fitted = summary.growth(results, clock)
        for index, page in enumerate(results["pages"]):
            colour = PALETTE[index % len(PALETTE)]
            per = [figures[s][index] for s in scales]
            exp = fitted[page["path"]]
            for attr, dash in (("cold", "solid"), ("duckdb", "dot")):
                ys = [getattr(f, attr) for f in per]
                if not any(ys):
                    continue
                values += [y for y in ys if y]
                growth = "" if exp.get(attr) is None else f", ∝ rows^{exp[attr]:.2f}"
                what = "cold" if attr == "cold" else "its queries in DuckDB"
                fig.add_trace(go.Scatter(
                    x=rows, y=ys, mode="lines+markers", line=dict(color=colour, dash=dash, width=2.5 if attr == "cold" else 1.5),
                    name=f"{page['title']}: {what} ({clock}{growth})", legendgroup=page["path"],
                ), row=1, col=column)
        for limit, label in ((summary.COLD_MAX, "target: 1 s cold"), (summary.WARM_MAX, "target: 0.2 s warm")):
            fig.add_trace(go.Scatter(x=[rows[0], rows[-1]], y=[limit, limit], mode="lines", name=label,
                                     line=dict(color="#999999", dash="dash", width=1), showlegend=column == 1,
                                     legendgroup=label), row=1, col=column)
    low, high = min(values + [summary.WARM_MAX]), max(values + [summary.COLD_MAX])
    ticks = [t for t in TICKS if low / 2 <= t <= high * 2]
    fig.update_yaxes(type="log", tickvals=ticks, ticktext=[f"{t:g} s" for t in ticks], gridcolor="#e5e5e5")
    fig.update_yaxes(title_text="seconds (median)", row=1, col=1)
    fig.update_xaxes(type="log", tickvals=rows, ticktext=[f"{s}<br>{_rows_label(r)} rows" for s, r in zip(scales, rows, strict=True)],
                     gridcolor="#e5e5e5", title_text="rows in the tables the pages' queries read")
    fig.update_layout(
        title="How page time grows with the data (log-log)",
        font=dict(family=FONT_FAMILY, size=12), plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0, font=dict(size=11)),
        width=1200, height=720, margin=dict(l=70, r=20, t=70, b=40),
    )
    return fig


def write(results: dict, path: Path) -> None:
    import warnings

    import kaleido

    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
    try:
        figure(results).write_image(str(path), format="png", scale=1)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
