"""Expert consulting: queries, view and charts against hand-computed answers from tests/fixture.py.

The consultations of the fixture:
    K1  C1 (Nuri Pharm, company, Seoul 11)        2026-03-01  deidentification  2.0 h  score 5
    K2  C2 (Bitna AI, company, Gyeonggi 41)       2026-03-20  data_processing   1.5 h  score 4
    K3  U1 (Hanbat University, Daejeon 30)        2026-04-02  cdm_conversion    3.0 h  no score
Requesters and their requests (delivered ones with lead days):
    C1: R1 (2024-06-01, 30 days), R2 (2025-01-10, 50), R6 (2026-04-01, rejected), R7 (2026-06-15, open)
    C2: R3 (2025-09-01, 110), R5 (2026-05-01, 31: 14 to approval, 17 to delivery)
    U1: R4 (2025-11-01, open)
"""

import datetime as dt

import pytest

from oversight.page_state import CrossFilter
from conftest import YEAR_2025, figure_points
from oversight import schema
from oversight.charts import access as access_charts
from oversight.charts import registry
from oversight.filters import Filters
from oversight.i18n import t
from oversight.views import consulting
from oversight.views.localise import localise

D = dt.date
H1_2026 = Filters(D(2026, 1, 1), D(2026, 6, 30))


def params(filters: Filters = H1_2026, topics=()) -> dict:
    return filters.params() | {"topics": list(topics)}


# --- queries ------------------------------------------------------------------------------------


def test_kpis_for_the_first_half_of_2026(runner):
    row = runner.run("consultation_kpis", params()).row(0, named=True)
    assert row == {
        "consultations": 3,
        "hours": 6.5,  # 2 + 1.5 + 3
        "rated": 2,  # K3 has no score
        "mean_satisfaction": 4.5,  # (5 + 4) / 2
        "satisfied": 2,
        "satisfied_share": 1.0,
        "institutions": 3,
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"kinds": ["company"]}, (2, 3.5, 2, 4.5, 2)),  # K1, K2
        ({"regions": ["11"]}, (1, 2.0, 1, 5.0, 1)),  # K1 (C1 in Seoul)
        ({"sectors": ["ai_digital_health"]}, (1, 1.5, 1, 4.0, 1)),  # K2
        ({"topics": ["cdm_conversion"]}, (1, 3.0, 0, None, 1)),  # K3, unrated
    ],
)
def test_kpis_follow_the_filters_and_the_topic(runner, extra, expected):
    row = runner.run("consultation_kpis", params() | extra).row(0, named=True)
    assert (row["consultations"], row["hours"], row["rated"], row["mean_satisfaction"], row["institutions"]) == expected


def test_kpis_for_a_period_without_consultations(runner):
    row = runner.run("consultation_kpis", params(YEAR_2025)).row(0, named=True)
    assert row == {
        "consultations": 0, "hours": 0.0, "rated": 0, "mean_satisfaction": None,
        "satisfied": 0, "satisfied_share": None, "institutions": 0,
    }


def test_by_topic_lists_every_topic(runner):
    assert runner.run("consultation_by_topic", params()).rows() == [
        ("deidentification", 1, 2.0, 1, 5.0),
        ("data_processing", 1, 1.5, 1, 4.0),
        ("cdm_conversion", 1, 3.0, 0, None),
        ("ethics_irb", 0, 0.0, 0, None),
        ("security", 0, 0.0, 0, None),
        ("other", 0, 0.0, 0, None),
    ]


def test_satisfaction_by_topic_and_score(runner):
    frame = runner.run("consultation_satisfaction", params())
    assert frame.height == 30  # six topics x five scores
    assert frame.filter(frame["responses"] > 0).rows() == [("deidentification", 5, 1), ("data_processing", 4, 1)]


def test_by_month(runner):
    frame = runner.run("consultation_by_month", params())
    assert frame.height == 36  # six months x six topics
    assert frame.filter(frame["consultations"] > 0).rows() == [
        (D(2026, 3, 1), "deidentification", 1, 2.0),
        (D(2026, 3, 1), "data_processing", 1, 1.5),
        (D(2026, 4, 1), "cdm_conversion", 1, 3.0),
    ]
    one_topic = runner.run("consultation_by_month", params(topics=["cdm_conversion"]))
    assert one_topic.height == 6 and one_topic["consultations"].sum() == 1


def test_requesters_advised(runner):
    frame = runner.run("consultation_requesters", params())
    assert frame.select(
        "institution_id", "consultations", "hours", "mean_satisfaction", "topics", "first_consulted_on",
        "requests_made", "requests_after_first",
    ).rows() == [
        ("U1", 1, 3.0, None, ["cdm_conversion"], D(2026, 4, 2), 0, 0),
        ("C1", 1, 2.0, 5.0, ["deidentification"], D(2026, 3, 1), 2, 2),  # R6, R7
        ("C2", 1, 1.5, 4.0, ["data_processing"], D(2026, 3, 20), 1, 1),  # R5
    ]


