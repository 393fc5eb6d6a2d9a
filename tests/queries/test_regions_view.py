"""Regions: queries and view on the known-answer fixture, values computed by hand from
tests/fixture.py (institutions in regions 11, 26, 52, 41, 30, 36; period 2025)."""

import datetime as dt
import shutil

import polars as pl
import pytest

from conftest import YEAR_2025
from oversight import db, queries
from oversight.regions import CAPITAL_AREA
from oversight.views import regions as rv
from oversight.views.localise import localise

# Populations (reference/regions.csv), in thousands: the 17 regions total 51,326.
P = 51_326
SEOUL, BUSAN, INCHEON, DAEJEON, SEJONG, GYEONGGI, JEONBUK = 9_386, 3_293, 3_001, 1_442, 387, 13_631, 1_755
CAPITAL = SEOUL + INCHEON + GYEONGGI  # 26,018


@pytest.fixture(scope="module")
def view(runner):
    return localise(rv.build(runner, YEAR_2025), "en")


def _rows(frame: pl.DataFrame, key: str) -> dict:
    return {row[key]: row for row in frame.iter_rows(named=True)}


# --- arithmetic ----------------------------------------------------------------------------------

def test_per_million():
    assert rv.per_million(2, 9_386_000) == pytest.approx(2 / 9.386)
    assert rv.per_million(None, 100) is None
    assert rv.per_million(3, 0) is None


def test_hoover_index_on_cases_with_obvious_answers():
    equal = {"a": 100, "b": 100}
    assert rv.hoover_index({"a": 5, "b": 5}, equal) == 0  # in proportion to population
    assert rv.hoover_index({"a": 10}, equal) == 0.5  # half of it would have to move to b
    assert rv.hoover_index({"a": 3, "b": 1}, {"a": 300, "b": 100}) == 0
    assert rv.hoover_index({"a": 1, "b": 3}, {"a": 300, "b": 100}) == pytest.approx(0.5)  # |1/4-3/4|
    assert rv.hoover_index({}, equal) is None
    assert rv.hoover_index({"a": 0, "b": 0}, equal) is None


def test_population_share_of_the_capital_area():
    assert rv.population_share(CAPITAL_AREA) == pytest.approx(CAPITAL / P)  # 26,018 / 51,326 = 50.7%


# --- queries ---------------------------------------------------------------------------------------

def test_region_figures_for_2025(runner):
    frame = runner.run("region_figures", YEAR_2025.params() | {"capital_area": list(CAPITAL_AREA)})
    got = {(r["scope"], r["region_code"]): r for r in frame.iter_rows(named=True)}
    columns = ("institutions", "hospitals", "agreements", "requests_delivered", "records_delivered",
               "quality_passed", "quality_failed")

    def figures(scope, code=None):
        return tuple(got[(scope, code)][c] for c in columns)

    # All seven joined by 2025-12-31; hospitals H1 (11), H2 (26), H3 (52); agreements signed in
    # 2025: A2 (H1, Seoul) and A3 (H3, Jeonbuk); delivered in 2025: R2 (H2, 500 records) and
    # R3 (H1, 2,000 records); latest quality by 2025-12-31: H1 3 passed 1 failed, H2 5 passed.
    assert figures("region", "11") == (2, 1, 1, 1, 2000, 3, 1)  # H1, C1
    assert figures("region", "26") == (1, 1, 0, 1, 500, 5, 0)
    assert figures("region", "52") == (1, 1, 1, 0, 0, 0, 0)
    assert figures("region", "41") == (1, 0, 0, 0, 0, 0, 0)  # C2
    assert figures("region", "30") == (1, 0, 0, 0, 0, 0, 0)  # U1
    assert figures("region", "36") == (1, 0, 0, 0, 0, 0, 0)  # P1
    assert figures("capital") == (3, 1, 1, 1, 2000, 3, 1)
    assert figures("other") == (4, 2, 1, 1, 500, 5, 0)
    assert figures("all") == (7, 3, 2, 2, 2500, 8, 1)
    assert got[("all", None)]["quality_score"] == pytest.approx(8 / 9)
    assert got[("region", "52")]["quality_score"] is None  # no assessment: no score, not 0


