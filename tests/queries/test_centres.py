"""Safe utilisation centres: queries, view and charts against hand-computed answers.

tests/fixture.py: two centres, H1 (가람병원, region 11, designated 2026-04-01) and P1 (데이터진흥원,
region 36, designated 2026-05-01), reporting
    H1 2026-04: 10 sessions, 35.5 hours, 4 researchers
    H1 2026-05: 12 sessions, 40.0 hours, 5 researchers
    P1 2026-05:  3 sessions,  6.0 hours, 2 researchers
and the requests of the first half of 2026: R5 (safe centre H1, emr, delivered 2026-06-01 after 31
days), R6 (remote analysis), R7 (safe centre P1, emr, open). tests/fixture_centres.py holds the
centres whose history is long enough to judge; its docstring has the arithmetic.
"""

import datetime as dt

import polars as pl
import pytest

from oversight.page_state import CrossFilter
from conftest import figure_points

from fixture_centres import build_centres_fixture
from oversight import db, queries
from oversight.charts import access as access_charts
from oversight.charts import registry
from oversight.filters import Filters
from oversight.i18n import t
from oversight.views import centres
from oversight.views.localise import localise

D = dt.date
H1_2026 = Filters(D(2026, 1, 1), D(2026, 6, 30))
JULY_2025 = Filters(D(2025, 7, 1), D(2025, 7, 31))


@pytest.fixture(scope="module")
def history_runner(tmp_path_factory):
    path = build_centres_fixture(tmp_path_factory.mktemp("centres") / "centres.duckdb")
    return queries.DatabaseRunner(db.read_only(path))


def params(filters: Filters = H1_2026, centre_ids=()) -> dict:
    return filters.params() | {"centre_ids": list(centre_ids)}


def metric_is(metric: str) -> pl.Expr:
    return pl.col("metric") == metric


# --- queries on the main fixture ----------------------------------------------------------------


def test_kpis_for_the_first_half_of_2026(runner):
    row = runner.run("centre_kpis", params()).row(0, named=True)
    assert row == {
        "centres_reporting": 2,
        "sessions": 25,  # 10 + 12 + 3
        "researcher_hours": 81.5,  # 35.5 + 40 + 6
        "researcher_months": 11,  # 4 + 5 + 2
        "requests": 3,  # R5, R6, R7
        "centre_requests": 2,  # R5 (H1), R7 (P1)
        "centre_share": pytest.approx(2 / 3),
    }


def test_kpis_for_one_centre(runner):
    row = runner.run("centre_kpis", params(centre_ids=["H1"])).row(0, named=True)
    assert (row["centres_reporting"], row["sessions"], row["researcher_hours"], row["researcher_months"]) == (1, 22, 75.5, 9)
    assert (row["requests"], row["centre_requests"], row["centre_share"]) == (3, 1, pytest.approx(1 / 3))


def test_kpis_before_any_centre(runner):
    row = runner.run("centre_kpis", params(H1_2026.previous())).row(0, named=True)
    # 2025-07-04 to 2025-12-31: no use reported; R3 and R4 made, neither through a centre
    assert row == {
        "centres_reporting": 0, "sessions": 0, "researcher_hours": 0.0, "researcher_months": 0,
        "requests": 2, "centre_requests": 0, "centre_share": 0.0,
    }


def test_usage_by_month_and_by_the_centre_region(runner):
    rows = runner.run("centre_usage_by_month", params()).select("centre_id", "month", "sessions").rows()
    assert rows == [("H1", D(2026, 4, 1), 10), ("H1", D(2026, 5, 1), 12), ("P1", D(2026, 5, 1), 3)]
    sejong = runner.run("centre_usage_by_month", H1_2026.params() | {"regions": ["36"]})
    assert sejong.get_column("centre_id").to_list() == ["P1"]


def test_a_month_counts_whole_when_it_overlaps_the_period(runner):
    # 2026-05-15 to 2026-06-30 overlaps May: May's reports count, April's do not
    late = Filters(D(2026, 5, 15), D(2026, 6, 30))
    assert runner.run("centre_usage_by_month", late.params()).select("centre_id", "month").rows() == [
        ("H1", D(2026, 5, 1)), ("P1", D(2026, 5, 1)),
    ]
    early = Filters(D(2026, 3, 1), D(2026, 4, 1))  # overlaps April by one day
    assert runner.run("centre_usage_by_month", early.params()).get_column("sessions").to_list() == [10]


