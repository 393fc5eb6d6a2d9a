"""Agreements: queries, view and charts on the known-answer fixture (tests/fixture.py).

Every expected value below was read off the fixture's rows by hand; the arithmetic is in the
comments. Period: 2025 (previous period 2024-01-02 to 2024-12-31) unless a test says otherwise.

The fixture's agreements: A1 2024-05-01 C1 oncology active [H1, H2]; A2 2025-08-01 C2
medical_imaging active [H1]; A3 2025-10-10 U1 neurology signed [H3]; A4 2026-03-15 C1
cardiovascular signed, ends 2027-03-14 [H2]. Requests: R1 A1/H1 delivered 2024-07-01 (lead 30);
R2 A1/H2 delivered 2025-03-01 (lead 50); R3 A2/H1 delivered 2025-12-20 (lead 110); R4 A3/H3 under
review; R5 A2/H1 delivered 2026-06-01 (lead 31); R6 A4/H2 rejected; R7 A1/H1 approved 2026.
"""

import datetime as dt
from dataclasses import replace

import pytest

from conftest import YEAR_2025
from oversight.page_state import CrossFilter
from oversight.charts import agreements as agreement_charts
from oversight.filters import PROGRAMME_START, Filters
from oversight.views import agreements
from oversight.views.localise import localise

D = dt.date
ALL_TO_2025 = replace(YEAR_2025, date_from=PROGRAMME_START)  # every agreement signed by 2025-12-31


def _list(runner, filters=YEAR_2025, **extra):
    params = filters.params() | {
        "agreement_statuses": [], "party_id": "", "search": "", "agreement_order": "newest", "row_limit": 1000,
    } | extra
    return runner.run("agreement_list", params)


def _network(runner, filters=YEAR_2025, top_n=1, **extra):
    params = filters.params() | {"agreement_statuses": [], "party_id": "", "top_n": top_n} | extra
    return runner.run("agreement_network", params)


# --- headline figures ------------------------------------------------------------------------------

def test_kpis_for_2025(runner):
    row = runner.run("agreement_kpis", YEAR_2025.params()).row(0, named=True)
    assert row == {
        "signed": 2,  # A2, A3
        "in_force": 3,  # A1, A2, A3: signed by 2025-12-31, no end date, signed or active
        "requesters": 2,  # C2 (A2), U1 (A3)
        "hospital_links": 2,  # A2 [H1], A3 [H3]
        "hospitals_per_agreement": 1.0,  # 2 / 2
    }


def test_kpis_for_the_previous_period(runner):
    row = runner.run("agreement_kpis", YEAR_2025.previous().params()).row(0, named=True)
    # A1 only: signed 2024-05-01 with H1 and H2
    assert row == {"signed": 1, "in_force": 1, "requesters": 1, "hospital_links": 2, "hospitals_per_agreement": 2.0}


def test_an_agreement_is_in_force_until_its_end_date(runner):
    year_2026 = Filters(D(2026, 1, 1), D(2026, 12, 31))
    # A4 ends 2027-03-14: in force at the end of 2026 with A1, A2, A3
    assert runner.run("agreement_kpis", year_2026.params())["in_force"][0] == 4
    half_2027 = Filters(D(2027, 1, 1), D(2027, 6, 30))
    row = runner.run("agreement_kpis", half_2027.params()).row(0, named=True)
    assert row["in_force"] == 3  # A4 ended 2027-03-14
    assert (row["signed"], row["requesters"], row["hospitals_per_agreement"]) == (0, 0, None)


def test_signed_by_month_with_the_running_total(runner):
    frame = runner.run("agreement_signed_by_month", YEAR_2025.params())
    assert frame["month"].to_list() == [D(2025, m, 1) for m in range(1, 13)]
    # A2 in August, A3 in October; A1 (2024) is in the running total from the start
    assert frame["signed"].to_list() == [0] * 7 + [1, 0, 1, 0, 0]
    assert frame["cumulative"].to_list() == [1] * 7 + [2, 2, 3, 3, 3]