def test_requesters_requests_before_and_after_their_first_consultation(runner):
    long = Filters(D(2024, 1, 1), D(2026, 6, 30))
    frame = runner.run("consultation_requesters", params(long))
    assert frame.select("institution_id", "requests_made", "requests_after_first").rows() == [
        ("U1", 1, 0),  # R4 came before U1's consultation
        ("C1", 4, 2),  # R1, R2 before; R6, R7 after 2026-03-01
        ("C2", 2, 1),  # R3 before; R5 after 2026-03-20
    ]


LEAD = ("consulted", "requests", "requesters", "median_total_days", "p90_total_days",
        "median_days_to_approval", "median_days_to_delivery")


def test_lead_times_before_any_consultation(runner):
    frame = runner.run("consultation_lead_time_comparison", params(YEAR_2025))
    # R2 (C1) and R3 (C2) delivered in 2025, both requested before their requester's first consultation
    assert frame.select(*LEAD).rows() == [
        ("after", 0, 0, None, None, None, None),
        ("before", 2, 2, 80.0, 104.0, 20.0, 60.0),
        ("never", 0, 0, None, None, None, None),
    ]


def test_lead_times_after_a_consultation(runner):
    frame = runner.run("consultation_lead_time_comparison", params())
    assert frame.select(*LEAD).rows()[0] == ("after", 1, 1, 31.0, 31.0, 14.0, 17.0)  # R5


def test_lead_times_counting_one_topic_only(runner):
    # Only U1 had a CDM consultation; C1 and C2 then count as never consulted on it
    frame = runner.run("consultation_lead_time_comparison", params(YEAR_2025, topics=["cdm_conversion"]))
    assert frame.select(*LEAD).rows()[2] == ("never", 2, 2, 80.0, 104.0, 20.0, 60.0)


# --- the view -----------------------------------------------------------------------------------


def test_view_kpis(runner):
    kpis = {k.key: k for k in localise(consulting.build(runner, H1_2026), "en").kpis}
    assert (kpis["consultations"].value, kpis["consultations"].previous) == (3, 0)
    assert kpis["satisfied_share"].value == 1.0
    assert kpis["satisfied_share"].detail == "Mean 4.50 of 5 from 2 responses"
    assert kpis["hours"].value == 6.5


def test_view_satisfaction_shares(runner):
    frame = localise(consulting.build(runner, H1_2026), "ko").panel("consulting.satisfaction").frame
    assert frame.columns == ["topic", "rated", "mean_satisfaction", "share_1", "share_2", "share_3", "share_4", "share_5"]
    assert frame.row(0) == ("가명처리", 1, 5.0, 0.0, 0.0, 0.0, 0.0, 1.0)
    assert frame.row(1) == ("데이터 가공", 1, 4.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    assert frame.row(2) == ("CDM 변환", 0, None, None, None, None, None, None)  # no response, no share


def test_view_requesters_are_named_and_topics_translated(runner):
    frame = localise(consulting.build(runner, H1_2026), "en").panel("consulting.requesters").frame
    assert frame.select("requester", "kind", "sector", "topics").rows() == [
        ("Hanbat University", "University", None, "CDM conversion"),
        ("Nuri Pharm", "Company", "Pharmaceutical", "De-identification"),
        ("Bitna AI", "Company", "AI & digital health", "Data processing"),
    ]


def test_the_page_states_association_not_causation(runner):
    for lang in ("ko", "en"):
        view = localise(consulting.build(runner, YEAR_2025), lang)
        note = t("consulting.association_note", lang)
        assert note in view.notes
        assert note in view.panel("consulting.lead_time").definition
    assert "not causation" in t("consulting.association_note", "en")
    assert "인과관계가 아닙니다" in t("consulting.association_note", "ko")


def test_a_topic_narrows_the_rest_but_not_its_own_charts(runner):
    chosen = CrossFilter.of(topics=("cdm_conversion",))
    view = localise(consulting.build(runner, H1_2026, selection=chosen), "en")
    assert view.panel("consulting.by_topic").frame.height == 6
    assert view.panel("consulting.requesters").frame.get_column("institution_id").to_list() == ["U1"]
    assert {k.key: k.value for k in view.kpis}["consultations"] == 1
    assert view.notes[-1] == "Topic: CDM conversion"


def test_charts_carry_topic_codes(runner):
    view = localise(consulting.build(runner, H1_2026), "ko")
    fig = registry.draw(view.panel("consulting.by_topic"), "ko", selected=("security",))
    assert list(fig.data[0].customdata) == list(schema.CONSULTATION_TOPICS)
    assert list(fig.data[0].marker.opacity) == [access_charts.FADED] * 4 + [1.0, access_charts.FADED]
    satisfaction = registry.draw(view.panel("consulting.satisfaction"), "ko")
    assert len(satisfaction.data) == 5 and list(satisfaction.data[0].customdata) == list(schema.CONSULTATION_TOPICS)
    comparison = registry.draw(view.panel("consulting.lead_time"), "en")
    assert list(comparison.data[0].text) == ["n = 1", "n = 0", "n = 0"]
    assert list(comparison.data[0].x) == [31.0, None, None]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_panel_draws(runner, lang):
    for filters in (H1_2026, YEAR_2025):
        for panel in localise(consulting.build(runner, filters), lang).panels:
            if panel.chart is not None:
                figure = registry.draw(panel, lang)
                assert (figure_points(figure) > 0) == (panel.frame.height > 0), panel.key
