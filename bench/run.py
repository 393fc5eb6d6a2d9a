"""`make bench`: every page at small, medium and large scale, against its targets (issue 8).

    python -m bench.run                      # everything; writes bench/results.md, scaling.png, README
    python -m bench.run --quick              # small and medium, fewer runs, no memory: a check
    python -m bench.run --from-json FILE     # rewrite the tables and the plot from saved results
    python -m bench.run --resume bench/cache/results-partial.json   # pages done: memory again

Steps: build (or reuse) the demo databases in bench/cache/; per scale and page, time the page in
a fresh process (bench/apptime.py) and its queries directly in DuckDB; time the pandas peers and
check their figures equal the app's (bench/peers.py); time the Excel report and the deck when
their commands exist (bench/exports.py); measure the server's peak memory with 20 browser
sessions (bench/memory.py); write the results. bench/README.md says what each figure includes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PAGE_TIMEOUT = 1800


def log(message: str) -> None:
    print(message, flush=True)


def versions() -> dict:
    """The versions the figures were taken with, read from the installed packages' metadata."""
    from importlib.metadata import version

    return {"python": platform.python_version(), **{name: version(name) for name in ("duckdb", "streamlit", "pandas", "polars")}}


def time_page(db: Path, page: str, runs: dict) -> dict:
    command = [sys.executable, "-m", "bench.apptime", "--db", str(db), "--page", page,
               "--cold-runs", str(runs["cold"]), "--warm-runs", str(runs["warm"]),
               "--uncached-runs", str(runs["uncached"])]
    try:
        # As a data manager on loopback, so pages that need a role (the Data page) open too.
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=PAGE_TIMEOUT,
                              env={**os.environ, "OVERSIGHT_LOCAL_DATA_MANAGER": "1"})
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {PAGE_TIMEOUT} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"exit {done.returncode}: " + " / ".join(tail)[:400]}
    return json.loads(lines[-1])


def tables_read(sql_names: set[str], table_names: set[str]) -> set[str]:
    """The database tables the named queries read (from and join clauses)."""
    from oversight import queries

    found: set[str] = set()
    for name in sql_names:
        sql = queries.with_scopes(queries.get(name).sql)
        found |= {m.lower() for m in re.findall(r"\b(?:from|join)\s+([A-Za-z_][A-Za-z0-9_]*)", sql, re.IGNORECASE)}
    return found & table_names


def sheet_for(page: dict) -> str | None:
    from oversight.pages import by_slug

    return by_slug(page["url"]).sheet


def measure(args: argparse.Namespace) -> tuple[dict, dict[str, Path]]:
    """Everything but memory: databases, pages, peers, exports."""
    from bench import databases, discover, exports, peers, report_stages, summary
    from oversight.i18n import t

    scales = args.scales
    results: dict = {
        "meta": {"started": dt.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(),
                 "load_before": list(os.getloadavg()), "platform": platform.platform(terse=True), **versions()},
        "pages": [], "scales": {}, "apptime": {}, "exports": {}, "notes": [],
    }
    found = discover.pages()
    if args.pages:
        found = [p for p in found if p.slug in args.pages]
    results["pages"] = [{"path": p.script, "url": p.slug, "title": t(p.title_key, "en"), "default": p.default}
                        for p in found]
    log(f"Pages in the registry: {', '.join(p['title'] for p in results['pages'])}")
    available = discover.exports()
    for command, export in available.items():
        if export is None or not export.available:
            log(f"{command}: not available yet (`python -m oversight {command}` does not exist); skipped")
            results["exports"][command] = {"available": False}
        else:
            results["exports"][command] = {"available": True, "out_option": export.out_option,
                                           "sheet_option": export.sheet_option, "scales": {}}

    log("Databases:")
    paths = {}
    for scale in scales:
        path, built = databases.ensure(scale, log=log)
        paths[scale] = path
        results["scales"][scale] = {"db": str(path.relative_to(ROOT)), "rows": databases.table_rows(path),
                                    "build_seconds": built}

    for scale in scales:
        runs = args.runs_large if scale == "large" else args.runs_small
        log(f"Pages over {scale} data ({runs['cold']} cold, {runs['warm']} warm and filter, {runs['uncached']} uncached runs):")
        results["apptime"][scale] = {}
        names: set[str] = set()
        for page in results["pages"]:
            started = time.perf_counter()
            raw = time_page(paths[scale], page["path"], runs)
            results["apptime"][scale][page["path"]] = raw
            names |= {q["name"] for q in raw.get("queries", []) + raw.get("cold_queries", [])}
            if raw.get("error"):
                log(f"  {page['title']}: ERROR {raw['error']}")
                continue
            f = summary.page_figures(results, scale, page)
            peer = raw.get("peer")
            log(f"  {page['title']}: cold {f.cold:.2f} s, warm {f.warm:.3f} s, filter {f.filter or float('nan'):.2f} s,"
                f" uncached {f.uncached:.2f} s, DuckDB {f.duckdb or 0:.2f} s"
                + (f", pandas {f.peer:.2f} s (figures {'equal' if peer['equal'] else 'DIFFER: ' + '; '.join(peer['differences'][:3])})" if peer else "")
                + f" [{time.perf_counter() - started:.0f} s]")
        rows = results["scales"][scale]["rows"]
        read = tables_read(names, set(rows))
        results["scales"][scale]["tables_read"] = sorted(read)
        results["scales"][scale]["read_rows"] = sum(rows[t] for t in read)

        for command, entry in results["exports"].items():
            if not entry["available"] or (command == "deck" and scale != "large" and not args.deck_all_scales):
                continue
            export = available[command]
            sheets = [s for s in map(sheet_for, results["pages"]) if s]
            # One page's report is judged at large (each page alone there); elsewhere the whole file.
            entry["scales"][scale] = exports.measure(
                export, paths[scale], BENCH / "cache", sheets, log=log, per_page=scale == "large",
                runs=(3 if scale == "large" else 2) if command == "report" else 2)
            if command == "report" and scale == "large":  # where one page's time goes, in a warm process
                entry["scales"][scale]["stages"] = report_stages.measure(paths[scale], sheets, runs=3)

    missing = [p["title"] for p in results["pages"] if p["path"] not in peers.PEERS]
    if missing:
        results["notes"].append(f"No pandas peer yet for: {', '.join(missing)} (add one function to bench/peers.py).")

    (BENCH / "cache" / "results-partial.json").write_text(json.dumps(results, default=str), encoding="utf-8")
    return results, paths