def test_signed_by_month_counts_only_days_inside_the_period(runner):
    frame = runner.run("agreement_signed_by_month", Filters(D(2025, 8, 15), D(2025, 10, 20)).params())
    # A2 (2025-08-01) is before the period: not signed in August, but in the running total
    assert frame.rows() == [(D(2025, 8, 1), 0, 2), (D(2025, 9, 1), 0, 2), (D(2025, 10, 1), 1, 3)]


def test_mix_by_area_group_and_status(runner):
    frame = runner.run("agreement_mix", YEAR_2025.params())
    assert sorted(frame.rows()) == [
        ("area", "medical_imaging", 1),  # A2
        ("area", "neurology", 1),  # A3
        ("requester_group", "ai_digital_health", 1),  # C2 is an AI company
        ("requester_group", "university", 1),  # U1
        ("status", "active", 1),  # A2
        ("status", "signed", 1),  # A3
    ]


def test_mix_in_seoul(runner):
    frame = runner.run("agreement_mix", YEAR_2025.params() | {"regions": ["11"]})
    # only A2 has a hospital in Seoul (H1)
    assert sorted(frame.rows()) == [
        ("area", "medical_imaging", 1), ("requester_group", "ai_digital_health", 1), ("status", "active", 1),
    ]


# --- the network -----------------------------------------------------------------------------------

NETWORK_COLUMNS = ["requester_id", "requester_rank", "requester_agreements", "requester_members",
                   "hospital_id", "hospital_rank", "hospital_agreements", "hospital_members", "agreements"]


def test_network_top_one_folds_the_rest_into_other(runner):
    frame = _network(runner).select(NETWORK_COLUMNS)
    # 2025: C2-H1 (A2) and U1-H3 (A3). Ties go to the smaller id: C2 and H1 are kept, U1 and H3
    # are folded into "other" (null id, rank 2) with one member and one agreement each.
    assert frame.rows() == [
        ("C2", 1, 1, 1, "H1", 1, 1, 1, 1),
        (None, 2, 1, 1, None, 2, 1, 1, 1),
    ]


def test_network_keeps_a_chosen_institution_apart_and_first(runner):
    frame = _network(runner, party_id="U1").select("requester_id", "requester_rank", "hospital_id", "agreements")
    # U1 ranks first though C2 has as many agreements; hospitals H1 (A2) and H3 (A3) tie: H1 kept
    assert frame.rows() == [("U1", 1, None, 1), (None, 2, "H1", 1)]
    frame = _network(runner, party_id="H3").select("requester_id", "hospital_id", "hospital_rank")
    assert frame.rows() == [("C2", None, 2), (None, "H3", 1)]


def test_network_over_all_agreements_to_the_period_end(runner):
    frame = _network(runner, ALL_TO_2025).select(NETWORK_COLUMNS)
    # A1 C1-[H1,H2], A2 C2-H1, A3 U1-H3. Requesters tie at one agreement each: C1 kept.
    # Hospitals: H1 has two (A1, A2) and is kept; H2 and H3 are "other" (A1 and A3).
    assert frame.rows() == [
        ("C1", 1, 1, 1, "H1", 1, 2, 1, 1),  # A1
        ("C1", 1, 1, 1, None, 2, 2, 2, 1),  # A1 via H2
        (None, 2, 2, 2, "H1", 1, 2, 1, 1),  # A2 (C2)
        (None, 2, 2, 2, None, 2, 2, 2, 1),  # A3 (U1-H3)
    ]


def test_network_with_everyone_shown(runner):
    frame = _network(runner, ALL_TO_2025, top_n=10)
    assert frame.select("requester_id", "hospital_id", "agreements").rows() == [
        ("C1", "H1", 1), ("C1", "H2", 1), ("C2", "H1", 1), ("U1", "H3", 1),
    ]
    assert frame["requester_en"].to_list() == ["Nuri Pharm", "Nuri Pharm", "Bitna AI", "Hanbat University"]


