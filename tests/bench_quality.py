"""Time the data quality page's script over a database (issue 5: at most 1 s cold, 0.2 s warm).

    python tests/bench_quality.py --db /tmp/demo-large.duckdb [--samples 5] [--hospital ID]

Each sample is a fresh process (empty st.cache_data, DuckDB's buffers empty of quality tables).
In it, Streamlit's own first-run set-up is paid on the About page, which opens the database but
reads no quality table; then the quality page runs once (cold) and again, unchanged, five times
(warm: the page drawn from cached views and figures, as on any rerun), then once more after
emptying Streamlit's caches (as after a data load, in a process that has drawn pages before).
Prints wall and CPU time (all threads; a loaded shared machine stretches the first, not the
second), medians over the samples, for the network view and for one hospital's view.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_sample(db: str, query: dict) -> dict:
    """Runs in a fresh process: cold and warm timings of the quality page with `query`."""
    sys.path.insert(0, str(ROOT))
    os.environ["OVERSIGHT_DB"] = db
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # as tests/conftest.py: st.navigation, not pages/
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params.update(query)
    at.switch_page("pages/about.py").run()
    at.switch_page("pages/quality.py")
    started, cpu = time.perf_counter(), cpu_seconds()
    at.run()
    cold, cold_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    assert not at.exception, [e.value for e in at.exception]
    warm, warm_cpu = [], []
    for _ in range(5):
        started, cpu = time.perf_counter(), cpu_seconds()
        at.run()
        warm.append(time.perf_counter() - started)
        warm_cpu.append(cpu_seconds() - cpu)
    # Caches emptied in a process that has drawn pages before (as after a data load): the page's
    # own cold cost, without the libraries' first-use costs of a fresh process.
    import streamlit as st

    from ui import data

    st.cache_data.clear()
    st.cache_resource.clear()
    data.clear()
    started, cpu = time.perf_counter(), cpu_seconds()
    at.run()
    cleared, cleared_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"cold": cold, "warm": statistics.median(warm), "cold_cpu": cold_cpu,
            "warm_cpu": statistics.median(warm_cpu), "cleared": cleared, "cleared_cpu": cleared_cpu,
            "metrics": len(at.metric)}


def cpu_seconds() -> float:
    """CPU time of this process, all threads: what the run costs when it does not wait for a core
    (a shared machine under load stretches wall time, not this)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--hospital", default="SEED-H-SMC", help="hospital for the hospital view")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(one_sample(args.db, json.loads(args.child))))
        return 0
    for name, query in (("network", {}), ("hospital", {"hospital": args.hospital})):
        runs = []
        for _ in range(args.samples):
            out = subprocess.run(
                [sys.executable, __file__, "--db", args.db, "--child", json.dumps(query)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            ).stdout.strip().splitlines()[-1]
            runs.append(json.loads(out))
        def median(key):
            return statistics.median(r[key] for r in runs)

        print(
            f"{name:9s} cold: wall {median('cold'):.3f} s, cpu {median('cold_cpu'):.3f} s"
            f" · warm: wall {median('warm'):.3f} s, cpu {median('warm_cpu'):.3f} s"
            f" · caches emptied: wall {median('cleared'):.3f} s, cpu {median('cleared_cpu'):.3f} s"
            f" · medians of {len(runs)} fresh processes · load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
