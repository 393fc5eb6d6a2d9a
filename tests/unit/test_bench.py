"""The benchmark harness's pure parts: statistics, tables, targets, discovery, caching, peers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import polars as pl
import pytest

from bench import apptime, databases, discover, peers, summary
from bench.run import tables_read
from conftest import YEAR_2025
from fixture import DATA_DATE
from oversight import queries
from oversight.filters import Filters, default_filters

# --- statistics -------------------------------------------------------------------------------------


def test_median_skips_missing_values_and_is_none_when_empty():
    assert summary.median([0.3, None, 0.1, 0.2]) == 0.2
    assert summary.median([1.0, 2.0]) == 1.5
    assert summary.median([]) is None and summary.median(None) is None


def test_growth_exponent_recovers_a_power_law():
    rows = [1_000, 10_000, 100_000]
    assert summary.growth_exponent(rows, [0.01 * r**0.5 for r in rows]) == pytest.approx(0.5)
    assert summary.growth_exponent(rows, [2.0, 2.0, 2.0]) == pytest.approx(0.0)
    # 1 s -> 100 s over a hundredfold: linear
    assert summary.growth_exponent([1, 100], [1.0, 100.0]) == pytest.approx(1.0)


def test_growth_exponent_needs_two_distinct_points():
    assert summary.growth_exponent([10], [1.0]) is None
    assert summary.growth_exponent([10, 10], [1.0, 2.0]) is None
    assert summary.growth_exponent([10, 100], [1.0, None]) is None


# --- cells and tables -------------------------------------------------------------------------------


def test_seconds_cells_mark_the_target():
    assert summary.seconds_cell(0.95, 1.0) == "0.95 ✅"
    assert summary.seconds_cell(1.2, 1.0) == "1.20 ❌"
    assert summary.seconds_cell(0.0421) == "0.042"
    assert summary.seconds_cell(None, 1.0) == "–"


def test_markdown_table_aligns_and_escapes_pipes():
    text = summary.markdown_table(("a", "b"), [("x|y", "1")], "lr")
    assert text.splitlines() == ["| a | b |", "| --- | ---: |", "| x\\|y | 1 |"]


def _results(**changes) -> dict:
    """A small results dictionary shaped as bench/run.py writes it."""
    page = {"path": "pages/overview.py", "url": "overview", "title": "Overview", "default": True}
    about = {"path": "pages/about.py", "url": "about", "title": "About", "default": False}
    raw = {
        "first_run": 3.0, "cold": [0.8, 0.9, 1.4], "cold_cpu": [0.5, 0.5, 0.6], "warm": [0.1, 0.3, 0.1],
        "filter": [0.5, 0.4, 0.6], "uncached": [0.6, 0.6, 0.7], "uncached_cpu": [0.4, 0.4, 0.4], "warm_queries": 0,
        "duckdb": [0.3, 0.25, 0.2], "duckdb_cpu": [0.2, 0.2, 0.2],
        "queries": [{"name": "overview_kpis", "params": {}, "seconds": 0.2, "in_app_seconds": 0.25},
                    {"name": "dataset_info", "params": {}, "seconds": 0.05, "in_app_seconds": 0.06}],
        "peer": {"equal": True, "runs": [{"read": 2.0, "compute": 1.0, "cpu": 2.5}]},
    }
    about_raw = {"first_run": 3.0, "cold": [0.1], "warm": [0.05], "filter": [0.05], "uncached": [0.03], "duckdb": [0.005],
                 "queries": [{"name": "dataset_info", "params": {}, "seconds": 0.005, "in_app_seconds": 0.006}]}
    results = {
        "meta": {"started": "2026-11-29T10:00:00", "cores": 2, "load_before": [1.0, 1, 1], "load_after": [1.5, 1, 1]},
        "pages": [page, about],
        "scales": {"small": {"read_rows": 1_000, "rows": {"t": 1_000}}, "large": {"read_rows": 100_000, "rows": {"t": 100_000}}},
        "apptime": {"small": {"pages/overview.py": {**raw, "cold": [0.09]}, "pages/about.py": about_raw},
                    "large": {"pages/overview.py": raw, "pages/about.py": about_raw}},
        "exports": {"report": {"available": False}, "deck": {"available": False}},
        "memory": {"peak_rss": 0.8 * summary.GB, "sessions": 20, "sessions_open": 20},
    }
    results.update(changes)
    return results


def test_page_figures_take_medians():
    f = summary.page_figures(_results(), "large", _results()["pages"][0])
    assert (f.cold, f.warm, f.filter, f.uncached) == (0.9, 0.1, 0.5, 0.6)
    assert f.duckdb == pytest.approx(0.25) and f.queries == 2  # median of the paired DuckDB runs
    assert f.app_over_duckdb == pytest.approx(0.6 / 0.25)  # 2.4
    assert f.peer == 3.0 and f.peer_speedup == pytest.approx(5.0)  # (2 + 1) / 0.6


def test_page_row_states_misses_and_what_is_not_judged():
    overview, about = summary.all_figures(_results())["large"]
    row = summary.page_row(overview, judge=True)
    assert row[1] == "0.90 ✅" and row[2] == "0.10 ✅" and row[3] == "0.50 ❌"
    assert row[6] == "2.4× ❌" and row[8] == "5.0× ❌"
    about_row = summary.page_row(about, judge=True)
    assert "not judged" in about_row[6] and about_row[7] == "no peer yet"
    broken = dataclasses.replace(overview, error="boom")
    assert summary.page_row(broken, judge=True)[1] == "error: boom"


def test_targets_are_judged_again_on_cpu_time():
    rows = {name: (text, ok) for name, text, ok in summary.targets(_results(), "cpu")}
    assert rows["every page ≤ 1 s cold"] == ("slowest Overview 0.50 s", True)
    assert rows["app ≤ 1.5× DuckDB time of its queries"] == ("highest Overview 2.0×; over: Overview", False)
    table = summary.targets_table(_results())
    assert "| every page ≤ 1 s cold | slowest Overview 0.90 s | met ✅ | slowest Overview 0.50 s | met ✅ |" in table
    assert "| peak memory < 1.5 GB, 20 sessions | 0.80 GB with 20 sessions | met ✅ | (same) |  |" in table


def test_targets_name_what_misses_and_what_is_not_available():
    rows = {name: (text, ok) for name, text, ok in summary.targets(_results())}
    assert rows["every page ≤ 1 s cold"][1] is True
    assert rows["every page ≤ 0.2 s warm (filter changed)"] == ("slowest Overview 0.50 s; over: Overview", False)
    assert rows["app ≤ 1.5× DuckDB time of its queries"][1] is False  # About (5 ms of queries) is not judged
    assert "Overview 2.4×" in rows["app ≤ 1.5× DuckDB time of its queries"][0]
    assert rows["≥ 10× faster than the pandas peer"][1] is False
    assert rows["peak memory < 1.5 GB, 20 sessions"] == ("0.80 GB with 20 sessions", True)
    text, ok = rows["Excel report of one page ≤ 3 s"]
    assert "not available yet" in text and ok is None


def test_a_peer_whose_figures_differ_never_counts_as_met():
    results = _results()
    results["apptime"]["large"]["pages/overview.py"]["peer"] = {"equal": False, "runs": [{"read": 60.0, "compute": 0.0}]}
    rows = {name: ok for name, _, ok in summary.targets(results)}
    assert rows["≥ 10× faster than the pandas peer"] is False  # 100× faster, but not the same figures


def test_errors_in_browser_sessions_are_a_missed_target():
    memory = {"peak_rss": 0.5 * summary.GB, "sessions": 20, "sessions_open": 20,
              "errors": ["session 1 opening /access: KeyError: 'ui_filters'"]}
    rows = {name: (text, ok) for name, text, ok in summary.targets(_results(memory=memory))}
    assert rows["every browser session shows its page without an error"] == (
        "1 of 20 sessions, e.g. session 1 opening /access: KeyError: 'ui_filters'", False)
    assert rows["peak memory < 1.5 GB, 20 sessions"][1] is True


def test_fewer_sessions_than_twenty_never_meet_the_memory_target():
    results = _results(memory={"peak_rss": 0.5 * summary.GB, "sessions": 20, "sessions_open": 12})
    rows = {name: ok for name, _, ok in summary.targets(results)}
    assert rows["peak memory < 1.5 GB, 20 sessions"] is False


def test_the_report_is_judged_per_page_when_it_can_write_one():
    exports = {"report": {"available": True, "scales": {"large": {
        "runs": [9.0], "baseline": [1.0], "per_page": {"Overview": [2.0, 2.5, 2.2], "Agreements": [3.5, 3.4, 3.6]}}}},
        "deck": {"available": False}}
    label, text, ok = summary.export_line(_results(exports=exports), "report")
    assert ok is False and "Agreements: 3.50 s" in text


def test_the_slowest_pages_report_says_where_its_time_went():
    stages = {"Agreements": {"view": [0.3, 0.5, 0.4], "suppression": [2.0, 1.0, 1.5], "workbook": [1.9, 1.7, 1.8]}}
    exports = {"report": {"available": True, "scales": {"large": {
        "runs": [9.0], "baseline": [1.0], "per_page": {"Overview": [2.0], "Agreements": [3.5]}, "stages": stages}}},
        "deck": {"available": False}}
    _, text, _ = summary.export_line(_results(exports=exports), "report")
    assert text.endswith("in a warm process: view 0.40 s, suppression 1.50 s, workbook 1.80 s")


def test_report_stages_time_every_stage_of_a_page(fixture_db):
    from bench import report_stages

    times = report_stages.measure(fixture_db, ["Consulting", "Institutions"], runs=2)
    assert list(times) == ["Consulting", "Institutions"]
    for sheet, stages in times.items():
        assert list(stages) == list(report_stages.STAGES)
        assert all(len(runs) == 2 and all(s > 0 for s in runs) for runs in stages.values()), sheet


def test_growth_table_states_the_fitted_exponent():
    table = summary.growth_table(_results())
    # Overview cold: 0.09 s at 1,000 rows, 0.9 s at 100,000 rows: tenfold over a hundredfold = 0.5
    assert "rows^0.50" in table.splitlines()[2]


def test_results_markdown_holds_every_scale_and_the_plot():
    text = summary.results_markdown(_results())
    assert "## Small data" in text and "## Large data" in text and "(scaling.png)" in text
    assert "not available yet" in text
    # CPU: cold 0.5 s, app 0.4 s over DuckDB 0.2 s = 2.0×; the peer's 2.5 s over the app's 0.4 s = 6.2×
    assert "| Overview | 0.50 ✅ | – | – | 0.40 | 0.20 (2) | 2.0× ❌ | 2.50 | 6.2× ❌ |" in text


def test_readme_section_is_appended_once_then_replaced_in_place():
    section = summary.readme_section(_results())
    readme = summary.replace_section("# Title\n\nIntro.\n", section)
    assert readme.count("## Benchmark") == 1 and readme.count(summary.START_MARKER) == 1
    again = summary.replace_section(readme + "\n## Later section\n", summary.readme_section(_results(memory={})))
    assert again.count(summary.START_MARKER) == 1 and again.count("## Benchmark") == 1
    assert "## Later section" in again and "0.80 GB" not in again


# --- discovery -----------------------------------------------------------------------------------------

def test_pages_come_from_the_registry_in_menu_order():
    found = discover.pages()
    assert [p.slug for p in found][:3] == ["overview", "agreements", "institutions"]
    assert [p.slug for p in found if p.default] == ["overview"]


def test_export_commands_are_found_in_the_cli_help():
    main_help = "usage: python -m oversight [-h] {demo,info,report} ...\n"
    assert discover.cli_commands(main_help) == {"demo", "info", "report"}
    report = discover.export_from_help(
        "report", "usage: ... report [-h] [--db DB] --out OUT [--from FROM] [--sheet SHEET] [--lang {ko,en}]")
    assert (report.out_option, report.sheet_option, report.available) == ("--out", "--sheet", True)
    deck = discover.export_from_help("deck", "usage: ... deck [-h] [--db DB]")
    assert deck.available is False


# --- cached databases -----------------------------------------------------------------------------------


def test_a_database_is_stale_when_what_builds_it_changes(tmp_path):
    (tmp_path / "oversight" / "demo").mkdir(parents=True)
    (tmp_path / "queries").mkdir()
    (tmp_path / "oversight" / "demo" / "tuning.py").write_text("scale = 1\n")
    (tmp_path / "queries" / "derived_x.sql").write_text("select 1\n")
    (tmp_path / "queries" / "other.sql").write_text("select 2\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    databases.db_path("small", cache).write_bytes(b"db")
    assert not databases.is_current("small", cache, tmp_path)  # no hash beside it yet
    databases.db_path("small", cache).with_suffix(".hash").write_text(databases.source_hash(tmp_path))
    assert databases.is_current("small", cache, tmp_path)
    (tmp_path / "queries" / "other.sql").write_text("select 3\n")  # not a derived table: no rebuild
    assert databases.is_current("small", cache, tmp_path)
    (tmp_path / "queries" / "derived_x.sql").write_text("select 4\n")
    assert not databases.is_current("small", cache, tmp_path)
    databases.db_path("small", cache).with_suffix(".hash").write_text(databases.source_hash(tmp_path))
    (tmp_path / "oversight" / "demo" / "tuning.py").write_text("scale = 2\n")  # the generator's figures
    assert not databases.is_current("small", cache, tmp_path)


# --- query log and direct DuckDB ---------------------------------------------------------------------


def test_the_query_log_records_what_ran_and_reruns_it_directly(monkeypatch, runner, fixture_db):
    monkeypatch.setattr(queries, "execute", queries.execute)  # restored after the test
    log = apptime.QueryLog()
    log.install()
    runner.run("overview_kpis", YEAR_2025.params() | {"unused": 1})
    calls = log.take()
    assert [c["name"] for c in calls] == ["overview_kpis"]
    assert calls[0]["params"]["date_from"] == {"date": "2025-01-01"} and "unused" not in calls[0]["params"]
    assert apptime.from_jsonable(calls[0]["params"]) == YEAR_2025.params()
    seconds, cpu = apptime.direct_duckdb(fixture_db, calls)
    assert len(seconds) == 1 and seconds[0] > 0 and cpu >= 0


def test_tables_read_are_found_in_the_queries():
    tables = {"institutions", "agreement_facts", "request_facts", "quality_summary", "quality_checks", "batches"}
    assert tables_read({"overview_kpis"}, tables) == {"institutions", "agreement_facts", "request_facts", "quality_summary"}


# --- pandas peers: the same figures as the app, on the fixture -----------------------------------------

FILTERS = [
    pytest.param(YEAR_2025, id="2025"),
    pytest.param(default_filters(DATA_DATE), id="default-at-data-date"),
    pytest.param(dataclasses.replace(YEAR_2025, regions=("11",)), id="region-seoul"),
    pytest.param(dataclasses.replace(YEAR_2025, regions=("26", "52")), id="two-regions"),
    pytest.param(dataclasses.replace(YEAR_2025, kinds=("company",), sectors=("pharmaceutical",)), id="kind-sector"),
    pytest.param(dataclasses.replace(YEAR_2025, areas=("medical_imaging",)), id="area"),
    pytest.param(Filters(dt.date(2024, 1, 1), dt.date(2026, 6, 30)), id="long-period"),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("page", sorted(peers.PEERS))
def test_each_peer_gives_the_apps_figures(runner, page, filters):
    peer = peers.PEERS[page]
    app = peers.app_figures(peer, runner, filters, "ko")
    assert app, "the peer compares no figure"
    run = peers.run_peer(peer, runner.database.cursor, filters, "ko")
    assert peers.differences(app, run.figures) == []
    assert run.read_seconds > 0 and run.compute_seconds > 0


def test_the_overview_peer_covers_every_kpi_and_the_trend(runner):
    figures = peers.run_peer(peers.PEERS["pages/overview.py"], runner.database.cursor, YEAR_2025, "en").figures
    # By hand from tests/fixture.py, 2025 against 2024-01-02..2024-12-31: all seven institutions
    # joined by 2025-12-31 (four by 2024-12-31); agreements A2, A3 signed in 2025 (A1 in 2024);
    # deliveries R2 (50 days) and R3 (110 days): median 80; R1 (30 days) before.
    assert figures["kpi.institutions"] == (7, 4)
    assert figures["kpi.agreements_signed"] == (2, 1)
    assert figures["kpi.requests_delivered"] == (2, 1)
    assert figures["kpi.median_lead_days"] == (80.0, 30.0)
    # Quality at 2025-12-31: H1 3 passed of 4 applicable, H2 5 of 5: 8 / 9; none before 2025
    now, before = figures["kpi.quality_score"]
    assert math.isclose(now, 8 / 9) and before is None
    trend = pl.from_pandas(figures["panel.overview.adoption"])
    # Agreements: A1 (2024-05), A2 (2025-08), A3 (2025-10): a row a month from 2024-05 to 2025-12
    # (20 months), 1 at first, 3 at the end
    agreements = trend.filter(pl.col("series") == "Agreements (cumulative)")["cumulative"].to_list()
    assert len(agreements) == 20 and agreements[0] == 1 and agreements[-1] == 3


def test_differences_catch_a_changed_figure_and_a_changed_row(runner):
    peer = peers.PEERS["pages/overview.py"]
    app = peers.app_figures(peer, runner, YEAR_2025, "ko")
    other = dict(peers.run_peer(peer, runner.database.cursor, YEAR_2025, "ko").figures)
    other["kpi.institutions"] = (8, 4)
    trend = other["panel.overview.adoption"].copy()
    trend.loc[0, "cumulative"] += 1
    other["panel.overview.adoption"] = trend
    found = peers.differences(app, other)
    assert any(d.startswith("kpi.institutions") for d in found)
    assert any(d.startswith("panel.overview.adoption: row 0") for d in found)
    del other["kpi.quality_score"]
    assert "kpi.quality_score: only in the app" in peers.differences(app, other)


def test_exports_are_timed_per_page_when_the_report_can_write_one(monkeypatch, tmp_path):
    from bench import exports

    commands: list[list[str]] = []

    def timed(command):
        commands.append(command)
        return (2.0 if "--sheet" in command else 9.0), None

    monkeypatch.setattr(exports, "_timed", timed)
    export = discover.Export("report", "--out", "--sheet")
    result = exports.measure(export, tmp_path / "large.duckdb", tmp_path, ["Overview", "About"], runs=2, log=lambda _: None)
    assert result["runs"] == [9.0, 9.0] and result["per_page"] == {"Overview": [2.0, 2.0], "About": [2.0, 2.0]}
    sheet_runs = [c for c in commands if "--sheet" in c]
    assert sheet_runs[0][-2:] == ["--sheet", "Overview"] and "--out" in sheet_runs[0]
    # without a one-page option only the whole workbook is timed, and the figure says so
    whole = exports.measure(discover.Export("report", "--out", None), tmp_path / "large.duckdb", tmp_path, ["Overview"],
                            runs=1, log=lambda _: None)
    assert "per_page" not in whole and whole["scope"].startswith("whole workbook")
    # below the large scale only the whole workbook is timed
    assert "per_page" not in exports.measure(export, tmp_path / "small.duckdb", tmp_path, ["Overview"], runs=1,
                                             log=lambda _: None, per_page=False)


def test_a_failing_export_is_reported_not_timed(monkeypatch, tmp_path):
    from bench import exports

    monkeypatch.setattr(exports, "_timed", lambda command: (0.5, "Error: no such sheet") if "deck" in command else (1.0, None))
    result = exports.measure(discover.Export("deck", "--out", None), tmp_path / "x.duckdb", tmp_path, [], runs=2,
                             log=lambda _: None)
    assert result["error"] == "Error: no such sheet" and "runs" not in result
    results = _results(exports={"report": {"available": False}, "deck": {"available": True, "scales": {"large": result}}})
    label, text, ok = summary.export_line(results, "deck")
    assert text == "failed: Error: no such sheet" and ok is None
