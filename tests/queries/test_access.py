"""Data access: queries, view and charts against hand-computed answers from tests/fixture.py.

The requests of the fixture, with the days each stage took:
    id  hospital requested   approved    delivered   status        type     mode        appr deliv total
    R1  H1       2024-06-01  2024-06-21  2024-07-01  delivered     emr      remote        20    10    30
    R2  H2       2025-01-10  2025-02-09  2025-03-01  delivered     imaging  transfer      30    20    50
    R3  H1       2025-09-01  2025-09-11  2025-12-20  delivered     genomic  transfer      10   100   110
    R4  H3       2025-11-01  -           -           under_review  emr      remote         -     -     -
    R5  H1       2026-05-01  2026-05-15  2026-06-01  delivered     emr      safe_centre   14    17    31
    R6  H2       2026-04-01  -           -           rejected      claims   remote         -     -     -
    R7  H1       2026-06-15  2026-07-01  -           approved      emr      safe_centre    -     -     -
Percentiles interpolate linearly: of two values a < b the 90th is a + 0.9 (b - a).
"""

import datetime as dt

import pytest

from oversight.page_state import CrossFilter
from conftest import YEAR_2025, figure_points
from oversight.charts import access as access_charts
from oversight.charts import registry
from oversight.filters import Filters
from oversight.i18n import t
from oversight.views import access
from oversight.views.localise import localise, words

D = dt.date
H1_2026 = Filters(D(2026, 1, 1), D(2026, 6, 30))
NO_SELECTION = CrossFilter().params(*access.DIMENSIONS)


def params(filters: Filters = YEAR_2025, **extra) -> dict:
    return filters.params() | NO_SELECTION | extra


# --- headline figures ---------------------------------------------------------------------------


def test_kpis_for_2025(runner):
    row = runner.run("access_kpis", params()).row(0, named=True)
    assert row == {
        "requests_made": 3,  # R2, R3, R4
        "delivered": 2,  # R2 (2025-03-01), R3 (2025-12-20)
        "median_lead_days": 80.0,  # (50 + 110) / 2
        "p90_lead_days": 104.0,  # 50 + 0.9 x 60
        "records_delivered": 2500,  # 500 + 2000
        "patients_delivered": 70,  # 50 + 20
        "open_pipeline": 1,  # R4, under review at 2025-12-31
    }


def test_kpis_for_the_previous_period(runner):
    row = runner.run("access_kpis", params(YEAR_2025.previous())).row(0, named=True)
    # 2024-01-02 to 2024-12-31: R1 made and delivered after 30 days; nothing left open
    assert row == {
        "requests_made": 1, "delivered": 1, "median_lead_days": 30.0, "p90_lead_days": 30.0,
        "records_delivered": 1000, "patients_delivered": 100, "open_pipeline": 0,
    }


def test_kpis_for_the_first_half_of_2026(runner):
    row = runner.run("access_kpis", params(H1_2026)).row(0, named=True)
    # made: R5, R6, R7; delivered: R5 (31 days); open at 2026-06-30: R4 and R7 (approved only on
    # 2026-07-01); R6 is rejected, so closed
    assert (row["requests_made"], row["delivered"], row["median_lead_days"], row["open_pipeline"]) == (3, 1, 31.0, 2)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"data_types": ["emr"]}, (1, 0, None, 1)),  # R4 only: made, still open
        ({"data_types": ["genomic", "imaging"]}, (2, 2, 80.0, 0)),  # R2 and R3
        ({"access_modes": ["remote_analysis"]}, (1, 0, None, 1)),  # R4
        ({"hospital_ids": ["H1"]}, (1, 1, 110.0, 0)),  # R3
        ({"hospital_ids": ["H1"], "data_types": ["imaging"]}, (0, 0, None, 0)),  # R2 is at H2
    ],
)
def test_cross_filters_narrow_the_kpis(runner, selection, expected):
    row = runner.run("access_kpis", params(**selection)).row(0, named=True)
    assert (row["requests_made"], row["delivered"], row["median_lead_days"], row["open_pipeline"]) == expected


def test_cross_filter_values_that_look_like_sql_are_only_values(runner):
    hostile = params(data_types=["emr') or 1=1 --"], hospital_ids=["'; drop table data_requests; --"])
    row = runner.run("access_kpis", hostile).row(0, named=True)
    assert (row["requests_made"], row["delivered"], row["open_pipeline"]) == (0, 0, 0)
    assert runner.run("access_kpis", params()).row(0, named=True)["requests_made"] == 3


