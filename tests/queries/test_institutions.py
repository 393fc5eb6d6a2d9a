"""Institutions: queries, view and charts on the known-answer fixture (tests/fixture.py).

Expected values were read off the fixture's rows by hand (arithmetic in the comments). Period
2025 (previous period 2024-01-02 to 2024-12-31) unless a test says otherwise. Hospitals: H1
(Seoul, tertiary, joined 2024-01-15, infrastructure 2021, safe centre 2026-04-01), H2 (Busan,
joined 2024-03-10), H3 (Jeonbuk, joined 2025-06-01, no Korean name). Requesters: C1 (pharma,
Seoul, 2024-02-01), C2 (AI, Gyeonggi, 2025-07-20), U1 (university, Daejeon, 2025-09-05).
Agreements and requests as listed in tests/queries/test_agreements.py.
"""

import datetime as dt

import pytest

from conftest import YEAR_2025
from oversight.charts import institutions as institution_charts
from oversight.filters import Filters
from oversight.views import institutions
from oversight.views.localise import localise, view_in

D = dt.date
TO_2025 = {"date_to": D(2025, 12, 31)}


def _profile_params(institution_id, filters=YEAR_2025):
    return {"institution_id": institution_id, "date_from": filters.date_from, "date_to": filters.date_to}


# --- headline figures ------------------------------------------------------------------------------

def test_kpis_for_2025_and_before(runner):
    now = runner.run("institution_kpis", YEAR_2025.params()).row(0, named=True)
    # hospitals H1 H2 H3 all joined by 2025-12-31 and all active: A2 (H1), A3 (H3), R2 (H2), R3 (H1), R4 (H3);
    # requesters C1 C2 U1 joined and active: A2 (C2), A3 (U1), R2 (C1 under A1)
    assert now == {"hospitals": 3, "active_hospitals": 3, "requesters": 3, "active_requesters": 3}
    before = runner.run("institution_kpis", YEAR_2025.previous().params()).row(0, named=True)
    # 2024: H1 and H2 joined, A1 [H1, H2] and R1 (H1); C1 joined and signed A1
    assert before == {"hospitals": 2, "active_hospitals": 2, "requesters": 1, "active_requesters": 1}


def test_kpis_with_kind_and_region_filters(runner):
    universities = runner.run("institution_kpis", YEAR_2025.params() | {"kinds": ["university"]}).row(0, named=True)
    # the kind filter picks requesters: U1 only; hospitals stay, active only through U1's A3 and R4 (H3)
    assert universities == {"hospitals": 3, "active_hospitals": 1, "requesters": 1, "active_requesters": 1}
    seoul = runner.run("institution_kpis", YEAR_2025.params() | {"regions": ["11"]}).row(0, named=True)
    # Seoul: H1 (A2, R3) and C1 (R2 in 2025)
    assert seoul == {"hospitals": 1, "active_hospitals": 1, "requesters": 1, "active_requesters": 1}


# --- league tables ---------------------------------------------------------------------------------

def test_hospital_league_for_2025(runner):
    frame = runner.run("hospital_league", YEAR_2025.params())
    assert frame.select(
        "institution_id", "agreements", "requests", "delivered", "median_lead_days", "records",
        "assessed_on", "passed", "failed", "score",
    ).rows() == [
        # H1: A2; R3 requested and delivered in 2025 (110 days, 2000 records); latest quality
        # 2025-12-31: c1 c2 c5 pass, c3 fails, c4 not applicable -> 3 / 4
        ("H1", 1, 1, 1, 110.0, 2000, D(2025, 12, 31), 3, 1, 0.75),
        # H3: A3; R4 still under review; never assessed
        ("H3", 1, 1, 0, None, 0, None, None, None, None),
        # H2: no agreement in 2025; R2 requested and delivered (50 days, 500 records); 5 of 5 pass
        ("H2", 0, 1, 1, 50.0, 500, D(2025, 12, 31), 5, 0, 1.0),
    ]
    assert frame.select("infrastructure_since", "hospital_tier").rows() == [
        (2021, "tertiary"), (None, "hospital"), (2022, "general"),
    ]


def test_hospital_league_in_oncology(runner):
    frame = runner.run("hospital_league", YEAR_2025.params() | {"areas": ["oncology"]})
    # only A1 is oncology (2024); its R2 (H2) falls in 2025
    assert frame.select("institution_id", "agreements", "requests", "delivered").rows() == [
        ("H2", 0, 1, 1), ("H1", 0, 0, 0), ("H3", 0, 0, 0),
    ]


