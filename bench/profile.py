"""Where a page's time goes: cProfile of its script runs in AppTest (pyinstrument is not installed).

    python -m bench.profile --db bench/cache/large.duckdb --page pages/overview.py --mode cold
    python -m bench.profile ... --mode warm|filter|uncached [--top 30] [--out stats.prof]

AppTest runs the script in its own thread, which cProfile in the main thread would not see; the
profiler is switched on inside the script runner's thread for the measured run only. Modes are
those of bench/apptime.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

from bench import apptime

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--mode", choices=("cold", "warm", "filter", "uncached"), default="cold")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--out", type=Path, help="also save the raw stats (for snakeviz or pstats)")
    args = parser.parse_args(argv)

    os.environ["OVERSIGHT_DB"] = str(args.db.resolve())
    os.chdir(ROOT)
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.testing.v1 import AppTest

    apptime._patch_pages_manager()
    profiler = cProfile.Profile()
    active = {"on": False}
    original = ScriptRunner._run_script

    def run_script(self, rerun_data):
        if not active["on"]:
            return original(self, rerun_data)
        profiler.enable()
        try:
            return original(self, rerun_data)
        finally:
            profiler.disable()

    ScriptRunner._run_script = run_script

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    at.switch_page(args.page)
    if args.mode == "cold":
        apptime._clear_all_caches()
    else:
        at.run()
        if args.mode == "filter":
            widget = next(w for w in at.multiselect if str(w.key).startswith("w_regions_"))
            at.multiselect(key=widget.key).set_value(["11"])
        elif args.mode == "uncached":
            apptime._clear_data_cache()
    active["on"] = True
    started = time.perf_counter()
    at.run()
    wall = time.perf_counter() - started
    active["on"] = False
    if at.exception:
        print("exception:", [e.value for e in at.exception], file=sys.stderr)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(f"{args.page} {args.mode} over {args.db.name}: {wall:.3f} s wall (profiling adds overhead)")
    print(out.getvalue())
    if args.out:
        stats.dump_stats(str(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
