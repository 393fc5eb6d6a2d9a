"""Where the Excel report of one page spends its time, in one warm process (no Python start).

    python -m bench.report_stages --db bench/cache/large.duckdb --sheet Consulting --runs 5

Per page, each run times three stages: the view (the page's queries and frames), small-count
suppression of every panel (the audit included), and the workbook written from that view (which
suppresses again as it writes, so it includes the second figure). `make bench` records them for
every page at large beside the command-line figure (bench/exports.py), and results.md gives the
slowest page's medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

STAGES = ("view", "suppression", "workbook")


def measure(db: Path, sheets: Sequence[str], runs: int) -> dict[str, dict[str, list[float]]]:
    """{sheet: {stage: [seconds per run]}}, the database opened read-only once."""
    from oversight import db as database
    from oversight import filters, queries
    from oversight.export import context, excel
    from oversight.export.suppression import suppress_panel
    from oversight.pages import SHEETS
    from oversight.views.localise import view_in

    runner = queries.DatabaseRunner(database.read_only(db))
    info = runner.run("dataset_info", {}).row(0, named=True)
    chosen = filters.default_filters(info["data_date"], info["data_until"])
    report = context.report_context(runner, chosen, "ko")
    results: dict[str, dict[str, list[float]]] = {}
    for sheet in sheets:
        times: dict[str, list[float]] = {stage: [] for stage in STAGES}
        for _ in range(runs):
            started = time.perf_counter()
            view = view_in(SHEETS[sheet], runner, chosen, "ko")
            times["view"].append(time.perf_counter() - started)
            started = time.perf_counter()
            for panel in view.panels:
                suppress_panel(panel, report.threshold)
            times["suppression"].append(time.perf_counter() - started)
            started = time.perf_counter()
            excel.workbook_bytes([view], report)
            times["workbook"].append(time.perf_counter() - started)
        results[sheet] = times
    return results


def main(argv: list[str] | None = None) -> int:
    from oversight.pages import SHEETS

    parser = argparse.ArgumentParser(prog="python -m bench.report_stages", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sheet", action="append", choices=list(SHEETS), help="repeat for several; default every page")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    for sheet, times in measure(args.db, args.sheet or list(SHEETS), args.runs).items():
        medians = ", ".join(f"{stage} {statistics.median(times[stage]):.3f} s" for stage in STAGES)
        print(f"{sheet}: median of {args.runs}: {medians}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