def test_requester_league_for_2025(runner):
    frame = runner.run("requester_league", YEAR_2025.params())
    assert frame.select(
        "institution_id", "agreements", "hospitals", "requests", "delivered", "records", "median_lead_days",
    ).rows() == [
        ("C2", 1, 1, 1, 1, 2000, 110.0),  # A2 with H1; R3
        ("U1", 1, 1, 1, 0, 0, None),  # A3 with H3; R4 open
        ("C1", 0, 0, 1, 1, 500, 50.0),  # A1 was 2024; R2 delivered in 2025
    ]


def test_requester_league_by_kind_and_sector(runner):
    companies = runner.run("requester_league", YEAR_2025.params() | {"kinds": ["company"]})
    assert companies["institution_id"].to_list() == ["C2", "C1"]
    pharma = runner.run("requester_league", YEAR_2025.params() | {"sectors": ["pharmaceutical"]})
    assert pharma["institution_id"].to_list() == ["C1"]


# --- one institution -------------------------------------------------------------------------------

def test_profile_of_a_hospital(runner):
    row = runner.run("institution_profile", _profile_params("H1")).row(0, named=True)
    # A2 in 2025, A1 and A2 to date, with requesters C1 and C2; R3 requested and delivered in 2025
    assert {k: row[k] for k in ("agreements", "agreements_to_date", "partners", "requests", "delivered",
                                "records", "median_lead_days")} == {
        "agreements": 1, "agreements_to_date": 2, "partners": 2, "requests": 1, "delivered": 1,
        "records": 2000, "median_lead_days": 110.0,
    }
    assert runner.run("institution_profile", _profile_params("nobody")).height == 0


def test_profile_of_a_requester(runner):
    row = runner.run("institution_profile", _profile_params("C1")).row(0, named=True)
    # A1 (2024) with H1 and H2; R2 requested 2025-01-10 and delivered 2025-03-01 (50 days, 500 records)
    assert (row["agreements"], row["agreements_to_date"], row["partners"]) == (0, 1, 2)
    assert (row["requests"], row["delivered"], row["records"], row["median_lead_days"]) == (1, 1, 500, 50.0)


def test_activity_by_month(runner):
    frame = runner.run("institution_activity_by_month", {"institution_id": "C1"} | TO_2025)
    # from the month C1 joined (2024-02) to 2025-12: 23 months
    assert frame.height == 23 and frame["month"][0] == D(2024, 2, 1)
    months = {row["month"]: (row["agreements"], row["requests"], row["delivered"]) for row in frame.iter_rows(named=True)}
    assert months[D(2024, 5, 1)] == (1, 0, 0)  # A1
    assert months[D(2024, 6, 1)] == (0, 1, 0)  # R1
    assert months[D(2024, 7, 1)] == (0, 0, 1)  # R1 delivered
    assert months[D(2025, 1, 1)] == (0, 1, 0)  # R2
    assert months[D(2025, 3, 1)] == (0, 0, 1)  # R2 delivered
    assert (frame["agreements"].sum(), frame["requests"].sum(), frame["delivered"].sum()) == (1, 2, 2)


def test_quality_history_overall_and_by_category(runner):
    frame = runner.run("hospital_quality_history", {"institution_id": "H1"} | TO_2025)
    assert frame.rows() == [
        # 2025-06-30: c1 pass, c2 fail, c3 pass, c4 n/a, c5 fail
        (D(2025, 6, 30), "overall", 2, 2, 1, 0.5),
        (D(2025, 6, 30), "completeness", 0, 1, 1, 0.0),  # c2 fail, c4 n/a
        (D(2025, 6, 30), "conformance", 1, 1, 0, 0.5),  # c1 pass, c5 fail
        (D(2025, 6, 30), "plausibility", 1, 0, 0, 1.0),  # c3 pass
        # 2025-12-31: c1 pass, c2 pass, c3 fail, c4 n/a, c5 pass (empty denominator)
        (D(2025, 12, 31), "overall", 3, 1, 1, 0.75),
        (D(2025, 12, 31), "completeness", 1, 0, 1, 1.0),
        (D(2025, 12, 31), "conformance", 2, 0, 0, 1.0),
        (D(2025, 12, 31), "plausibility", 0, 1, 0, 0.0),
    ]
    earlier = runner.run("hospital_quality_history", {"institution_id": "H1", "date_to": D(2025, 9, 30)})
    assert set(earlier["assessed_on"]) == {D(2025, 6, 30)}