def test_network_with_a_region_draws_only_links_to_its_hospitals(runner):
    frame = _network(runner, ALL_TO_2025, top_n=10, regions=["26"])
    assert frame.select("requester_id", "hospital_id", "agreements").rows() == [("C1", "H2", 1)]  # A1 via H2


def test_network_by_status(runner):
    frame = _network(runner, ALL_TO_2025, top_n=10, agreement_statuses=["signed"])
    assert frame.select("requester_id", "hospital_id").rows() == [("U1", "H3")]  # A3; A4 is 2026


# --- the list --------------------------------------------------------------------------------------

def test_list_for_2025_newest_first(runner):
    frame = _list(runner)
    assert frame["agreement_id"].to_list() == ["A3", "A2"]
    assert frame["matches"].to_list() == [2, 2]
    # requests and deliveries up to 2025-12-31: A3 has R4 (open), A2 has R3 (delivered)
    assert frame.select("requests", "delivered").rows() == [(1, 0), (1, 1)]
    # H3 has no Korean name: the English one stands in
    assert frame.select("hospitals_ko", "hospitals_en").rows() == [
        ("Noeul Hospital", "Noeul Hospital"), ("가람병원", "Garam Hospital"),
    ]


def test_list_search_finds_ids_names_and_titles_in_either_language(runner):
    assert _list(runner, search="garam")["agreement_id"].to_list() == ["A2"]  # H1 in 2025
    assert _list(runner, ALL_TO_2025, search="가람")["agreement_id"].to_list() == ["A2", "A1"]
    assert _list(runner, ALL_TO_2025, search="  LUNG ")["agreement_id"].to_list() == ["A1"]  # title
    assert _list(runner, ALL_TO_2025, search="빛나")["agreement_id"].to_list() == ["A2"]  # requester
    assert _list(runner, ALL_TO_2025, search="a3")["agreement_id"].to_list() == ["A3"]  # id


def test_list_search_text_is_a_value_not_a_pattern(runner):
    assert _list(runner, ALL_TO_2025, search="%").height == 0
    assert _list(runner, ALL_TO_2025, search="_").height == 0
    assert _list(runner, ALL_TO_2025, search="' or 1=1 --").height == 0


def test_list_orders(runner):
    ids = lambda order: _list(runner, ALL_TO_2025, agreement_order=order)["agreement_id"].to_list()
    assert ids("oldest") == ["A1", "A2", "A3"]
    assert ids("hospitals") == ["A1", "A3", "A2"]  # A1 has two; the ties newest first
    assert ids("requests") == ["A1", "A3", "A2"]  # A1: R1, R2 (R7 is 2026); A2 and A3 one each
    assert ids("id") == ["A1", "A2", "A3"]
    assert ids("no such order") == ["A3", "A2", "A1"]  # newest first


def test_list_is_limited_and_counts_every_match(runner):
    frame = _list(runner, ALL_TO_2025, row_limit=1)
    assert frame["agreement_id"].to_list() == ["A3"]
    assert frame["matches"].to_list() == [3]


def test_list_by_party_and_status(runner):
    assert _list(runner, ALL_TO_2025, party_id="H1")["agreement_id"].to_list() == ["A2", "A1"]
    assert _list(runner, ALL_TO_2025, party_id="C1")["agreement_id"].to_list() == ["A1"]
    assert _list(runner, ALL_TO_2025, agreement_statuses=["active"])["agreement_id"].to_list() == ["A2", "A1"]


# --- one agreement ---------------------------------------------------------------------------------

def test_detail_of_a1(runner):
    row = runner.run("agreement_detail", {"agreement_id": "A1"}).row(0, named=True)
    assert (row["requester_id"], row["requester_region"], row["hospitals"]) == ("C1", "11", 2)
    # R1, R2, R7; R1 and R2 delivered (1000 + 500 records, 100 + 50 patients, leads 30 and 50)
    assert (row["requests"], row["delivered"], row["open_requests"]) == (3, 2, 1)
    assert (row["records"], row["patients"], row["median_lead_days"]) == (1500, 150, 40.0)
    assert runner.run("agreement_detail", {"agreement_id": "A9"}).height == 0