def test_an_agreement_counts_once_in_each_region_and_once_in_the_total(runner):
    # A1 (2024-05-01) has hospitals in Seoul and Busan.
    params = YEAR_2025.previous().params() | {"capital_area": list(CAPITAL_AREA)}
    frame = runner.run("region_figures", params)
    agreements = {(r["scope"], r["region_code"]): r["agreements"] for r in frame.iter_rows(named=True)}
    assert agreements[("region", "11")] == agreements[("region", "26")] == 1
    assert agreements[("all", None)] == 1


def test_region_quarterly_flows_and_stocks(runner):
    frame = runner.run("region_quarterly", YEAR_2025.params())
    assert frame["quarter"].min() == dt.date(2024, 1, 1)  # P1 joined 2024-01-02
    assert frame["quarter_end"].max() == dt.date(2025, 12, 31)
    q4 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 10, 1)), "region_code")
    assert sum(r["institutions"] for r in q4.values()) == 7  # a stock: everyone by year end
    assert (q4["11"]["requests_delivered"], q4["11"]["records_delivered"]) == (1, 2000)  # R3
    assert q4["52"]["agreements"] == 1  # A3, signed 2025-10-10
    assert (q4["11"]["quality_passed"], q4["11"]["quality_failed"]) == (3, 1)
    q2 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 4, 1)), "region_code")
    assert (q2["11"]["quality_passed"], q2["11"]["quality_failed"]) == (2, 2)  # H1 on 2025-06-30


def test_district_figures_for_seoul(runner):
    frame = runner.run("district_figures", YEAR_2025.params() | {"region_code": "11"})
    rows = _rows(frame, "district_code")
    # H1 (37.55, 127.00) lies in Jung-gu, C1 (37.50, 127.03) in Gangnam-gu.
    assert set(rows) == {"11140", "11680"}
    h1 = rows["11140"]
    assert (h1["institutions"], h1["hospitals"], h1["agreements"], h1["requests_delivered"],
            h1["records_delivered"], h1["quality_score"]) == (1, 1, 1, 1, 2000, 0.75)
    assert (rows["11680"]["institutions"], rows["11680"]["hospitals"]) == (1, 0)


def test_region_institutions_with_activity(runner):
    frame = runner.run("region_institutions", YEAR_2025.params())
    rows = _rows(frame, "institution_id")
    assert len(rows) == 7
    assert (rows["H1"]["agreements"], rows["H1"]["requests_delivered"]) == (1, 1)  # A2; R3
    assert (rows["C1"]["agreements"], rows["C1"]["requests_delivered"]) == (0, 1)  # A1 is 2024; R2
    assert (rows["C2"]["agreements"], rows["C2"]["requests_delivered"]) == (1, 1)  # A2; R3
    assert rows["H3"]["district_code"] == "52111"  # Jeonju Wansan-gu, 45111 in the boundary data


# --- the view -------------------------------------------------------------------------------------

def test_capital_share_kpis(view):
    kpis = {k.key: k for k in view.kpis}
    share = kpis["capital_share_institutions"]
    assert share.value == pytest.approx(3 / 7)  # H1, C1, C2 of seven
    assert share.previous == pytest.approx(2 / 4)  # by 2024-12-31: H1, C1 of H1, H2, C1, P1
    assert kpis["capital_share_agreements"].value == pytest.approx(1 / 2)  # A2 of A2, A3
    assert kpis["capital_share_agreements"].previous == 1.0  # A1 has a Seoul hospital
    assert kpis["capital_share_requests_delivered"].value == pytest.approx(1 / 2)  # R3 of R2, R3
    assert "50.7%" in share.detail


def test_hoover_kpis_match_a_hand_computation(view):
    kpis = {k.key: k for k in view.kpis}
    # Hoover = the sum of (share of the value - share of population) over regions above their
    # population share. Agreements 2025: Seoul 1, Jeonbuk 1.
    assert kpis["hoover_agreements"].value == pytest.approx((1 / 2 - SEOUL / P) + (1 / 2 - JEONBUK / P))
    # Deliveries 2025: Seoul 1, Busan 1.
    assert kpis["hoover_requests_delivered"].value == pytest.approx(1 - (SEOUL + BUSAN) / P)
    # 2024: A1 counts in Seoul and in Busan.
    assert kpis["hoover_agreements"].previous == pytest.approx(1 - (SEOUL + BUSAN) / P)


