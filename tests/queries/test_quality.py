"""Data quality: scores, network figures, quarter changes, event time and check changes, against
values worked out by hand from tests/fixture.py and tests/fixture_quality.py."""

import datetime as dt

import polars as pl
import pytest

from conftest import YEAR_2025
from fixture_quality import build_quality_fixture
from oversight import db, queries
from oversight.filters import Filters
from oversight.views import quality
from oversight.views.localise import localise, view_in

D = dt.date.fromisoformat
# tests/fixture_quality.py: the period's end falls in Q2 2026
PERIOD = Filters(D("2025-07-01"), D("2026-06-30"))


@pytest.fixture(scope="module")
def qrunner(tmp_path_factory) -> queries.DatabaseRunner:
    path = build_quality_fixture(tmp_path_factory.mktemp("quality") / "quality.duckdb")
    return queries.DatabaseRunner(db.read_only(path))


def _rows(frame: pl.DataFrame, *columns) -> list[tuple]:
    return frame.select(columns).rows()


# --- scores on tests/fixture.py (H1, H2) -----------------------------------------------------------

def test_assessment_scores_overall_per_category_and_context(runner):
    frame = runner.run("quality_hospital_history", {"institution_id": "H1", "date_to": D("2025-12-31")})
    latest = frame.filter(pl.col("assessed_on") == D("2025-12-31"))
    # H1 on 2025-12-31: c1 pass, c2 pass, c3 fail, c4 n/a, c5 pass (empty denominator)
    assert sorted(_rows(latest, "dimension_value", "passed", "failed", "not_applicable", "score")) == [
        ("completeness", 1, 0, 1, 1.0),  # c2 pass; c4 n/a left out
        ("conformance", 2, 0, 0, 1.0),  # c1, c5
        ("overall", 3, 1, 1, 0.75),  # 3 / (3 + 1)
        ("plausibility", 0, 1, 0, 0.0),  # c3 fails: 6% > 5%
        ("validation", 1, 1, 1, 0.5),  # c3 fail, c4 n/a, c5 pass
        ("verification", 2, 0, 0, 1.0),  # c1, c2
    ]
    earlier = frame.filter(pl.col("assessed_on") == D("2025-06-30"), pl.col("dimension") == "overall")
    assert _rows(earlier, "passed", "failed", "not_applicable", "score") == [(2, 2, 1, 0.5)]  # c1, c3 / c2, c5


def test_assessment_breakdown_by_table_and_by_category_and_context(runner):
    frame = runner.run("quality_assessment_breakdown", {"institution_id": "H1", "assessed_on": D("2025-12-31")})
    tables = frame.filter(pl.col("level") == "cdm_table")
    assert _rows(tables, "cdm_table", "passed", "failed", "not_applicable", "score") == [
        ("measurement", 0, 1, 0, 0.0),  # c3
        ("person", 3, 0, 0, 1.0),  # c1, c2, c5
        ("visit_occurrence", 0, 0, 1, None),  # c4 n/a only: no score
    ]
    cells = frame.filter(pl.col("level") == "category_context")
    assert _rows(cells, "category", "context", "passed", "failed", "not_applicable") == [
        ("completeness", "validation", 0, 0, 1),  # c4
        ("completeness", "verification", 1, 0, 0),  # c2
        ("conformance", "validation", 1, 0, 0),  # c5
        ("conformance", "verification", 1, 0, 0),  # c1
        ("plausibility", "validation", 0, 1, 0),  # c3
    ]


def test_latest_scores_take_each_hospitals_latest_assessment_and_the_one_before(runner):
    frame = runner.run("quality_latest_scores", YEAR_2025.params()).filter(pl.col("dimension") == "overall")
    assert _rows(frame, "institution_id", "assessed_on", "previous_assessed_on", "score", "previous_score") == [
        ("H1", D("2025-12-31"), D("2025-06-30"), 0.75, 0.5),
        ("H2", D("2025-12-31"), None, 1.0, None),  # 5 / 5
    ]
    autumn = runner.run("quality_latest_scores", YEAR_2025.params() | {"date_to": D("2025-09-30")})
    assert _rows(autumn.filter(pl.col("dimension") == "overall"), "institution_id", "score") == [("H1", 0.5)]
    busan = runner.run("quality_latest_scores", YEAR_2025.params() | {"regions": ["26"]})
    assert set(busan["institution_id"]) == {"H2"}


