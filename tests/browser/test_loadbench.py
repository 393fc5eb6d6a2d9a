"""The load benchmark's harness (bench/loadbench.py, issue 12) against a real server: two sessions
walk every viewer page through Streamlit's websocket protocol, with and without a filter. With the
load test, not in the fast suite: it starts a server and walks 36 page runs."""

import asyncio
import concurrent.futures

import pytest

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import loadbench

pytestmark = pytest.mark.browser


def _run(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API leaves an event loop running in
    this one when browser tests ran earlier in the same process."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_two_sessions_walk_every_viewer_page_twice(server):
    targets = loadbench.viewer_targets()
    assert [t.page_name for t in targets][0] == ""  # the default page is asked for at "/"
    level = _run(loadbench.run_level(server.url, 2, targets, timeout=240))
    assert level["failures"] == [] and level["exception_examples"] == []
    assert level["runs"] == 2 * 2 * len(targets)
    assert set(level["median_by_page"]) == {f"{t.slug} ({v})" for t in targets for v in ("default", "filtered")}
    assert 0 < level["median"] <= level["p95"] <= level["max"] < 240
    assert level["throughput"] > 0


def test_the_filtered_walk_reaches_the_app_and_a_missing_page_fails_its_session(server):
    session = loadbench.Session(server.url, 0)
    targets = loadbench.viewer_targets()
    _run(session.walk(targets + targets, "filtered", "regions=26"))
    assert "regions=26" in session.query  # the app took the filter from the URL and published it
    # Like a browser, the session names the large messages it holds; the second time round the
    # server sends references to them instead.
    assert session.cached and session.references > 0

    missing = _run(loadbench.run_session(server.url, 0, [loadbench.Target("nowhere", "nowhere")]))
    assert missing.failure is not None and "page not found" in missing.failure


def test_exceptions_and_error_alerts_count_as_problems_shown():
    def element(fill) -> ForwardMsg:
        msg = ForwardMsg()
        fill(msg.delta.new_element)
        return msg

    exception = element(lambda e: (setattr(e.exception, "type", "KeyError"), setattr(e.exception, "message", "'x'")))
    error = element(lambda e: (setattr(e.alert, "body", "No database"), setattr(e.alert, "format", Alert.ERROR)))
    info = element(lambda e: (setattr(e.alert, "body", "Synthetic data"), setattr(e.alert, "format", Alert.INFO)))
    assert loadbench.shown_problem(exception) == "exception KeyError: 'x'"
    assert loadbench.shown_problem(error) == "error: No database"
    assert loadbench.shown_problem(info) is None


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert loadbench.percentile(values, 0.95) == 19.0
    assert loadbench.percentile([3.0], 0.95) == 3.0
    assert loadbench.percentile([], 0.95) is None


def test_the_section_replaces_itself_and_survives_a_rewrite_of_results_md():
    results = {
        "meta": {"started": "2026-12-04T02:00", "db": "m.duckdb", "cores": 2, "load_before": [1.0, 1, 1],
                 "load_after": [2.0, 1, 1], "seconds": 60, "pages": ["overview"], "levels": [50]},
        "setups": {"single": {"levels": [{
            "sessions": 50, "runs": 900, "median": 1.2, "p95": 2.5, "max": 4.0, "throughput": 9.0,
            "failed_sessions": 0, "failures": [], "exceptions": 0, "exception_examples": [],
            "client_cpu_seconds": 12.0, "peak_rss": {"server": 500 * 2**20}, "cpu_per_run": 0.05,
            "server_cpu_seconds": {"server": 45.0}, "wall_seconds": 100.0,
            "median_by_page": {"overview (default)": 1.1}}]}},
    }
    section = loadbench.section(results)
    assert "| 50 | single | 1.20 | 2.50 | 4.00 | 9.0 | 50 | 0.45 | 0 | 0 | 500 |" in section
    assert "single: 1.20 s / 2.50 s | ✅ |" in section
    once = loadbench.put_section("# Benchmark results\n\nearlier text\n", section)
    assert loadbench.put_section(once, section) == once
    rewritten = loadbench.carry_section(once, "# Benchmark results\n\nnew text\n")
    assert "new text" in rewritten and section in rewritten and "earlier text" not in rewritten


def test_a_mixed_session_opens_its_own_view_and_changes_the_period_as_a_widget():
    region, lang, start, changed = loadbench.mixed_view(0)
    views = {loadbench.mixed_view(i)[:3] for i in range(204)}
    assert len(views) == 204  # no two of the first 204 sessions open the same view
    assert {loadbench.mixed_view(i)[1] for i in range(2)} == {"ko", "en"}


def test_the_period_widget_change_reaches_the_app_on_the_same_connection(server):
    targets = loadbench.viewer_targets()
    session = loadbench.Session(server.url, 0)
    _run(session.steps([(targets[0], "mixed", None), (targets[0], "period changed", "2025-07-01"),
                        (targets[1], "after the change", None)], "regions=26&lang=en&from=2024-01-01"))
    # The app took the widget's new value into its filters and published it in the URL.
    assert "from=2025-07-01" in session.query and "regions=26" in session.query and "lang=en" in session.query
    assert session.dates is not None and session.dates[1][0] == "2025-07-01"
    assert [run["variant"] for run in session.result.runs] == ["mixed", "period changed", "after the change"]
    assert session.result.problems == []

    level = _run(loadbench.run_level(server.url, 1, targets, timeout=240, mode="mixed"))
    assert level["failures"] == [] and level["exception_examples"] == []
    assert level["runs"] == 2 * len(targets)