def test_parties_and_requests_of_a1(runner):
    parties = runner.run("agreement_parties", {"agreement_id": "A1"})
    # H1: R1 (delivered, 30 days) and R7 (approved); H2: R2 (delivered, 50 days)
    assert parties.select("hospital_id", "requests", "delivered", "median_lead_days").rows() == [
        ("H1", 2, 1, 30.0), ("H2", 1, 1, 50.0),
    ]
    requests = runner.run("agreement_requests", {"agreement_id": "A1"})
    assert requests.select("request_id", "days_to_approval", "days_approval_to_delivery", "lead_days").rows() == [
        ("R7", 16, None, None), ("R2", 30, 20, 50), ("R1", 20, 10, 30),
    ]


# --- the view --------------------------------------------------------------------------------------

def test_view_kpis(runner):
    view = localise(agreements.build(runner, YEAR_2025), "en")
    assert [(k.label, k.value, k.previous, k.unit) for k in view.kpis] == [
        ("Agreements signed", 2, 1, "count"),
        ("Agreements in force", 3, 1, "count"),
        ("Requesters that signed", 2, 1, "count"),
        ("Hospitals per agreement", 1.0, 2.0, "decimal"),
    ]
    assert view.kpis[3].detail == "2 hospital places in 2 agreements"
    assert view.kpis[0].detail == "+100.0% on the previous period"  # 2 against 1
    assert view.kpis[1].detail == "+200.0% on the previous period"  # 3 against 1
    assert view.sheet == "Agreements"


def test_view_mix_with_shares_and_the_previous_period(runner):
    view = localise(agreements.build(runner, YEAR_2025), "en")
    assert view.panel("agreements.by_area").frame.rows() == [
        ("Medical imaging", 1, 0.5, 0, 1),  # 1 of 2 signed in 2025; none in 2024
        ("Neurology", 1, 0.5, 0, 1),
    ]
    assert view.panel("agreements.by_status").frame.rows() == [
        ("Active", 1, 0.5, 1, 0),  # A2 now; A1 in 2024
        ("Signed", 1, 0.5, 0, 1),
    ]
    assert view.panel("agreements.by_requester_group").frame.rows() == [
        ("AI & digital health", 1, 0.5, 0, 1), ("University", 1, 0.5, 0, 1),
    ]
    korean = localise(agreements.build(runner, YEAR_2025), "ko").panel("agreements.by_area").frame
    assert korean["research_area"].to_list() == ["신경", "의료영상"]


def test_view_list_and_its_note(runner):
    view = localise(agreements.build(runner, YEAR_2025), "en")
    listing = view.panel("agreements.list").frame
    assert listing.select("agreement_id", "requester", "requester_group", "hospital_names", "status").rows() == [
        ("A3", "Hanbat University", "University", "Noeul Hospital", "Signed"),
        ("A2", "Bitna AI", "AI & digital health", "Garam Hospital", "Active"),
    ]
    assert view.notes == ("Showing 2 of 2 matching agreements.",)


def test_a_focus_narrows_the_network_and_the_list_but_not_the_figures(runner):
    view = localise(agreements.build(runner, YEAR_2025, picks=CrossFilter.of(area="neurology")), "en")
    assert view.panel("agreements.list").frame["agreement_id"].to_list() == ["A3"]
    assert view.panel("agreements.network").frame.select("requester_id", "hospital_id").rows() == [("U1", "H3")]
    assert view.kpis[0].value == 2  # the headline keeps the whole
    assert view.panel("agreements.by_area").frame.height == 2

    by_group = localise(agreements.build(runner, YEAR_2025, picks=CrossFilter.of(requester_group="ai_digital_health")), "en")
    assert by_group.panel("agreements.list").frame["agreement_id"].to_list() == ["A2"]
    by_status = localise(agreements.build(runner, YEAR_2025, picks=CrossFilter.of(status="signed")), "en")
    assert by_status.panel("agreements.list").frame["agreement_id"].to_list() == ["A3"]
    by_party = localise(agreements.build(runner, YEAR_2025, picks=CrossFilter.of(party="H1"), scope="all"), "en")
    assert by_party.panel("agreements.list").frame["agreement_id"].to_list() == ["A2", "A1"]
    searched = localise(agreements.build(runner, YEAR_2025, search="chest", scope="all"), "en")
    assert searched.panel("agreements.list").frame["agreement_id"].to_list() == ["A2"]