def test_network_score_pools_latest_assessments_as_the_overview_does(runner):
    latest = quality.latest_scores(runner, YEAR_2025)
    figures = quality.network_figures(latest, threshold=0.9)
    # H1 3 passed 1 failed, H2 5 passed: 8 / 9; median of 0.75 and 1.0
    assert (figures["passed"], figures["failed"], figures["hospitals"]) == (8, 1, 2)
    assert figures["network_score"] == pytest.approx(8 / 9)
    assert figures["median_score"] == pytest.approx(0.875)
    assert figures["below_threshold"] == 1  # H1 at 75%
    overview = runner.run("overview_kpis", YEAR_2025.params()).row(0, named=True)
    assert figures["network_score"] == pytest.approx(overview["quality_score"])
    assert quality.network_figures(latest, threshold=0.75)["below_threshold"] == 0  # 75% is not below 75%


def test_new_resolved_and_persisting_failures_of_h1(runner):
    frame = runner.run("quality_check_changes", {
        "institution_id": "H1", "assessed_on": D("2025-12-31"), "previous_assessed_on": D("2025-06-30"),
    })
    by_change = {c: sorted(frame.filter(pl.col("change") == c)["check_id"]) for c in quality.CHANGES}
    assert by_change == {"new": ["c3"], "resolved": ["c2", "c5"], "persisting": []}
    assert _rows(frame, "check_id", "status", "previous_status", "violation_pct", "previous_violation_pct") == [
        ("c3", "failed", "passed", 6.0, 5.0),  # 5% was not over 5%; 6% is
        ("c2", "passed", "failed", 3.0, 10.0),
        ("c5", "passed", "failed", None, 2.0),  # empty denominator now: no rate, not failed
    ]


def test_a_first_assessment_lists_its_failures_without_changes(runner):
    view = view_in(quality.build_hospital, runner, Filters(D("2025-01-01"), D("2025-09-30")), "en", "H1")
    kpis = {k.key: k.value for k in view.kpis}
    assert kpis["quality.hospital.overall"] == 0.5
    assert [kpis[f"quality.hospital.{c}"] for c in quality.CHANGES] == [None, None, None]
    assert sorted(view.panel("quality.hospital.failed").frame["check_id"]) == ["c2", "c5"]
    assert view.panel("quality.hospital.new").frame.height == 0


def test_event_time_aligns_assessments_on_the_infrastructure_year(runner):
    frame = runner.run("quality_event_time", YEAR_2025.params())
    # H1 funded 2021, assessed 2025 (year 4): (2 + 3) passed / (2 + 3 + 2 + 1) = 5 / 8;
    # H2 funded 2022, assessed 2025 (year 3): 5 / 5
    assert _rows(frame, "institution_id", "event_year", "assessments", "passed", "failed", "score") == [
        ("H1", 4, 2, 5, 3, 0.625),
        ("H2", 3, 1, 5, 0, 1.0),
    ]
    summary = quality.event_time_summary(frame)
    assert summary["event_year"].to_list() == list(range(-3, 6))
    assert dict(_rows(summary.filter(pl.col("hospitals") > 0), "event_year", "score_median")) == {3: 1.0, 4: 0.625}


# --- the network on tests/fixture_quality.py ---------------------------------------------------

def test_quarter_comparisons_count_improved_stable_regressed_and_not_compared(qrunner):
    comparisons = quality.quarter_comparisons(qrunner.run("quality_quarter_scores", PERIOD.params()))
    q2 = comparisons.filter(pl.col("quarter") == D("2026-04-01")).sort("institution_id")
    assert _rows(q2, "institution_id", "assessed_on", "score", "previous_score", "quarter_change") == [
        ("QA", D("2026-05-20"), 0.8, 0.7, "improved"),  # latest of two in Q2: +10 points
        ("QB", D("2026-06-30"), 0.91, 0.9, "stable"),  # exactly +1 point: within the tolerance
        ("QC", D("2026-04-01"), 0.9, 0.95, "regressed"),  # -5 points
        ("QD", D("2026-06-15"), 0.9, None, "not_compared"),  # nothing in Q1 2026
    ]
    counts = quality.quarter_change_counts(comparisons, D("2026-04-01"))
    assert counts == {"improved": 1, "stable": 1, "regressed": 1, "not_compared": 1, "compared": 3}


def test_the_tolerance_is_the_one_the_definition_states():
    from oversight.i18n import t

    assert quality.TOLERANCE == 0.01
    assert "1%p" in t("def.quality_quarter_change", "ko")
    assert "1 percentage point" in t("def.quality_quarter_change", "en")