def test_share_through_centres_by_month(runner):
    rows = runner.run("centre_share_by_month", params()).rows()
    assert rows == [
        (D(2026, 1, 1), 0, 0, None),
        (D(2026, 2, 1), 0, 0, None),
        (D(2026, 3, 1), 0, 0, None),
        (D(2026, 4, 1), 1, 0, 0.0),  # R6, remote analysis
        (D(2026, 5, 1), 1, 1, 1.0),  # R5 through H1
        (D(2026, 6, 1), 1, 1, 1.0),  # R7 through P1
    ]
    through_p1 = runner.run("centre_share_by_month", params(centre_ids=["P1"])).get_column("centre_requests").to_list()
    assert through_p1 == [0, 0, 0, 0, 0, 1]


def test_requests_through_centres_by_data_type(runner):
    assert runner.run("centre_requests_by_type", params()).rows() == [("emr", 2, 1, 31.0)]  # R5, R7; R5 delivered
    assert runner.run("centre_requests_by_type", params(centre_ids=["P1"])).rows() == [("emr", 1, 0, None)]


def test_history_on_the_main_fixture(runner):
    frame = runner.run("centre_usage_vs_history", params()).filter(metric_is("sessions"))
    # H1's latest month is May (12) against April alone (10); P1 has May only
    assert frame.select("centre_id", "month", "value", "trailing_median", "history_months").rows() == [
        ("H1", D(2026, 5, 1), 12.0, 10.0, 1),
        ("P1", D(2026, 5, 1), 3.0, None, 0),
    ]
    april = Filters(D(2026, 1, 1), D(2026, 4, 30))
    assert runner.run("centre_usage_vs_history", params(april)).get_column("centre_id").unique().to_list() == ["H1"]
    june = Filters(D(2026, 6, 1), D(2026, 6, 30))  # designated, but no report in June
    silent = runner.run("centre_usage_vs_history", params(june)).filter(metric_is("sessions"))
    assert silent.select("centre_id", "month", "value").rows() == [("H1", None, None), ("P1", None, None)]


# --- history and flags on the centres fixture ---------------------------------------------------


def test_history_window_is_the_six_months_before(history_runner):
    frame = history_runner.run("centre_usage_vs_history", params(JULY_2025)).filter(metric_is("sessions"))
    assert frame.select("centre_id", "value", "trailing_median", "history_months").rows() == [
        ("S1", 20.0, 10.5, 6),  # December 2024's 100 lies outside the window
        ("S2", 13.0, 20.0, 6),
        ("S4", 12.0, 10.0, 4),
        ("S5", None, None, 0),
        ("S3", 6.0, 5.0, 1),
    ]  # ordered by designation: S1 2024-12, S2 2025-01, S4 2025-03, S5 2025-05, S3 2025-06
    hours = history_runner.run("centre_usage_vs_history", params(JULY_2025)).filter(metric_is("researcher_hours"))
    assert hours.filter(hours["centre_id"] == "S1").select("value", "trailing_median").row(0) == (80.0, 42.0)


def test_flags_against_own_history(history_runner):
    view = localise(centres.build(history_runner, JULY_2025), "en")
    history = view.panel("centres.history").frame
    assert history.select("centre_id", "flag").rows() == [
        ("S1", "Well above usual"),  # 20 / 10.5 = 1.90
        ("S2", "Well below usual"),  # 13 / 20 = 0.65
        ("S4", "Within usual range"),  # 12 / 10 = 1.2
        ("S5", "No report in the period"),
        ("S3", "Too little history"),  # one month before
    ]
    assert history.get_column("ratio").to_list()[:3] == [pytest.approx(20 / 10.5), 0.65, 1.2]
    assert history.get_column("centre").to_list()[3] == "Gang Centre"