# --- funnel -------------------------------------------------------------------------------------


def _funnel(runner, filters):
    return runner.run("request_funnel", params(filters)).select("stage", "reached", "at_period_end").rows()


def test_funnel_for_2025(runner):
    # R2 and R3 delivered by 2025-12-31, R4 under review: all three left the queue for review
    assert _funnel(runner, YEAR_2025) == [
        ("requested", 3, 0),
        ("under_review", 3, 1),
        ("approved", 2, 0),
        ("delivered", 2, 2),
        ("rejected", 0, 0),
        ("withdrawn", 0, 0),
    ]


def test_funnel_stands_at_the_period_end_not_today(runner):
    # First half of 2026: R5 delivered; R6 rejected; R7 is approved today but its approval
    # (2026-07-01) came after the period, so at 2026-06-30 it was under review.
    assert _funnel(runner, H1_2026) == [
        ("requested", 3, 0),
        ("under_review", 3, 1),
        ("approved", 1, 0),
        ("delivered", 1, 1),
        ("rejected", 1, 1),
        ("withdrawn", 0, 0),
    ]
    whole_2026 = _funnel(runner, Filters(D(2026, 1, 1), D(2026, 12, 31)))
    assert whole_2026[2] == ("approved", 2, 1)  # R5 and R7 approved; R7 awaits delivery


def test_funnel_standing_adds_up_to_the_requests_made(runner):
    for filters in (YEAR_2025, H1_2026):
        rows = _funnel(runner, filters)
        assert sum(at_end for _, _, at_end in rows) == rows[0][1]


# --- lead time per stage ------------------------------------------------------------------------

STATS = ("approvals", "median_days_to_approval", "p90_days_to_approval", "deliveries",
         "median_days_to_delivery", "p90_days_to_delivery", "median_total_days", "p90_total_days")


def test_lead_times_by_data_type_for_2025(runner):
    frame = runner.run("request_lead_times", params(dimension="data_type"))
    assert frame.select("key", *STATS).rows() == [
        ("genomic", 1, 10.0, 10.0, 1, 100.0, 100.0, 110.0, 110.0),  # R3
        ("imaging", 1, 30.0, 30.0, 1, 20.0, 20.0, 50.0, 50.0),  # R2
    ]


def test_lead_times_by_access_mode_for_2025(runner):
    frame = runner.run("request_lead_times", params(dimension="access_mode"))
    # R2 and R3, both de-identified transfers: approval 30 and 10, delivery 20 and 100, total 50 and 110
    assert frame.select("key", *STATS).rows() == [
        ("deidentified_transfer", 2, 20.0, 28.0, 2, 60.0, 92.0, 80.0, 104.0),
    ]


def test_each_stage_counts_the_requests_that_finished_it_in_the_period(runner):
    september = Filters(D(2025, 9, 1), D(2025, 9, 30))
    frame = runner.run("request_lead_times", params(september, dimension="data_type"))
    # R3 was approved on 2025-09-11 but delivered only in December
    assert frame.select("key", *STATS).rows() == [("genomic", 1, 10.0, 10.0, 0, None, None, None, None)]


def test_hospitals_ranked_slowest_and_fastest(runner):
    ranking = dict(min_deliveries=1, top_n=10)
    slowest = runner.run("request_lead_times_by_hospital", params(fastest=False, **ranking))
    fastest = runner.run("request_lead_times_by_hospital", params(fastest=True, **ranking))
    assert slowest.select("hospital_id", "name_ko", "region_code", "median_total_days", "ranked_hospitals").rows() == [
        ("H1", "가람병원", "11", 110.0, 2),
        ("H2", "하늘병원", "26", 50.0, 2),
    ]
    assert fastest.get_column("hospital_id").to_list() == ["H2", "H1"]
    top_one = runner.run("request_lead_times_by_hospital", params(fastest=False, min_deliveries=1, top_n=1))
    assert top_one.select("hospital_id", "ranked_hospitals").rows() == [("H1", 2)]
    # each delivered one request in 2025: none is ranked at two
    assert runner.run("request_lead_times_by_hospital", params(fastest=False, min_deliveries=2, top_n=10)).height == 0


