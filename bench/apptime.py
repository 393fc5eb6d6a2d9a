"""One page's timings in a fresh process, through Streamlit's AppTest (run by bench/run.py).

    python -m bench.apptime --db bench/cache/large.duckdb --page pages/overview.py
    python -m bench.apptime --db bench/cache/large.duckdb --page pages/quality.py --query hospital=SEED-H-SMC

Prints one JSON object on its last line. Wall seconds, with the process's CPU seconds beside
them (all threads, DuckDB's included; less sensitive to other load on the machine). What each
figure includes:

- first_run: the first `AppTest.run()` of app.py in this fresh process (the default page), with
  every import, the database opened and its queries run: what the first visitor after a server
  start waits for, minus the server's own start.
- cold: then, each time, Streamlit's data and resource caches are cleared and the database
  connection dropped (a new in-memory DuckDB attaches the file again; the OS file cache stays
  warm), and `switch_page(page).run()` is timed: app.py (sidebar, filters) and the page script,
  its queries, frames and figures, serialised as for a browser. The first sample also imports
  the page's own modules. Not included: the websocket and the browser drawing the page.
- warm: the same view again (every query answered from Streamlit's cache).
- filter: the region filter changed to one region (a new region each time, so the page's
  queries miss the cache while the database connection is warm).
- uncached: the same default view with Streamlit's data cache cleared (query results and what
  pages cache from them, such as views and figures; resource caches and the database connection
  stay): the app's time for a view whose queries must run. Each run is followed at once by the same queries, in the same order, run
  directly in DuckDB (duckdb; per query in `queries`) and by the page's pandas peer (`peer`,
  bench/peers.py), so the three are measured side by side under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from bench.timing import timed

ROOT = Path(__file__).resolve().parent.parent
# Regions a user would pick, largest first; each filter run picks the next, so each misses the cache.
FILTER_REGIONS = ("11", "41", "26", "27", "28", "48", "47", "30", "29", "44", "43", "52", "46", "51", "31", "50", "36")


class QueryLog:
    """Wraps oversight.queries.execute: every query the app really runs (cache misses only)."""

    def __init__(self):
        self.calls: list[dict] = []
        self._lock = threading.Lock()
        self.enabled = True

    def install(self) -> None:
        from oversight import queries

        original = queries.execute

        def execute(cursor, name, params, arrow=False):
            started = time.perf_counter()
            try:
                return original(cursor, name, params, arrow=arrow)
            finally:
                if self.enabled and not arrow:  # Arrow: the bench's own direct rerun, not the app's
                    bound = queries.bind(queries.get(name), params)
                    with self._lock:
                        self.calls.append({"name": name, "params": _jsonable(bound),
                                           "seconds": time.perf_counter() - started})

        queries.execute = execute

    def take(self) -> list[dict]:
        with self._lock:
            calls, self.calls = self.calls, []
        return calls


def _jsonable(params: dict) -> dict:
    import datetime as dt

    def convert(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return {"date": value.isoformat()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return {k: convert(v) for k, v in params.items()}


def from_jsonable(params: dict) -> dict:
    import datetime as dt

    def convert(value):
        if isinstance(value, dict) and "date" in value:
            return dt.date.fromisoformat(value["date"])
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return {k: convert(v) for k, v in params.items()}


def _patch_pages_manager() -> None:
    # As tests/conftest.py's `app` fixture: AppTest resets this on every run and, seeing a pages/
    # folder, would rerun the page file alone (v1 pages) instead of app.py with st.navigation.
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _drop_database_connections() -> None:
    from oversight import db

    db.forget_readers()


def _clear_all_caches() -> None:
    import streamlit as st

    from ui import data

    st.cache_data.clear()
    st.cache_resource.clear()
    data.clear()
    _drop_database_connections()


def _clear_data_cache() -> None:
    """Every query result, and whatever is built from them (views, figures, tables: ui.data's
    memos, and Streamlit's data cache); resource caches (e.g. map geometry) and the connection stay."""
    import streamlit as st

    from ui import data

    st.cache_data.clear()
    data.clear()


def _problems(at) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


def _timed_run(at, timeout: float, cpu: list | None = None) -> float:
    """Wall seconds of one run; appends the process's CPU seconds (all threads) to `cpu`."""
    with timed() as timing:
        at.run(timeout=timeout)
    if cpu is not None:
        cpu.append(timing.cpu)
    return timing.wall


def direct_duckdb(db_path: Path, calls: list[dict]) -> tuple[list[float], float]:
    """The queries a view ran, run again in the same order directly on DuckDB cursors.

    Each result is fetched as Arrow (DuckDB's own columnar output): no polars, no Streamlit.
    Returns each query's seconds and the CPU seconds of the whole sequence.
    """
    from oversight import db, queries

    database = db.read_only(db_path)
    seconds = []
    with timed() as whole:
        for call in calls:
            cursor = database.cursor()
            try:
                with timed() as one:
                    queries.execute(cursor, call["name"], from_jsonable(call["params"]), arrow=True)
                seconds.append(one.wall)
            finally:
                cursor.close()
    return seconds, whole.cpu


def _peer_setup(db_path: Path, page: str):
    """The pandas peer of a page, if it has one, and the filters of the default view."""
    from bench import peers
    from oversight import db, queries
    from oversight.filters import default_filters

    peer = peers.PEERS.get(page)
    if peer is None:
        return None, None, None
    runner = queries.DatabaseRunner(db.read_only(db_path))
    data_date = runner.run("dataset_info", {}).row(0, named=True)["data_date"]
    return peer, runner, default_filters(data_date)


def measure(db_path: Path, page: str, cold_runs: int, warm_runs: int, uncached_runs: int, timeout: float,
            query: dict[str, str] | None = None) -> dict:
    os.environ["OVERSIGHT_DB"] = str(db_path)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    _patch_pages_manager()
    log = QueryLog()
    log.install()
    result: dict = {"page": page, "db": db_path.name, "import_seconds": time.perf_counter() - started}

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params.update(query or {})  # e.g. the quality page's hospital view: hospital=ID
    result["first_run"] = _timed_run(at, timeout)
    if _problems(at):
        result["error"] = "app.py: " + "; ".join(_problems(at))[:500]
        return result
    log.take()

    at.switch_page(page)
    result["cold"], result["cold_cpu"] = [], []
    for _ in range(cold_runs):
        _clear_all_caches()
        result["cold"].append(_timed_run(at, timeout, result["cold_cpu"]))
        result["cold_queries"] = log.take()
        if _problems(at):
            result["error"] = "; ".join(_problems(at))[:500]
            return result

    result["warm"], result["warm_cpu"] = [], []
    for _ in range(warm_runs):
        result["warm"].append(_timed_run(at, timeout, result["warm_cpu"]))
    result["warm_queries"] = len(log.take())  # should be 0: everything from the cache

    region_widget = next((w for w in at.multiselect if str(w.key).startswith("w_regions_")), None)
    result["filter"], result["filter_cpu"] = [], []
    if region_widget is not None:
        for region in (FILTER_REGIONS * 2)[:warm_runs]:
            at.multiselect(key=region_widget.key).set_value([region])
            result["filter"].append(_timed_run(at, timeout, result["filter_cpu"]))
        result["filter_queries"] = len(log.take())
        at.multiselect(key=region_widget.key).set_value([])
        at.run(timeout=timeout)
    if _problems(at):
        result["error"] = "; ".join(_problems(at))[:500]
        return result

    # The default view again with the query cache cleared, paired each time with the same queries
    # run directly in DuckDB and with the pandas peer: measured side by side, so a change in the
    # machine's load touches all three alike.
    from bench import peers

    peer, runner, filters = _peer_setup(db_path, page)
    log.take()
    for key in ("uncached", "uncached_cpu", "duckdb", "duckdb_cpu"):
        result[key] = []
    per_query: list[list[float]] = []
    calls: list[dict] = []
    peer_runs, last = [], None
    for _ in range(uncached_runs):
        _clear_data_cache()
        result["uncached"].append(_timed_run(at, timeout, result["uncached_cpu"]))
        calls = log.take()
        seconds, cpu = direct_duckdb(db_path, calls)
        result["duckdb"].append(sum(seconds))
        result["duckdb_cpu"].append(cpu)
        per_query.append(seconds)
        if peer is not None:
            with timed() as timing:
                last = peers.run_peer(peer, runner.database.cursor, filters, "ko")
            peer_runs.append({"read": last.read_seconds, "compute": last.compute_seconds, "cpu": timing.cpu})
    result["queries"] = [
        {"name": call["name"], "params": call["params"], "in_app_seconds": call["seconds"],
         "seconds": statistics.median(run[i] for run in per_query if len(run) == len(calls))}
        for i, call in enumerate(calls)
    ]
    if peer is not None:
        diff = peers.differences(peers.app_figures(peer, runner, filters, "ko"), last.figures)
        result["peer"] = {"equal": not diff, "differences": diff[:10], "runs": peer_runs,
                          "filters": filters.to_query()}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--page", required=True, help="a page's script (oversight/pages.py), e.g. pages/overview.py")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=10, help="also the filter runs")
    parser.add_argument("--uncached-runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--query", action="append", default=[], metavar="KEY=VALUE",
                        help="a URL parameter of the view to time, e.g. hospital=SEED-H-SMC (repeatable)")
    args = parser.parse_args(argv)
    query = dict(item.split("=", 1) for item in args.query)
    result = measure(args.db.resolve(), args.page, args.cold_runs, args.warm_runs, args.uncached_runs, args.timeout,
                     query)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