def test_scope_all_covers_every_agreement_to_the_period_end(runner):
    view = localise(agreements.build(runner, YEAR_2025, scope="all"), "en")
    assert view.panel("agreements.list").frame["agreement_id"].to_list() == ["A3", "A2", "A1"]
    assert view.panel("agreements.network").title == (
        "Requester–hospital network (all signed up to the period's end, top 15)"
    )


def test_network_panel_names_the_other_nodes(runner):
    frame = localise(agreements.build(runner, YEAR_2025, top_n=1), "ko").panel("agreements.network").frame
    assert frame.select("requester", "hospital", "agreements").rows() == [
        ("빛나AI", "가람병원", 1), ("기타 신청 기관 1곳", "기타 병원 1곳", 1),
    ]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_mix_bars_carry_their_codes_whatever_the_language(runner, lang):
    """A click on a mix bar gives back its code (customdata), not its words."""
    panel = localise(agreements.build(runner, YEAR_2025), lang).panel("agreements.by_area")
    fig = agreement_charts.mix(panel, lang, selected="neurology")
    bars = dict(zip(fig.data[0].customdata, zip(fig.data[0].y, fig.data[0].marker.opacity)))
    assert bars == {
        "medical_imaging": (agreements.label("area", "medical_imaging", lang), agreement_charts.UNSELECTED_OPACITY),
        "neurology": (agreements.label("area", "neurology", lang), 1.0),
    }
    assert agreements.label("area", "neurology", "ko") == "신경"
    assert agreements.label("requester_group", "other", "en") == "Other companies"
    assert agreements.label("requester_group", "university", "en") == "University"


def test_focus_narrows_the_shared_filters():
    assert agreements.narrow(YEAR_2025, CrossFilter.of(area="oncology")).areas == ("oncology",)
    pharma = agreements.narrow(YEAR_2025, CrossFilter.of(requester_group="pharmaceutical"))
    assert (pharma.kinds, pharma.sectors) == (("company",), ("pharmaceutical",))
    assert agreements.narrow(YEAR_2025, CrossFilter.of(requester_group="university")).kinds == ("university",)
    assert agreements.narrow(YEAR_2025, CrossFilter.of(requester_group="nonsense")) == YEAR_2025


def test_a_focus_outside_the_shared_filters_leaves_nothing(runner):
    neurology_only = replace(YEAR_2025, areas=("neurology",))
    assert agreements.narrow(neurology_only, CrossFilter.of(area="neurology")).areas == ("neurology",)
    view = localise(agreements.build(runner, neurology_only, picks=CrossFilter.of(area="medical_imaging")), "en")
    assert view.panel("agreements.list").frame.height == 0  # not widened back to medical imaging
    assert view.panel("agreements.network").frame.height == 0
    universities = replace(YEAR_2025, kinds=("university",))
    view = localise(agreements.build(runner, universities, picks=CrossFilter.of(requester_group="ai_digital_health")), "en")
    assert view.panel("agreements.list").frame.height == 0


def test_detail_view(runner):
    found = agreements.detail(runner, "A1")
    assert (found.requester_id, found.hospital_ids) == ("C1", ("H1", "H2"))
    view = localise(found.view, "en")
    assert view.title == "Agreement A1"
    assert [k.value for k in view.kpis] == [2, 3, 2, 1, 1500, 40.0]
    facts = dict(view.panel("agreements.detail.facts").frame.rows())
    assert facts["Requester"] == "Nuri Pharm"
    assert facts["Requester group"] == "Pharmaceutical"
    assert facts["Research area"] == "Oncology"
    assert (facts["Signed on"], facts["Ends on"], facts["Status"]) == ("2024-05-01", "–", "Active")
    assert view.panel("agreements.detail.parties").frame["hospital"].to_list() == ["Garam Hospital", "Haneul Hospital"]
    requests = view.panel("agreements.detail.requests").frame
    assert requests.select("request_id", "status").rows() == [("R7", "Approved"), ("R2", "Delivered"), ("R1", "Delivered")]