def test_the_page_answers_in_a_sentence(view):
    assert view.notes[0] == (
        "The capital area (50.7% of the population) holds 42.9% of the institutions, 50.0% of the "
        "agreements signed and 50.0% of the requests delivered."
    )  # 3/7, 1/2, 1/2
    assert view.notes[1].startswith("Regions with no agreement in the period: Busan, Daegu")


def test_regions_reached(view):
    reached = next(k for k in view.kpis if k.key == "regions_with_agreements")
    assert (reached.value, reached.previous) == (2, 2)  # 2025: Seoul, Jeonbuk; 2024: Seoul, Busan
    assert reached.detail.startswith("None in: Busan, Daegu")


def test_regional_table_per_capita_figures(view):
    table = view.panel("regions.table").frame
    assert table.height == 17 + 3  # the regions, then capital area, other regions, all
    rows = _rows(table.filter(pl.col("region_code").is_not_null()), "region_code")
    # per million = count / population x 1,000,000, to two decimals
    assert rows["11"]["institutions_per_million"] == round(2 / 9.386, 2) == 0.21
    assert rows["36"]["institutions_per_million"] == round(1 / 0.387, 2) == 2.58
    assert rows["52"]["institutions_per_million"] == round(1 / 1.755, 2) == 0.57
    assert rows["41"]["institutions_per_million"] == round(1 / 13.631, 2) == 0.07
    assert rows["30"]["institutions_per_million"] == round(1 / 1.442, 2) == 0.69
    assert rows["11"]["records_delivered_per_million"] == round(2000 / 9.386, 2) == 213.08
    assert rows["26"]["agreements_per_million"] == 0.0
    assert rows["50"]["institutions"] == 0 and rows["50"]["score"] is None  # Jeju: nothing yet
    assert rows["11"]["population"] == SEOUL * 1000
    totals = _rows(table.filter(pl.col("region_code").is_null()), "region")
    capital = totals["Capital area (Seoul, Incheon, Gyeonggi)"]
    assert (capital["population"], capital["institutions"]) == (CAPITAL * 1000, 3)
    assert capital["institutions_per_million"] == round(3 / 26.018, 2) == 0.12
    assert totals["All"]["agreements"] == 2 and totals["All"]["score"] == pytest.approx(8 / 9)


def test_regional_sums_equal_the_totals_for_counts_held_once(view):
    table = view.panel("regions.table").frame
    regional = table.filter(pl.col("region_code").is_not_null())
    total = table.filter(pl.col("region") == "All").row(0, named=True)
    for column in ("institutions", "hospitals", "requests_delivered", "records_delivered", "passed", "failed"):
        assert regional[column].sum() == total[column], column


def test_the_region_filter_limits_the_table_not_the_concentration(runner):
    filtered = localise(rv.build(runner, YEAR_2025.__class__(YEAR_2025.date_from, YEAR_2025.date_to, regions=("11", "26"))), "en")
    table = filtered.panel("regions.table").frame
    assert table.get_column("region_code").drop_nulls().to_list() == ["11", "26"]
    assert table.filter(pl.col("region") == "All")["institutions"].item() == 3  # H1, C1, H2
    kpis = {k.key: k.value for k in filtered.kpis}
    assert kpis["capital_share_institutions"] == pytest.approx(3 / 7)  # all 17 regions still


def test_capital_share_by_quarter(view):
    frame = view.panel("regions.capital_share").frame
    q4 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 10, 1)), "series")
    assert (q4["Institutions"]["capital"], q4["Institutions"]["total"]) == (3, 7)
    assert q4["Share of population"]["share"] == pytest.approx(CAPITAL / P)
    assert q4["Agreements signed"]["share"] == 0.0  # A3 (Jeonbuk) only
    assert q4["Requests delivered"]["share"] == 1.0  # R3 (Seoul) only
    q1 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 1, 1)), "series")
    assert q1["Agreements signed"]["share"] is None  # nothing signed: no share, not 0


