"""bench/scaling.png and bench/loadbench.png.

scaling.png: each page's time at small, medium and large scale, on log-log axes.

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


def load_figure(results: dict) -> go.Figure:
    """bench/loadbench.png: median and p95 time per page run against concurrent sessions, one colour
    per setup (one process, replicas), with the issue's targets at 50 sessions."""
    from bench.loadbench import TARGET_MEDIAN_50, TARGET_P95_50

    fig = go.Figure()
    for index, (name, setup) in enumerate(results["setups"].items()):
        levels = [lv for lv in setup["levels"] if lv["median"] is not None]
        sessions = [lv["sessions"] for lv in levels]
        colour = PALETTE[index % len(PALETTE)]
        for attr, dash in (("median", "solid"), ("p95", "dot")):
            fig.add_trace(go.Scatter(x=sessions, y=[lv[attr] for lv in levels], mode="lines+markers",
                                     line=dict(color=colour, dash=dash, width=2.5 if attr == "median" else 1.5),
                                     name=f"{name}: {attr}"))
    for limit, label in ((TARGET_MEDIAN_50, "target at 50 sessions: median"), (TARGET_P95_50, "target at 50 sessions: p95")):
        fig.add_trace(go.Scatter(x=[50], y=[limit], mode="markers", name=f"{label} ≤ {limit:g} s",
                                 marker=dict(symbol="line-ew-open", size=24, color="#999999")))
    fig.update_xaxes(type="log", title_text="concurrent sessions (each walks every viewer page twice)",
                     tickvals=results["meta"]["levels"], gridcolor="#e5e5e5")
    fig.update_yaxes(type="log", title_text="seconds per page run", gridcolor="#e5e5e5")
    fig.update_layout(title="Time per page run against concurrent sessions (websocket protocol, log-log)",
                      font=dict(family=FONT_FAMILY, size=12), plot_bgcolor="white", width=1000, height=560,
                      margin=dict(l=70, r=20, t=60, b=50))
    return fig


def save(fig: go.Figure, path: Path) -> None:
    import warnings

    import kaleido

    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
    kaleido.start_sync_server(silence_warnings=True)
    try:
        fig.write_image(str(path), format="png", scale=1)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def write(results: dict, path: Path) -> None:
    save(figure(results), path)