def test_detail_in_korean_falls_back_to_english_names(runner):
    view = localise(agreements.detail(runner, "A3").view, "ko")
    assert dict(view.panel("agreements.detail.facts").frame.rows())["신청 기관"] == "한밭대학교"
    assert view.panel("agreements.detail.parties").frame["hospital"].to_list() == ["Noeul Hospital"]
    assert agreements.detail(runner, "nope") is None


# --- charts ----------------------------------------------------------------------------------------

def test_network_chart_places_nodes_and_carries_ids(runner):
    frame = localise(agreements.build(runner, YEAR_2025, top_n=1), "en").panel("agreements.network").frame
    fig = agreement_charts.network(frame, "en")
    nodes = [trace for trace in fig.data if trace.mode == "markers+text"]
    assert [list(n.customdata) for n in nodes] == [["C2", ""], ["H1", ""]]  # "other" carries no id
    assert [list(n.x) for n in nodes] == [[0.0, 0.0], [1.0, 1.0]]  # requesters left, hospitals right
    assert list(nodes[0].y) == [1.0, 0.0]  # ranked from the top
    assert nodes[0].text[1] == "1 other requesters (1)"


def test_network_chart_highlights_a_selection_and_escapes_names():
    import polars as pl

    frame = pl.DataFrame({
        "requester": ["<b>Evil</b> & Co", "Other"], "hospital": ["H", "Other"], "agreements": [2, 1],
        "requester_agreements": [2, 1], "hospital_agreements": [2, 1], "requester_rank": [1, 2],
        "hospital_rank": [1, 2], "requester_id": ["R", None], "hospital_id": ["H", None],
    })
    fig = agreement_charts.network(frame, "en", selected="R")
    nodes = [trace for trace in fig.data if trace.mode == "markers+text"]
    assert nodes[0].text[0].startswith("&lt;b&gt;Evil&lt;/b&gt; &amp; Co")
    assert list(nodes[0].marker.opacity) == [1.0, agreement_charts.UNSELECTED_OPACITY]
    selected_edges = [t for t in fig.data if t.mode == "lines" and "213,94,0" in t.line.color]
    assert len(selected_edges) == 1
    # a selection that is not in the picture fades nothing
    faded = agreement_charts.network(frame, "en", selected="elsewhere")
    assert list([t for t in faded.data if t.mode == "markers+text"][0].marker.opacity) == [1.0, 1.0]


def test_mix_chart_fades_all_but_the_selected_bar(runner):
    panel = localise(agreements.build(runner, YEAR_2025), "en").panel("agreements.by_area")
    fig = agreement_charts.mix(panel, "en", selected="neurology")
    assert list(fig.data[0].marker.opacity) == [agreement_charts.UNSELECTED_OPACITY, 1.0]


def test_monthly_chart_has_bars_and_a_running_total(runner):
    panel = localise(agreements.build(runner, YEAR_2025), "en").panel("agreements.monthly")
    fig = agreement_charts.monthly(panel, "en")
    assert [trace.type for trace in fig.data] == ["bar", "scatter"]
    assert list(fig.data[0].y) == [0] * 7 + [1, 0, 1, 0, 0]
    assert fig.data[1].yaxis == "y2" and list(fig.data[1].y)[-1] == 3


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_panel_has_a_definition_and_no_placeholder_left(runner, lang):
    view = localise(agreements.build(runner, YEAR_2025), lang)
    detail = localise(agreements.detail(runner, "A1").view, lang)
    for panel in (*view.panels, *detail.panels):
        assert panel.definition and "{" not in panel.definition and "{" not in panel.title, panel.key