def measure_memory(results: dict, paths: dict[str, Path], args: argparse.Namespace) -> None:
    from bench import discover, memory

    if args.skip_memory or "large" not in paths:
        results["memory"] = {"skipped": "not measured in this run (--skip-memory or no large scale)"}
        return
    log(f"Memory: a Streamlit server over the large data, {args.sessions} browser sessions:")
    default = next((p["url"] for p in results["pages"] if p["default"]), results["pages"][0]["url"])
    urls = [p.slug for p in discover.pages()]  # every page, even when --pages narrowed the timing
    try:
        results["memory"] = memory.measure(paths["large"], urls, default, sessions=args.sessions, log=log)
    except Exception as exc:
        results["memory"] = {"skipped": f"failed: {type(exc).__name__}: {exc}"[:300]}


def write(results: dict, complete: bool) -> None:
    from bench import loadbench, plot, summary

    out = BENCH if complete else BENCH / "cache"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    try:
        plot.write(results, out / "scaling.png")
        plot_name = "scaling.png"
    except Exception as exc:  # the tables matter more than the picture
        log(f"scaling.png not written: {type(exc).__name__}: {exc}")
        plot_name = None
    target = out / "results.md"
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    # The load benchmark's section (bench/loadbench.py) is its own; keep it.
    target.write_text(loadbench.carry_section(previous, summary.results_markdown(results, plot_name)), encoding="utf-8")
    if complete:
        readme = ROOT / "README.md"
        readme.write_text(summary.replace_section(readme.read_text(encoding="utf-8"), summary.readme_section(results)),
                          encoding="utf-8")
    log(f"\nWrote {(out / 'results.md').relative_to(ROOT)}" + (" and the README's Benchmark section" if complete else ""))
    log("\n" + summary.targets_table(results))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="small,medium,large")
    parser.add_argument("--pages", default="", help="only these pages (names, e.g. overview,about)")
    parser.add_argument("--quick", action="store_true", help="small and medium, fewer runs, no memory; writes to bench/cache")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deck-all-scales", action="store_true", help="time the deck at every scale, not only large")
    parser.add_argument("--from-json", type=Path, help="rewrite results.md, the plot and the README from saved results")
    parser.add_argument("--resume", type=Path, help="take the pages' figures from bench/cache/results-partial.json; measure memory again")
    args = parser.parse_args(argv)
    args.scales = [s for s in args.scales.split(",") if s]
    args.pages = [p for p in args.pages.split(",") if p]
    args.runs_large = {"cold": 5, "warm": 10, "uncached": 5}
    args.runs_small = {"cold": 3, "warm": 5, "uncached": 3}
    if args.quick:
        args.scales = [s for s in args.scales if s != "large"] or ["small"]
        args.runs_small = {"cold": 2, "warm": 3, "uncached": 2}
        args.skip_memory = True
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
        write(results, complete=True)
        return 0
    started = time.perf_counter()
    if args.resume:  # the pages were measured; measure the memory again
        results = json.loads(args.resume.read_text(encoding="utf-8"))
        paths = {scale: ROOT / info["db"] for scale, info in results["scales"].items()}
    else:
        results, paths = measure(args)
    measure_memory(results, paths, args)
    results["meta"]["load_after"] = list(os.getloadavg())
    results["meta"]["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    results["meta"]["seconds"] = time.perf_counter() - started  # this invocation
    from bench import discover

    every_page = [p.script for p in discover.pages()]
    complete = list(results["scales"]) == ["small", "medium", "large"] and [p["path"] for p in results["pages"]] == every_page
    write(results, complete and not args.quick)
    log(f"\nmake bench took {results['meta']['seconds'] / 60:.1f} minutes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