def test_centre_usage_with_requests_served(runner):
    to_june = {"date_to": D(2026, 6, 30)}
    h1 = runner.run("institution_centre_usage", {"institution_id": "H1"} | to_june)
    # reported April and May; R5 (2026-05-01) used H1's centre
    assert h1.rows() == [(D(2026, 4, 1), 10, 35.5, 4, 0), (D(2026, 5, 1), 12, 40.0, 5, 1)]
    p1 = runner.run("institution_centre_usage", {"institution_id": "P1"} | to_june)
    # May reported; R7 (2026-06-15) chose P1 in a month without a report
    assert p1.rows() == [(D(2026, 5, 1), 3, 6.0, 2, 0), (D(2026, 6, 1), None, None, None, 1)]


def test_partners(runner):
    h1 = runner.run("institution_partners", {"institution_id": "H1"} | TO_2025)
    assert h1.select("partner_id", "agreements", "first_signed_on", "requests", "delivered").rows() == [
        ("C1", 1, D(2024, 5, 1), 1, 1),  # A1; R1 (R7 is 2026)
        ("C2", 1, D(2025, 8, 1), 1, 1),  # A2; R3
    ]
    c1 = runner.run("institution_partners", {"institution_id": "C1", "date_to": D(2026, 12, 31)})
    assert c1.select("partner_id", "agreements", "first_signed_on", "last_signed_on", "requests", "delivered").rows() == [
        ("H2", 2, D(2024, 5, 1), D(2026, 3, 15), 2, 1),  # A1 and A4; R2 delivered, R6 rejected
        ("H1", 1, D(2024, 5, 1), D(2024, 5, 1), 2, 1),  # A1; R1 delivered, R7 approved
    ]


def test_institution_agreements(runner):
    h1 = runner.run("institution_agreements", {"institution_id": "H1"} | TO_2025)
    # a hospital counts the requests it received: A2 R3; A1 R1 (R2 went to H2)
    assert h1.select("agreement_id", "requests", "delivered", "hospitals_en").rows() == [
        ("A2", 1, 1, "Garam Hospital"), ("A1", 1, 1, "Garam Hospital, Haneul Hospital"),
    ]
    c1 = runner.run("institution_agreements", {"institution_id": "C1", "date_to": D(2026, 12, 31)})
    # a requester counts all its own: A4 R6 (rejected); A1 R1, R2, R7 (two delivered)
    assert c1.select("agreement_id", "requests", "delivered").rows() == [("A4", 1, 0), ("A1", 3, 2)]


# --- the view --------------------------------------------------------------------------------------

def test_view_kpis_and_panels(runner):
    view = localise(institutions.build(runner, YEAR_2025), "en")
    assert [(k.label, k.value, k.previous) for k in view.kpis] == [
        ("Hospitals in the programme", 3, 2),
        ("Active hospitals", 3, 2),
        ("Requesters in the programme", 3, 1),
        ("Active requesters", 3, 1),
    ]
    assert [p.key for p in view.panels] == [
        "institutions.workload", "institutions.top_requesters", "institutions.hospitals", "institutions.requesters",
    ]
    hospitals = view.panel("institutions.hospitals").frame
    assert hospitals.select("name", "region", "tier", "score").rows() == [
        ("Garam Hospital", "Seoul", "Tertiary", 0.75),
        ("Noeul Hospital", "Jeonbuk", "Hospital", None),
        ("Haneul Hospital", "Busan", "General", 1.0),
    ]
    requesters = view.panel("institutions.requesters").frame
    assert requesters.select("name", "requester_group", "region").rows() == [
        ("Bitna AI", "AI & digital health", "Gyeonggi"),
        ("Hanbat University", "University", "Daejeon"),
        ("Nuri Pharm", "Pharmaceutical", "Seoul"),
    ]
    # C2 and U1 tie at one agreement and one request: by id
    assert view.panel("institutions.top_requesters").frame["institution_id"].to_list() == ["C2", "U1"]
    assert view.panel("institutions.workload").frame["institution_id"].to_list() == ["H1", "H3", "H2"]


def test_view_in_korean(runner):
    view = localise(institutions.build(runner, YEAR_2025), "ko")
    hospitals = view.panel("institutions.hospitals").frame
    assert hospitals["name"].to_list() == ["가람병원", "Noeul Hospital", "하늘병원"]  # H3: English stands in
    assert view.kpis[0].label == "참여 병원"