# --- open pipeline ------------------------------------------------------------------------------


def test_pipeline_by_age_at_the_end_of_2025(runner):
    frame = runner.run("request_pipeline_by_age", params())
    assert frame.height == 12  # four bands x three stages, empty ones included
    nonzero = frame.filter(frame["requests"] > 0).select("age_band", "stage", "requests").rows()
    assert nonzero == [("d31_90", "under_review", 1)]  # R4: 2025-11-01 to 2025-12-31 is 60 days


def test_pipeline_by_age_in_mid_2026(runner):
    frame = runner.run("request_pipeline_by_age", params(H1_2026))
    nonzero = frame.filter(frame["requests"] > 0).select("age_band", "stage", "requests").rows()
    # R7: 15 days (approved only after the period); R4: 2025-11-01 to 2026-06-30 is 241 days
    assert nonzero == [("d0_30", "under_review", 1), ("d181_plus", "under_review", 1)]


def test_open_requests_oldest_first_and_by_band(runner):
    listed = runner.run("request_pipeline_open", params(H1_2026, age_band="", row_limit=100))
    assert listed.select("request_id", "stage", "age_days", "open_requests").rows() == [
        ("R4", "under_review", 241, 2),
        ("R7", "under_review", 15, 2),
    ]
    young = runner.run("request_pipeline_open", params(H1_2026, age_band="d0_30", row_limit=100))
    assert young.select("request_id", "open_requests").rows() == [("R7", 1)]
    assert runner.run("request_pipeline_open", params(H1_2026, age_band="", row_limit=1)).height == 1


# --- deliveries ---------------------------------------------------------------------------------


def test_deliveries_by_month_for_2025(runner):
    frame = runner.run("request_deliveries_by_month", params())
    assert frame.height == 12  # every month, with zeros
    nonzero = frame.filter(frame["deliveries"] > 0).rows()
    assert nonzero == [(D(2025, 3, 1), 1, 500, 50), (D(2025, 12, 1), 1, 2000, 20)]  # R2, R3


# --- the view -----------------------------------------------------------------------------------


def test_view_kpis_with_change_and_detail(runner):
    view = localise(access.build(runner, YEAR_2025, min_deliveries=1), "en")
    kpis = {k.key: k for k in view.kpis}
    assert [k.key for k in view.kpis] == ["requests_made", "delivered", "median_lead_days", "p90_lead_days", "open_pipeline"]
    assert (kpis["requests_made"].value, kpis["requests_made"].previous, kpis["requests_made"].change) == (3, 1, 2)
    assert (kpis["median_lead_days"].value, kpis["median_lead_days"].change) == (80.0, 50.0)
    assert kpis["median_lead_days"].higher_is_better is False
    assert kpis["delivered"].detail == "2,500 records, 70 patients delivered"
    assert (kpis["open_pipeline"].value, kpis["open_pipeline"].previous) == (1, 0)


def test_view_funnel_shares_and_conversion(runner):
    funnel = localise(access.build(runner, YEAR_2025), "en").panel("access.funnel").frame
    assert funnel.rows() == [
        ("Requested", 3, 1.0, None, 0),
        ("Under review", 3, 1.0, 1.0, 1),
        ("Approved", 2, pytest.approx(2 / 3), pytest.approx(2 / 3), 0),
        ("Delivered", 2, pytest.approx(2 / 3), 1.0, 2),
        ("Rejected", 0, 0.0, None, 0),
        ("Withdrawn", 0, 0.0, None, 0),
    ]


def test_view_panels_are_localised(runner):
    ko = localise(access.build(runner, YEAR_2025, min_deliveries=1), "ko")
    by_type = ko.panel("access.lead_by_data_type").frame
    assert by_type.get_column("data_type").to_list() == ["유전체", "영상"]  # slowest first: 110, 50 days
    assert ko.panel("access.lead_by_hospital").frame.get_column("hospital").to_list() == ["가람병원", "하늘병원"]
    assert ko.panel("access.lead_by_hospital").title == "제공이 가장 느린 병원 2곳(제공 1건 이상인 2곳 중)"
    pipeline = ko.panel("access.pipeline").frame
    assert pipeline.filter(pipeline["requests"] > 0).rows() == [("31~90일", "심의 중", 1)]
    open_list = ko.panel("access.open_requests").frame
    # H3 has no Korean name: its English one stands in
    assert open_list.select("request_id", "hospital", "requester", "data_type", "stage").rows() == [
        ("R4", "Noeul Hospital", "한밭대학교", "전자의무기록", "심의 중")
    ]