@pytest.mark.parametrize(
    ("value", "median", "months", "expected"),
    [
        (None, 10.0, 6, "no_report"),
        (5.0, 5.0, 2, "insufficient"),
        (5.0, None, 0, "insufficient"),
        (13.0, 10.0, 3, "above"),  # exactly 130 %
        (12.9, 10.0, 3, "usual"),
        (7.0, 10.0, 3, "below"),  # exactly 70 %
        (7.1, 10.0, 3, "usual"),
        (3.0, 0.0, 3, "above"),  # any use after months of none
        (0.0, 0.0, 3, "usual"),
    ],
)
def test_flag_rule(value, median, months, expected):
    assert centres.flag(value, median, months) == expected


def test_the_history_rule_states_the_thresholds_the_code_uses():
    for lang in ("ko", "en"):
        text = t("def.centre_history", lang)
        for number in (f"{centres.ABOVE:.0%}", f"{centres.BELOW:.0%}", str(centres.MIN_HISTORY), str(centres.HISTORY_MONTHS)):
            assert number in text, (lang, number)


# --- the view -----------------------------------------------------------------------------------


def test_view_kpis(runner):
    kpis = {k.key: k for k in localise(centres.build(runner, H1_2026), "en").kpis}
    assert (kpis["sessions"].value, kpis["sessions"].previous) == (25, 0)
    assert kpis["centre_share"].value == pytest.approx(2 / 3)
    assert kpis["centre_share"].detail == "2 of 3 requests"
    assert kpis["researcher_hours"].detail == "11 researcher-months"


def test_view_directory_and_detail(runner):
    view = localise(centres.build(runner, H1_2026, selection=CrossFilter.of(centre_ids=("H1",))), "ko")
    assert view.panel("centres.directory").frame.select(
        "centre_id", "centre", "region", "safe_centre_since", "months_reported", "sessions", "researcher_hours"
    ).rows() == [
        ("H1", "가람병원", "서울특별시", D(2026, 4, 1), 2, 22, 75.5),
        ("P1", "데이터진흥원", "세종특별자치시", D(2026, 5, 1), 1, 3, 6.0),
    ]
    detail = view.panel("centres.detail").frame
    assert detail.select("month", "sessions", "hours_per_session").rows() == [
        (D(2026, 4, 1), 10, 3.6),  # 35.5 / 10 = 3.55, rounded
        (D(2026, 5, 1), 12, 3.3),  # 40 / 12 = 3.33
    ]
    assert view.notes == ("센터: 가람병원",)
    assert {k.key: k.value for k in view.kpis}["sessions"] == 22


def test_without_a_selection_there_is_no_detail_panel(runner):
    keys = [p.key for p in localise(centres.build(runner, H1_2026), "en").panels]
    assert "centres.detail" not in keys and "centres.directory" in keys


def test_metric_choice(runner):
    view = localise(centres.build(runner, H1_2026, metric="researcher_hours"), "en")
    history = view.panel("centres.history")
    assert history.frame.filter(history.frame["centre_id"] == "H1").select("value", "trailing_median").row(0) == (40.0, 35.5)
    assert "researcher hours" in history.title
    with pytest.raises(ValueError):
        centres.build(runner, H1_2026, metric="not_a_metric")


def test_charts_carry_centre_ids(runner):
    view = localise(centres.build(runner, H1_2026, selection=CrossFilter.of(centre_ids=("P1",))), "ko")
    usage = registry.draw(view.panel("centres.usage"), "ko", selected=("P1",))
    by_centre = {trace.customdata[0]: trace.opacity for trace in usage.data}
    assert by_centre == {"H1": access_charts.FADED, "P1": 1.0}
    assert len(usage.data) == 6  # two centres x three metrics
    history = registry.draw(view.panel("centres.history"), "ko", selected=("P1",))
    assert {code for trace in history.data for code in trace.customdata} == {"H1", "P1"}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_panel_draws(runner, history_runner, lang):
    for r, filters in ((runner, H1_2026), (runner, Filters(D(2024, 1, 1), D(2024, 12, 31))), (history_runner, JULY_2025)):
        for panel in localise(centres.build(r, filters), lang).panels:
            if panel.chart is not None:
                figure = registry.draw(panel, lang)
                assert (figure_points(figure) > 0) == (panel.frame.height > 0), panel.key