def test_profile_view_of_a_hospital_and_safe_centre(runner):
    view = view_in(institutions.profile, runner, Filters(D(2026, 1, 1), D(2026, 6, 30)), "en", "H1")
    assert view.title == "Garam Hospital"
    assert [p.key for p in view.panels] == [
        "institutions.profile.facts", "institutions.profile.activity", "institutions.profile.quality",
        "institutions.profile.centre", "institutions.profile.partners", "institutions.profile.agreements",
    ]
    # 2026 H1: no agreement signed; R5 and R7 received, R5 delivered (31 days); partners C1 and C2
    assert [(k.label, k.value) for k in view.kpis] == [
        ("Agreements signed in the period", 0), ("Agreements to date", 2), ("Requesters signed with", 2),
        ("Data requests in the period", 2), ("Delivered in the period", 1), ("Median lead time", 31.0),
    ]
    facts = dict(view.panel("institutions.profile.facts").frame.rows())
    assert facts["Name in the other language"] == "가람병원"
    assert (facts["Hospital tier"], facts["Infrastructure year"], facts["Safe centre since"]) == (
        "Tertiary", "2021", "2026-04-01",
    )
    assert view.panel("institutions.profile.partners").title == "Requesters it signed with"
    activity = view.panel("institutions.profile.activity").frame
    assert set(activity["series"]) == {"Agreements signed", "Data requests", "Delivered"}
    assert activity.filter(activity["series"] == "Data requests")["count"].sum() == 4  # R1, R3, R5, R7


def test_profile_view_of_a_requester(runner):
    view = view_in(institutions.profile, runner, YEAR_2025, "ko", "C1")
    assert view.title == "누리제약"
    keys = [p.key for p in view.panels]
    assert "institutions.profile.quality" not in keys and "institutions.profile.centre" not in keys
    assert view.kpis[2].label == "협약 병원"
    assert dict(view.panel("institutions.profile.facts").frame.rows())["분야"] == "제약"
    assert institutions.profile(runner, YEAR_2025, "nobody") is None


def test_profile_quality_panel_labels_categories(runner):
    view = view_in(institutions.profile, runner, YEAR_2025, "en", "H1")
    quality = view.panel("institutions.profile.quality").frame
    assert quality.filter(quality["category"] == "Overall").select("assessed_on", "score").rows() == [
        (D(2025, 6, 30), 0.5), (D(2025, 12, 31), 0.75),
    ]


# --- charts ----------------------------------------------------------------------------------------

def test_workload_chart_one_point_per_hospital_with_its_id(runner):
    panel = localise(institutions.build(runner, YEAR_2025), "en").panel("institutions.workload")
    fig = institution_charts.workload(panel, "en", selected="H2")
    points = {i: (x, y, sym) for trace in fig.data
              for i, x, y, sym in zip(trace.customdata, trace.x, trace.y, trace.marker.symbol)}
    # H3 has delivered nothing: drawn hollow on the axis
    assert points == {"H1": (1, 110.0, "circle"), "H3": (1, 0, "circle-open"), "H2": (1, 50.0, "circle")}
    opacity = {i: o for trace in fig.data for i, o in zip(trace.customdata, trace.marker.opacity)}
    assert opacity == {"H1": institution_charts.UNSELECTED_OPACITY, "H3": institution_charts.UNSELECTED_OPACITY, "H2": 1.0}


def test_top_requesters_chart(runner):
    panel = localise(institutions.build(runner, YEAR_2025), "en").panel("institutions.top_requesters")
    fig = institution_charts.top_requesters(panel, "en", selected="U1")
    assert list(fig.data[0].customdata) == ["C2", "U1"]
    assert list(fig.data[0].y) == ["Bitna AI", "Hanbat University"]
    assert list(fig.data[0].marker.opacity) == [institution_charts.UNSELECTED_OPACITY, 1.0]
    # a hospital's profile open: no requester is faded
    other = institution_charts.top_requesters(panel, "en", selected="H1")
    assert list(other.data[0].marker.opacity) == [1.0, 1.0]
    workload = institution_charts.workload(localise(institutions.build(runner, YEAR_2025), "en").panel("institutions.workload"), "en", selected="C1")
    assert {o for trace in workload.data for o in trace.marker.opacity} == {1.0}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_panel_has_a_definition(runner, lang):
    view = localise(institutions.build(runner, YEAR_2025), lang)
    profile = view_in(institutions.profile, runner, YEAR_2025, lang, "H1")
    for panel in (*view.panels, *profile.panels):
        assert panel.definition and "{" not in panel.definition and "{" not in panel.title, panel.key


def test_profile_of_a_safe_centre_without_agreements(runner):
    view = view_in(institutions.profile, runner, Filters(D(2026, 1, 1), D(2026, 6, 30)), "en", "P1")
    # the public agency signs nothing and requests nothing: no activity to draw
    assert view.panel("institutions.profile.activity").frame.height == 0
    # its centre: May reported (3 sessions); R7 (June) chose it
    assert view.panel("institutions.profile.centre").frame.select("month", "sessions", "requests").rows() == [
        (D(2026, 5, 1), 3, 0), (D(2026, 6, 1), None, 1),
    ]
