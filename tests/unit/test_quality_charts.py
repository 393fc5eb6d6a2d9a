"""Quality chart builders: pure functions of the views' frames, tested without Streamlit."""

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from fixture_quality import build_quality_fixture
from oversight import db, queries
from oversight.charts import quality as charts
from oversight.filters import Filters
from oversight.views import quality
from oversight.views.localise import localise, view_in
from oversight.views.model import Panel

PERIOD = Filters(dt.date(2025, 7, 1), dt.date(2026, 6, 30))


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    path = build_quality_fixture(tmp_path_factory.mktemp("charts") / "quality.duckdb")
    runner = queries.DatabaseRunner(db.read_only(path))
    return {
        lang: (localise(quality.build(runner, PERIOD), lang), view_in(quality.build_hospital, runner, PERIOD, lang, "QA"))
        for lang in ("ko", "en")
    }


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_quality_figure_builds(views, lang):
    network, hospital = views[lang]
    figures = [
        charts.heatmap(network.panel("quality.heatmap"), lang, 0.9),
        charts.distribution(network.panel("quality.distribution"), lang, 0.9),
        charts.network_trend(network.panel("quality.trend"), lang, 0.9),
        charts.quarter_changes(network.panel("quality.quarters"), lang),
        charts.event_time(network.panel("quality.event_time"), lang, 0.9),
        charts.hospital_trend(hospital.panel("quality.hospital.trend"), lang, 0.9, chosen=dt.date(2026, 5, 20),
                              infrastructure_since=2023),
        charts.table_scores(hospital.panel("quality.hospital.tables"), lang, 0.9),
        charts.change_summary(hospital.panel("quality.hospital.changes"), lang),
    ]
    for figure in figures:
        assert isinstance(figure, go.Figure) and figure.data
        figure.to_json()


def test_heatmap_cells_carry_their_hospital_for_clicks(views):
    panel = views["en"][0].panel("quality.heatmap")
    figure = charts.heatmap(panel, "en", 0.9)
    cells, clicks = figure.data
    assert cells.z.shape == (4, 6)  # four hospitals; overall, three categories, two contexts
    assert cells.z[0][0] == pytest.approx(0.8)  # QA first: the lowest overall score
    first_row = [h for h, y in zip(clicks.customdata, clicks.y) if y == 0]
    assert set(first_row) == {"QA"} and len(first_row) == 6
    assert "16 of 20 applicable checks passed" in clicks.hovertext[0]
    ticks = list(figure.layout.yaxis.ticktext)
    assert ticks[0] == "<b>Alder Hospital</b>"  # below the threshold: bold
    assert "<b>" not in ticks[1]
    assert len(charts.heatmap(panel, "en", 0.9, limit=2).layout.yaxis.ticktext) == 2


def test_names_from_data_are_escaped_before_plotly_renders_them():
    frame = pl.DataFrame({
        "institution_id": ["X"], "hospital": ['<a href="http://evil.example">Evil</a>'], "region": ["Seoul"],
        "assessed_on": [dt.date(2026, 1, 1)], "quality_dimension": ["Overall"], "score": [0.5],
        "passed": [1], "failed": [1], "not_applicable": [0], "applicable": [2], "below_threshold": [True],
    })
    figure = charts.heatmap(Panel("quality.heatmap", "t", "d", frame), "en", 0.9)
    shown = " ".join([*figure.layout.yaxis.ticktext, *figure.data[1].hovertext])
    assert "<a" not in shown and "&lt;a href" in shown


def test_distribution_colours_bands_below_the_threshold(views):
    panel = views["en"][0].panel("quality.distribution")
    figure = charts.distribution(panel, "en", 0.9)
    below, above = figure.data
    assert below.marker.color == charts.BELOW and above.marker.color == charts.ABOVE
    assert sum(below.y) == 1 and sum(above.y) == 3  # QA below 90%; QB, QC, QD at or above
    assert figure.layout.shapes[0].x0 == 0.9


def test_event_time_labels_each_point_with_its_hospitals(views):
    figure = charts.event_time(views["en"][0].panel("quality.event_time"), "en", 0.9)
    median = next(trace for trace in figure.data if trace.mode == "lines+markers+text")
    assert list(median.x) == [-1, 2, 3, 4]
    assert list(median.text) == ["n=1", "n=1", "n=2", "n=1"]