def test_network_view_on_the_quality_fixture(qrunner):
    view = localise(quality.build(qrunner, PERIOD, threshold=0.9), "en")
    kpis = {k.key.removeprefix("quality."): k for k in view.kpis}
    # latest: QA 16/20, QB 91/100, QC 18/20, QD 18/20 -> (16 + 91 + 18 + 18) / (20 + 100 + 20 + 20)
    assert kpis["network_score"].value == pytest.approx(143 / 160)
    assert kpis["median_score"].value == pytest.approx(0.9)  # 0.80, 0.90, 0.90, 0.91
    assert kpis["hospitals"].value == 4
    assert kpis["below_threshold"].value == 1  # QA; QC and QD at exactly 90% are not below
    assert (kpis["improved"].value, kpis["regressed"].value) == (1, 1)
    # at the previous period's end (2025-06-30) only QD's 2021 assessment stands: 12 / 20
    assert (kpis["network_score"].previous, kpis["hospitals"].previous) == (0.6, 1)
    flagged = view.panel("quality.flagged").frame
    # QA's categories: conformance 6/7, completeness 5/7 (k001, k019 fail), plausibility 5/6
    assert _rows(flagged, "institution_id", "score", "previous_score", "score_change", "weakest_category") == [
        ("QA", 0.8, 0.75, 5.0, "Completeness")
    ]
    assert flagged["weakest_score"][0] == pytest.approx(5 / 7)
    heatmap = view.panel("quality.heatmap").frame
    assert heatmap["institution_id"].unique(maintain_order=True).to_list()[0] == "QA"  # lowest first
    assert heatmap.height == 4 * 6  # overall, three categories, two contexts


def test_the_threshold_decides_who_is_flagged(qrunner):
    counts = {
        threshold: len(localise(quality.build(qrunner, PERIOD, threshold=threshold), "en").panel("quality.flagged").frame)
        for threshold in (0.75, 0.9, 0.905, 0.95)
    }
    assert counts == {0.75: 0, 0.9: 1, 0.905: 3, 0.95: 4}


def test_the_region_filter_applies_to_the_network(qrunner):
    seoul = Filters(PERIOD.date_from, PERIOD.date_to, regions=("11",))
    figures = quality.network_figures(quality.latest_scores(qrunner, seoul), 0.9)
    assert figures["hospitals"] == 2  # QA, QC
    assert figures["network_score"] == pytest.approx(34 / 40)  # 16 + 18 of 20 + 20


def test_monthly_trend_stands_each_hospital_at_its_latest_assessment(qrunner):
    frame = qrunner.run("quality_scores_by_month", PERIOD.params())
    assert frame["month"][0] == D("2021-06-01") and frame["month"][-1] == D("2026-06-01")
    rows = {r["month"]: r for r in frame.iter_rows(named=True)}
    assert (rows[D("2021-06-01")]["hospitals"], rows[D("2021-06-01")]["median"]) == (1, 0.6)  # QD alone
    # March 2026: QA 0.70 (Feb), QB 0.90 (31 Mar), QC 0.95 (Jan), QD 0.80 (Dec 2025)
    march = rows[D("2026-03-01")]
    assert (march["hospitals"], march["median"]) == (4, pytest.approx(0.85))
    june = rows[D("2026-06-01")]
    assert (june["hospitals"], june["median"]) == (4, pytest.approx(0.9))
    assert june["network_score"] == pytest.approx(143 / 160)


def test_event_time_with_a_year_before_funding(qrunner):
    summary = quality.event_time_summary(qrunner.run("quality_event_time", PERIOD.params()))
    shown = summary.filter(pl.col("hospitals") > 0)
    # QD (2022): 2021 -> -1 at 0.60, 2025 -> 3 at 0.80, 2026 -> 4 at 0.90; QB (2024): 2026 -> 2 at
    # 181/200; QA (2023): 2026 -> 3 at (14 + 15 + 16) / 60 = 0.75; QC has no infrastructure year
    assert _rows(shown, "event_year", "hospitals") == [(-1, 1), (2, 1), (3, 2), (4, 1)]
    year3 = shown.filter(pl.col("event_year") == 3).row(0, named=True)
    assert year3["score_median"] == pytest.approx(0.775)
    assert (year3["score_p25"], year3["score_p75"]) == (pytest.approx(0.7625), pytest.approx(0.7875))
    assert shown.filter(pl.col("event_year") == 2)["score_median"][0] == pytest.approx(0.905)


def test_the_event_window_keeps_years_from_minus_three_to_five():
    per_hospital = pl.DataFrame({"event_year": [-4, -3, 5, 6], "score": [0.5, 0.6, 0.9, 0.95]},
                                schema={"event_year": pl.Int32, "score": pl.Float64})
    summary = quality.event_time_summary(per_hospital)
    assert _rows(summary.filter(pl.col("hospitals") > 0), "event_year", "score_median") == [(-3, 0.6), (5, 0.9)]


