"""bench/scaling.png: each page's time at small, medium and large scale, on log-log axes."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

from bench import summary
from oversight.charts import FONT_FAMILY, PALETTE


def figure(results: dict) -> go.Figure:
    scales = [s for s in results["scales"] if results["scales"][s].get("read_rows")]
    rows = [results["scales"][s]["read_rows"] for s in scales]
    figures = summary.all_figures(results)
    fitted = summary.growth(results)
    fig = go.Figure()
    for index, page in enumerate(results["pages"]):
        colour = PALETTE[index % len(PALETTE)]
        per = [figures[s][index] for s in scales]
        exp = fitted[page["path"]]
        for attr, dash, label in (("cold", "solid", "cold"), ("duckdb", "dot", "its queries in DuckDB")):
            values = [getattr(f, attr) for f in per]
            if not any(values):
                continue
            growth = "" if exp.get(attr) is None else f" (∝ rows^{exp[attr]:.2f})"
            fig.add_trace(go.Scatter(
                x=rows, y=values, mode="lines+markers+text" if attr == "cold" else "lines+markers",
                name=f"{page['title']}: {label}{growth}",
                line=dict(color=colour, dash=dash, width=2.5 if attr == "cold" else 1.5),
                text=scales if attr == "cold" and index == 0 else None, textposition="top center",
            ))
    for limit, label in ((summary.COLD_MAX, "target: 1 s cold"), (summary.WARM_MAX, "target: 0.2 s warm")):
        fig.add_trace(go.Scatter(x=[min(rows), max(rows)], y=[limit, limit], mode="lines", name=label,
                                 line=dict(color="#999999", dash="dash", width=1)))
    fig.update_layout(
        title="Page time against rows the pages read (medians; log-log)",
        xaxis=dict(title="rows in the tables the pages' queries read", type="log", gridcolor="#e5e5e5"),
        yaxis=dict(title="seconds", type="log", gridcolor="#e5e5e5"),
        font=dict(family=FONT_FAMILY, size=13), plot_bgcolor="white",
        legend=dict(orientation="v", x=1.02, y=1, xanchor="left"),
        width=1100, height=560, margin=dict(l=70, r=20, t=60, b=60),
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