def test_inequality_by_quarter(view):
    frame = view.panel("regions.inequality").frame
    q4 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 10, 1)), "series")
    # Institutions at 2025-12-31: Seoul 2, Busan, Jeonbuk, Gyeonggi, Daejeon, Sejong 1 each;
    # all but Gyeonggi lie above their population share.
    expected = 6 / 7 - (SEOUL + BUSAN + JEONBUK + DAEJEON + SEJONG) / P
    assert q4["Institutions"]["hoover"] == pytest.approx(expected)
    assert q4["Requests delivered"]["hoover"] == pytest.approx(1 - SEOUL / P)  # R3 only


def test_trends_per_million_for_every_region(runner):
    panel = localise(rv.build(runner, YEAR_2025, metric="agreements", per_capita=True), "en").panel("regions.trends")
    frame = panel.frame
    assert frame.get_column("region_code").n_unique() == 17  # regions without data show zeros
    q4 = _rows(frame.filter(pl.col("quarter") == dt.date(2025, 10, 1)), "region_code")
    assert q4["52"]["value"] == round(1 / 1.755, 2)  # A3 per million residents of Jeonbuk
    assert q4["50"]["value"] == 0.0
    score = localise(rv.build(runner, YEAR_2025, metric="score"), "en").panel("regions.trends").frame
    q4 = _rows(score.filter(pl.col("quarter") == dt.date(2025, 10, 1)), "region_code")
    assert q4["11"]["value"] == 0.75 and q4["26"]["value"] == 1.0 and q4["30"]["value"] is None


def test_district_view_of_seoul(runner):
    view = localise(rv.build(runner, YEAR_2025, region="11"), "en")
    districts = view.panel("regions.districts").frame
    assert districts.height == 25  # every ward, with zeros where nothing is
    rows = _rows(districts, "district_code")
    assert rows["11140"]["district"] == "Jung-gu" and rows["11140"]["institutions"] == 1
    assert rows["11680"]["district"] == "Gangnam-gu" and rows["11680"]["hospitals"] == 0
    assert rows["11110"]["institutions"] == 0
    points = view.panel("regions.institutions").frame
    assert sorted(points["institution_id"].to_list()) == ["C1", "H1"]
    assert points.filter(pl.col("institution_id") == "H1")["activity"].item() == 2  # A2 + R3


def test_a_legacy_region_code_in_the_url_is_the_current_region(runner):
    view = localise(rv.build(runner, YEAR_2025, region="45"), "ko")
    assert view.panel("regions.districts").title.startswith("전북특별자치도")


# --- legacy codes in the data, and points outside their region ------------------------------------

@pytest.fixture(scope="module")
def legacy_runner(fixture_db, tmp_path_factory):
    """The fixture with Noeul Hospital (H3) stored under Jeonbuk's legacy code 45, and Bitna AI
    (C2, Gyeonggi) given coordinates in Seoul."""
    path = tmp_path_factory.mktemp("legacy") / "legacy.duckdb"
    shutil.copy(fixture_db, path)
    with db.rebuild(path) as con:
        con.execute("update institutions set region_code = '45' where institution_id = 'H3'")
        con.execute("update institutions set latitude = 37.55, longitude = 126.98 where institution_id = 'C2'")
    return queries.DatabaseRunner(db.read_only(path))


def test_legacy_and_current_codes_are_one_region(legacy_runner):
    view = localise(rv.build(legacy_runner, YEAR_2025), "en")
    table = view.panel("regions.table").frame
    assert "45" not in table.get_column("region_code").to_list()
    jeonbuk = table.filter(pl.col("region_code") == "52").row(0, named=True)
    assert (jeonbuk["institutions"], jeonbuk["hospitals"], jeonbuk["agreements"]) == (1, 1, 1)  # H3, A3
    trends = view.panel("regions.trends").frame
    assert "45" not in trends.get_column("region_code").to_list()
    reached = next(k for k in view.kpis if k.key == "regions_with_agreements")
    assert reached.value == 2  # Seoul and Jeonbuk, not three regions


def test_an_institution_whose_point_lies_outside_its_region_has_no_district(legacy_runner):
    view = localise(rv.build(legacy_runner, YEAR_2025, region="41"), "en")
    districts = view.panel("regions.districts").frame
    unplaced = districts.filter(pl.col("district_code").is_null()).row(0, named=True)
    assert unplaced["institutions"] == 1  # C2
    assert districts.filter(pl.col("district_code").is_not_null())["institutions"].sum() == 0