def test_hospital_view_changes_against_the_previous_assessment(qrunner):
    view = view_in(quality.build_hospital, qrunner, PERIOD, "en", "QA")
    kpis = {k.key.removeprefix("quality.hospital."): k for k in view.kpis}
    assert (kpis["overall"].value, kpis["overall"].previous) == (0.8, 0.75)
    assert (kpis["new"].value, kpis["persisting"].value, kpis["resolved"].value) == (2, 2, 3)
    assert sorted(view.panel("quality.hospital.new").frame["check_id"]) == ["k019", "k020"]
    assert sorted(view.panel("quality.hospital.persisting").frame["check_id"]) == ["k000", "k001"]
    assert sorted(view.panel("quality.hospital.resolved").frame["check_id"]) == ["k002", "k003", "k004"]
    new = view.panel("quality.hospital.new").frame.sort("check_id")
    assert new["previous_status"].to_list() == ["Passed", "Not run"]  # k020 ran for the first time
    failed = view.panel("quality.hospital.failed").frame
    assert sorted(failed["check_id"]) == ["k000", "k001", "k019", "k020"]
    assert set(failed["excess_pct"]) == {5.0}  # 10% against 5%


def test_hospital_view_of_an_earlier_assessment(qrunner):
    view = view_in(quality.build_hospital, qrunner, PERIOD, "en", "QA", assessed_on=D("2026-04-10"))
    kpis = {k.key.removeprefix("quality.hospital."): k.value for k in view.kpis}
    # 2026-04-10 (k000-k004 fail) against 2026-02-15 (k000-k005 fail)
    assert (kpis["new"], kpis["persisting"], kpis["resolved"]) == (0, 5, 1)
    assert view.panel("quality.hospital.resolved").frame["check_id"].to_list() == ["k005"]


def test_dqd_overview_totals(qrunner):
    frame = view_in(quality.build_hospital, qrunner, PERIOD, "en", "QA").panel("quality.hospital.overview").frame
    total = frame.filter(pl.col("category") == "Total").row(0, named=True)
    # verification: even numbers k000-k020 (11), failing k000, k020; k005 (n/a) is odd
    assert (total["verification_passed"], total["verification_failed"]) == (9, 2)
    assert (total["validation_passed"], total["validation_failed"]) == (7, 2)  # k001, k019 fail
    assert (total["passed"], total["failed"], total["not_applicable"], total["score"]) == (16, 4, 1, 0.8)


def test_an_unknown_hospital_has_no_view(qrunner):
    assert quality.build_hospital(qrunner, PERIOD, "NOPE") is None


# --- helpers ------------------------------------------------------------------------------------

def test_score_bins_have_edges_on_the_threshold():
    bins = quality.score_bins([0.85, 0.899, 0.90, 0.95, 1.0], threshold=0.9, width=0.05)
    assert _rows(bins, "band_lower", "band_upper", "hospitals", "below_threshold") == [
        (0.85, 0.9, 2, True),  # 0.85, 0.899
        (0.9, 0.95, 1, False),  # 0.90 is not below 90%
        (0.95, 1.0, 2, False),  # 0.95 and 100%, which falls in the last bin
    ]
    odd = quality.score_bins([0.88, 1.0], threshold=0.875, width=0.02)
    assert odd["band_upper"][-1] == 1.0 and odd["hospitals"].sum() == 2
    assert quality.score_bins([], 0.9).height == 0


def test_threshold_label():
    assert quality.threshold_label(0.9) == "90%" and quality.threshold_label(0.875) == "87.5%"


# --- invariants on the demo data ----------------------------------------------------------------

def test_check_changes_agree_with_the_summary_on_the_demo_data(demo_db):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    data_date = runner.run("dataset_info", {})["data_date"][0]
    latest = runner.run("quality_latest_scores", {"date_to": data_date, "regions": []})
    two = latest.filter(pl.col("dimension") == "overall", pl.col("previous_assessed_on").is_not_null())
    assert two.height > 0
    for row in two.head(5).iter_rows(named=True):
        changes = runner.run("quality_check_changes", {
            "institution_id": row["institution_id"], "assessed_on": row["assessed_on"],
            "previous_assessed_on": row["previous_assessed_on"],
        })
        counts = {c: int((changes["change"] == c).sum()) for c in quality.CHANGES}
        assert counts["new"] + counts["persisting"] == row["failed"]
        before = runner.run("quality_hospital_history", {"institution_id": row["institution_id"], "date_to": data_date})
        failed_before = before.filter(
            pl.col("assessed_on") == row["previous_assessed_on"], pl.col("dimension") == "overall"
        )["failed"][0]
        assert counts["persisting"] + counts["resolved"] == failed_before