def test_a_chart_is_not_narrowed_by_its_own_selection(runner):
    chosen = CrossFilter.of(data_types=("imaging",))
    view = localise(access.build(runner, YEAR_2025, selection=chosen, min_deliveries=1), "en")
    # the data-type chart keeps both types so another stays one click away ...
    assert view.panel("access.lead_by_data_type").frame.get_column("data_type").to_list() == ["Genomic", "Imaging"]
    # ... while the rest of the page shows imaging (R2 at H2) only
    assert view.panel("access.lead_by_access_mode").frame.select("access_mode", "deliveries").rows() == [
        ("De-identified transfer", 1)
    ]
    assert view.panel("access.lead_by_hospital").frame.get_column("hospital_id").to_list() == ["H2"]
    assert {k.key: k.value for k in view.kpis}["requests_made"] == 1
    assert view.notes == ("Data type: Imaging",)


def test_age_band_lists_its_requests_without_narrowing_the_page(runner):
    view = localise(access.build(runner, H1_2026, selection=CrossFilter.of(age_band="d181_plus")), "en")
    assert view.panel("access.open_requests").frame.get_column("request_id").to_list() == ["R4"]
    assert view.panel("access.open_requests").title == "Open requests (Over 180 days, oldest first: 1 of 1)"
    assert {k.key: k.value for k in view.kpis}["open_pipeline"] == 2


def test_selection_is_described_with_names(runner):
    chosen = CrossFilter.of(data_types=("emr",), access_modes=("safe_centre",), hospital_ids=("H1", "H3", "ZZ9"))
    described = [(field, words(label, "ko"), words(values, "ko")) for field, label, values in access.picked_texts(runner, chosen)]
    assert described == [
        ("data_types", "자료 유형", "전자의무기록"),
        ("access_modes", "이용 방식", "안심활용센터"),
        ("hospital_ids", "병원", "가람병원, Noeul Hospital, ZZ9"),  # an unknown id stays as written
    ]


def test_the_ranking_rule_states_the_threshold_the_code_uses():
    for lang in ("ko", "en"):
        assert f" {access.MIN_DELIVERIES}" in t("def.access_hospital_ranking", lang)


# --- charts -------------------------------------------------------------------------------------


def test_charts_carry_the_codes_the_page_selects(runner):
    view = localise(access.build(runner, YEAR_2025, min_deliveries=1), "ko")
    by_type = view.panel("access.lead_by_data_type")
    fig = registry.draw(by_type, "ko", selected=("imaging",))
    assert [list(trace.customdata) for trace in fig.data] == [["genomic", "imaging"]] * 2
    assert list(fig.data[0].marker.opacity) == [access_charts.FADED, 1.0]
    hospital = registry.draw(view.panel("access.lead_by_hospital"), "ko")
    assert list(hospital.data[0].customdata) == ["H1", "H2"]
    assert list(hospital.data[0].marker.opacity) == [1.0, 1.0]
    pipeline = registry.draw(view.panel("access.pipeline"), "ko")
    assert {code for trace in pipeline.data for code in trace.customdata} == set(access.AGE_BANDS)


def test_lead_time_whiskers_reach_the_90th_percentile(runner):
    panel = localise(access.build(runner, YEAR_2025), "en").panel("access.lead_by_access_mode")
    fig = registry.draw(panel, "en")
    approval, delivery = fig.data
    assert (list(approval.x), list(approval.error_x.array)) == ([20.0], [8.0])  # median 20, p90 28
    assert (list(delivery.x), list(delivery.error_x.array)) == ([60.0], [32.0])  # median 60, p90 92


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_panel_draws_in_both_languages_even_when_empty(runner, lang):
    empty = CrossFilter.of(data_types=("pathology",))  # no pathology request in the fixture
    for selection in (CrossFilter(), empty):
        for panel in localise(access.build(runner, YEAR_2025, selection=selection), lang).panels:
            if panel.chart is not None:
                figure = registry.draw(panel, lang)
                assert (figure_points(figure) > 0) == (panel.frame.height > 0), panel.key
