"""Charts for every reader: a sentence per chart (known answers on hand-made frames), text that
reaches 4.5:1, and series told apart by more than colour (docs/accessibility.md)."""

import datetime as dt

import polars as pl
import pytest

from oversight import charts
from oversight.charts.describe import summary
from oversight.views.model import Chart, Panel


def panel(frame: dict, chart: Chart, **options) -> Panel:
    return Panel(key="test.panel", title="t", definition="d", frame=pl.DataFrame(frame), chart=chart, **options)


MONTHS = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


def test_one_series_over_time_says_where_it_started_ended_and_peaked():
    trend = panel({"month": MONTHS, "signed": [3, 9, 5]}, Chart(kind="bar", x="month", y="signed"))
    assert summary(trend, "en") == "Signed: 3 in 2026-01, 5 in 2026-03; highest 9 in 2026-02."
    assert summary(trend, "ko") == "체결 건수: 2026-01 3에서 2026-03 5(으)로, 최고는 2026-02 9."


def test_several_series_over_time_give_each_latest_value_highest_first():
    frame = {
        "month": MONTHS * 2,
        "series": ["A"] * 3 + ["B"] * 3,
        "share": [0.1, 0.2, 0.25, 0.5, 0.4, 0.3],
    }
    shares = panel(frame, Chart(kind="line", x="month", y="share", color="series", y_format=".0%"))
    assert summary(shares, "en") == "Share in 2026-03, 2 series: B 30.0%, A 25.0%."


def test_stacked_counts_rank_each_bar_by_its_total():
    frame = {"area": ["x", "x", "y", "z", "z"], "stage": ["a", "b", "a", "a", "b"], "requests": [1, 2, 4, 1, 1]}
    stacked = panel(frame, Chart(kind="stacked_bar", x="area", y="requests", color="stage"),
                    count_columns=("requests",))
    # totals: x 3, y 4, z 2
    assert summary(stacked, "en") == "Requests: of 3 items, the highest is y (4) and the lowest z (2)."


def test_a_grid_names_its_lowest_and_highest_cell():
    frame = {"hospital": ["H1", "H1", "H2", "H2"], "dimension": ["c", "p", "c", "p"], "score": [0.9, 0.7, 1.0, 0.8]}
    grid = panel(frame, Chart(kind="heatmap", x="dimension", y="score", color="hospital"), percent_columns=("score",))
    assert summary(grid, "en") == (
        "Quality score: 2 rows by 2 columns; the lowest cell is H1 · p (70.0%), the highest H2 · c (100.0%)."
    )


def test_a_scatter_gives_the_range_of_each_measure():
    frame = {"requests": [2, 40, 7], "median_days": [20.0, 72.6, 31.0]}
    scatter = panel(frame, Chart(kind="scatter", x="requests", y="median_days"))
    assert summary(scatter, "en") == "3 points: Requests from 2 to 40, Median (days) from 20 days to 73 days."


def test_one_category_and_no_data_and_no_chart():
    one = panel({"name": ["Only"], "hospitals": [4]}, Chart(kind="hbar", x="name", y="hospitals"))
    assert summary(one, "en") == "Hospitals: Only 4."
    assert summary(panel({"name": [], "hospitals": []}, Chart(kind="hbar", x="name", y="hospitals")), "en") is None
    assert summary(Panel(key="k", title="t", definition="d", frame=pl.DataFrame({"a": [1]})), "en") is None


def test_chart_text_reaches_four_and_a_half_to_one_on_white():
    low = {name: round(charts.contrast(colour, "#ffffff"), 2)
           for name, colour in (("TEXT", charts.TEXT), ("MUTED_TEXT", charts.MUTED_TEXT))}
    assert all(ratio >= 4.5 for ratio in low.values()), low
    # Text written on a bar or a tile picks black or white by its background.
    weak = {c: round(charts.contrast(charts.text_on(c), c), 2) for c in charts.PALETTE}
    assert all(ratio >= 4.5 for ratio in weak.values()), weak


def test_contrast_matches_wcags_known_values():
    assert charts.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert charts.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the known AA grey


def test_series_differ_by_more_than_colour():
    frame = pl.DataFrame({"month": MONTHS * 3, "series": ["a"] * 3 + ["b"] * 3 + ["c"] * 3, "count": list(range(9))})
    lines = charts.figure(Panel("k", "t", "d", frame, Chart(kind="line", x="month", y="count", color="series")), "en")
    assert len({trace.line.dash for trace in lines.data}) == 3
    bars = charts.figure(Panel("k", "t", "d", frame, Chart(kind="stacked_bar", x="month", y="count", color="series")), "en")
    assert len({trace.marker.pattern.shape for trace in bars.data}) == 3
    pie = charts.figure(Panel("k", "t", "d", frame.head(3), Chart(kind="pie", x="series", y="count")), "en")
    assert "label" in pie.data[0].textinfo  # each slice is named on it


def test_axis_text_is_set_dark_not_left_to_streamlits_grey():
    frame = pl.DataFrame({"month": MONTHS, "signed": [1, 2, 3]})
    fig = charts.figure(Panel("k", "t", "d", frame, Chart(kind="bar", x="month", y="signed")), "en")
    assert fig.layout.xaxis.tickfont.color == charts.MUTED_TEXT
    assert fig.layout.yaxis.title.font.color == charts.TEXT
    assert fig.layout.font.color == charts.TEXT


def test_a_charts_points_are_offered_by_code_with_their_shown_label():
    import plotly.graph_objects as go

    from oversight.charts.describe import choices

    fig = go.Figure([
        go.Bar(y=["Genomic", "EMR &amp; notes"], x=[3, 5], orientation="h", customdata=["genomic", "emr"]),
        go.Bar(y=["Genomic", "Claims"], x=[1, 2], orientation="h", customdata=[["genomic"], ["claims"]]),
        go.Scatter(x=[1], y=[2], hovertext=["Hanbit Hospital"], customdata=["HOSP-0001"]),
        go.Scatter(x=[1], y=[2]),  # a median line: nothing to pick
    ])
    # labels as read, not as plotly's escaped markup
    assert choices(fig) == {"genomic": "Genomic", "emr": "EMR & notes", "claims": "Claims", "HOSP-0001": "Hanbit Hospital"}
