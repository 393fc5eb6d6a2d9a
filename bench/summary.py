"""From raw measurements to medians, targets met or not, growth rates, and Markdown tables.

Pure functions over the results dictionary bench/run.py builds (tests/unit/test_bench.py tests them).
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

GB = 1024**3

# Targets over the large data (issue 8)
COLD_MAX = 1.0  # seconds: a page's first view with empty caches
WARM_MAX = 0.2  # seconds: the same view again, and a changed filter
APP_OVER_DUCKDB_MAX = 1.5  # the app's time for a view over the time of its queries run directly
DUCKDB_FLOOR = 0.05  # seconds: below this the ratio measures Streamlit's fixed cost, not the app's queries
PEER_MIN = 10.0  # times faster than the pandas peer
MEMORY_MAX = 1.5 * GB  # peak RSS of the server with 20 sessions open
REPORT_MAX = 3.0  # seconds: the Excel report of one page
TARGET_SCALE = "large"

MET, MISSED = "✅", "❌"
NOT_AVAILABLE = "not available yet"
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"


def median(values: Sequence[float] | None) -> float | None:
    values = [v for v in (values or []) if v is not None]
    return statistics.median(values) if values else None


def growth_exponent(rows: Sequence[float], seconds: Sequence[float | None]) -> float | None:
    """b in seconds = a * rows^b, fitted by least squares on logarithms (None with < 2 points)."""
    points = [(math.log(r), math.log(s)) for r, s in zip(rows, seconds, strict=True)
              if r and s is not None and s > 0]
    if len(points) < 2 or len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def mark(ok: bool | None) -> str:
    return "" if ok is None else (MET if ok else MISSED)


def seconds_cell(value: float | None, limit: float | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:.3f}" if value < 0.1 else f"{value:.2f}"
    return f"{text} {mark(value <= limit)}" if limit is not None else text


def ratio_cell(value: float | None, ok: bool | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}×" if value < 100 else f"{value:.0f}×"
    return f"{text} {mark(ok)}".strip()


def gigabytes(value: float | None) -> str:
    return "–" if value is None else f"{value / GB:.2f} GB"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """A GitHub table; `align` is one letter per column (l or r), left by default."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(str(c).replace("|", "\\|") for c in line) + " |" for line in lines)


# --- per page, per scale ------------------------------------------------------------------------

@dataclass(frozen=True)
class PageFigures:
    page: str
    title: str
    scale: str
    error: str | None = None
    first_run: float | None = None
    cold: float | None = None
    cold_cpu: float | None = None
    warm: float | None = None
    warm_cpu: float | None = None
    filter: float | None = None
    filter_cpu: float | None = None
    uncached: float | None = None
    uncached_cpu: float | None = None
    duckdb: float | None = None
    duckdb_cpu: float | None = None
    queries: int = 0
    warm_queries: int | None = None
    peer: float | None = None
    peer_cpu: float | None = None
    peer_read: float | None = None
    peer_equal: bool | None = None

    def cpu(self) -> PageFigures:
        """The same figures in CPU seconds of the measuring process (all threads)."""
        return dataclasses.replace(
            self, cold=self.cold_cpu, warm=self.warm_cpu, filter=self.filter_cpu,
            uncached=self.uncached_cpu, duckdb=self.duckdb_cpu, peer=self.peer_cpu,
        )

    @property
    def app_over_duckdb(self) -> float | None:
        if self.uncached is None or not self.duckdb:
            return None
        return self.uncached / self.duckdb

    @property
    def ratio_judged(self) -> bool:
        return self.duckdb is not None and self.duckdb >= DUCKDB_FLOOR

    @property
    def peer_speedup(self) -> float | None:
        if self.peer is None or not self.uncached:
            return None
        return self.peer / self.uncached


def page_figures(results: dict, scale: str, page: dict) -> PageFigures:
    raw = results.get("apptime", {}).get(scale, {}).get(page["path"], {})
    peer = raw.get("peer")
    queries = raw.get("queries") or []
    duckdb = median(raw.get("duckdb")) if raw.get("duckdb") else (sum(q["seconds"] for q in queries) if queries else None)
    return PageFigures(
        page=page["path"],
        title=page["title"],
        scale=scale,
        error=raw.get("error") or (None if raw else "not measured"),
        first_run=raw.get("first_run"),
        cold=median(raw.get("cold")),
        cold_cpu=median(raw.get("cold_cpu")),
        warm=median(raw.get("warm")),
        warm_cpu=median(raw.get("warm_cpu")),
        filter=median(raw.get("filter")),
        filter_cpu=median(raw.get("filter_cpu")),
        uncached=median(raw.get("uncached")),
        duckdb=duckdb,
        uncached_cpu=median(raw.get("uncached_cpu")),
        duckdb_cpu=median(raw.get("duckdb_cpu")),
        peer_cpu=median([r["cpu"] for r in peer["runs"] if "cpu" in r]) if peer and peer.get("runs") else None,
        queries=len(queries),
        warm_queries=raw.get("warm_queries"),
        peer=median([r["read"] + r["compute"] for r in peer["runs"]]) if peer and peer.get("runs") else None,
        peer_read=median([r["read"] for r in peer["runs"]]) if peer and peer.get("runs") else None,
        peer_equal=peer.get("equal") if peer else None,
    )


def all_figures(results: dict, clock: str = "wall") -> dict[str, list[PageFigures]]:
    """Every page's figures per scale, in wall seconds or (clock="cpu") CPU seconds."""
    figures = {scale: [page_figures(results, scale, p) for p in results["pages"]] for scale in results["scales"]}
    if clock == "cpu":
        figures = {scale: [f.cpu() for f in items] for scale, items in figures.items()}
    return figures


# --- tables -----------------------------------------------------------------------------------------

PAGE_HEADER = ("Page", "cold s", "warm s", "filter changed s", "app, uncached s", "DuckDB s (queries)",
               "app ÷ DuckDB", "pandas peer s", "peer ÷ app")


def page_row(f: PageFigures, judge: bool) -> list[str]:
    """One page's row; with `judge`, each figure carries its target's mark."""
    if f.error:
        return [f.title, f"error: {f.error}"] + ["–"] * (len(PAGE_HEADER) - 2)
    limit = (lambda x: x) if judge else (lambda x: None)
    ratio = f.app_over_duckdb
    if ratio is None:
        ratio_text = "–"
    elif f.ratio_judged:
        ratio_text = ratio_cell(ratio, ratio <= APP_OVER_DUCKDB_MAX if judge else None)
    else:
        ratio_text = f"{ratio_cell(ratio)} (queries < {DUCKDB_FLOOR * 1000:.0f} ms: not judged)"
    if f.peer is None:
        peer_text, speed_text = "no peer yet", "–"
    else:
        peer_text = seconds_cell(f.peer) + ("" if f.peer_equal else " (figures differ!)")
        speedup = f.peer_speedup
        speed_text = ratio_cell(speedup, (speedup >= PEER_MIN and bool(f.peer_equal)) if judge and speedup else None)
    return [
        f.title,
        seconds_cell(f.cold, limit(COLD_MAX)),
        seconds_cell(f.warm, limit(WARM_MAX)),
        seconds_cell(f.filter, limit(WARM_MAX)),
        seconds_cell(f.uncached),
        f"{seconds_cell(f.duckdb)} ({f.queries})",
        ratio_text,
        peer_text,
        speed_text,
    ]


def pages_table(figures: list[PageFigures], judge: bool) -> str:
    return markdown_table(PAGE_HEADER, [page_row(f, judge) for f in figures], "l" + "r" * (len(PAGE_HEADER) - 1))


def export_line(results: dict, command: str, scale: str = TARGET_SCALE) -> tuple[str, str, bool | None]:
    """(what, figure, met) for the report or the deck at one scale."""
    entry = results.get("exports", {}).get(command)
    label = {"report": "Excel report", "deck": "Meeting deck"}.get(command, command)
    if not entry or not entry.get("available"):
        return label, f"{NOT_AVAILABLE} (`python -m oversight {command}` does not exist)", None
    at = entry.get("scales", {}).get(scale)
    if not at:
        return label, "not measured at this scale", None
    if at.get("error"):
        return label, f"failed: {at['error']}", False if command == "report" else None
    seconds = median(at.get("runs"))
    base = median(at.get("baseline"))
    scope = at.get("scope", "whole workbook")
    text = f"{seconds:.2f} s ({scope}; of which ~{base:.1f} s is Python start and imports)" if base else f"{seconds:.2f} s ({scope})"
    ok = None
    if command == "report":
        per_page = at.get("per_page")
        if per_page:
            worst = max(per_page.items(), key=lambda kv: median(kv[1]) or 0)
            seconds = median(worst[1])
            text = (f"slowest page {worst[0]}: {seconds:.2f} s (one sheet each; Python start included, ~{base or 0:.1f} s);"
                    f" whole workbook {median(at.get('runs')):.2f} s")
            stages = at.get("stages", {}).get(worst[0])
            if stages:
                text += "; in a warm process: " + ", ".join(f"{stage} {median(runs):.2f} s" for stage, runs in stages.items())
        ok = seconds <= REPORT_MAX
    return label, text, ok


def targets(results: dict, clock: str = "wall") -> list[tuple[str, str, bool | None]]:
    """Every target over the large data: (target, what was measured, met?), in wall or CPU seconds."""
    everything = all_figures(results, clock).get(TARGET_SCALE, [])
    large = [f for f in everything if not f.error]
    rows: list[tuple[str, str, bool | None]] = []
    failed = [f.title for f in everything if f.error]
    if failed:
        rows.append(("every page renders", "errors: " + ", ".join(failed), False))

    def worst(attr: str, items: list[PageFigures]) -> PageFigures | None:
        present = [f for f in items if getattr(f, attr) is not None]
        return max(present, key=lambda f: getattr(f, attr)) if present else None

    for attr, limit, label in (("cold", COLD_MAX, f"every page ≤ {COLD_MAX:g} s cold"),
                               ("warm", WARM_MAX, f"every page ≤ {WARM_MAX:g} s warm (same view)"),
                               ("filter", WARM_MAX, f"every page ≤ {WARM_MAX:g} s warm (filter changed)")):
        w = worst(attr, large)
        if w is None:
            rows.append((label, "not measured", None))
            continue
        over = [f.title for f in large if getattr(f, attr) is not None and getattr(f, attr) > limit]
        text = f"slowest {w.title} {getattr(w, attr):.2f} s" + (f"; over: {', '.join(over)}" if over else "")
        rows.append((label, text, not over))

    judged = [f for f in large if f.ratio_judged and f.app_over_duckdb is not None]
    if judged:
        w = max(judged, key=lambda f: f.app_over_duckdb)
        over = [f.title for f in judged if f.app_over_duckdb > APP_OVER_DUCKDB_MAX]
        text = f"highest {w.title} {w.app_over_duckdb:.1f}×" + (f"; over: {', '.join(over)}" if over else "")
        rows.append((f"app ≤ {APP_OVER_DUCKDB_MAX:g}× DuckDB time of its queries", text, not over))

    with_peer = [f for f in large if f.peer_speedup is not None]
    if with_peer:
        w = min(with_peer, key=lambda f: f.peer_speedup)
        under = [f.title for f in with_peer if f.peer_speedup < PEER_MIN or not f.peer_equal]
        text = f"lowest {w.title} {w.peer_speedup:.1f}×; peers for {len(with_peer)} of {len(large)} pages"
        rows.append((f"≥ {PEER_MIN:g}× faster than the pandas peer", text, not under))

    memory = results.get("memory") or {}
    if memory.get("peak_rss"):
        sessions = memory.get("sessions_open", memory.get("sessions"))
        text = f"{gigabytes(memory['peak_rss'])} with {sessions} sessions"
        rows.append((f"peak memory < {MEMORY_MAX / GB:g} GB, 20 sessions", text,
                     memory["peak_rss"] < MEMORY_MAX and sessions >= 20))
    else:
        rows.append((f"peak memory < {MEMORY_MAX / GB:g} GB, 20 sessions", memory.get("skipped", "not measured"), None))
    if memory.get("peak_rss"):
        errors = memory.get("errors") or []
        text = "none" if not errors else f"{len(errors)} of {memory.get('sessions')} sessions, e.g. {_short(errors[0])}"
        rows.append(("every browser session shows its page without an error", text, not errors))

    label, text, ok = export_line(results, "report")
    rows.append((f"Excel report of one page ≤ {REPORT_MAX:g} s", text, ok))
    label, text, ok = export_line(results, "deck")
    rows.append(("Meeting deck (no target here; issue 6: ≤ 20 s at medium)", text, None))
    return rows


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _verdict(ok: bool | None) -> str:
    return {True: "met " + MET, False: "not met " + MISSED, None: "–"}[ok]


def targets_table(results: dict) -> str:
    """Each target judged on wall time, and again on CPU time (what an idle machine would take)."""
    wall, cpu = targets(results, "wall"), targets(results, "cpu")
    cpu_by_name = {name: (text, ok) for name, text, ok in cpu}
    rows = []
    for name, text, ok in wall:
        cpu_text, cpu_ok = cpu_by_name.get(name, ("", None))
        same = cpu_text == text
        rows.append((name, text, _verdict(ok), "(same)" if same else cpu_text, "" if same else _verdict(cpu_ok)))
    return markdown_table(("Target (large data)", "Measured (wall time)", "Met", "In CPU time", "Met"), rows)


def growth(results: dict, clock: str = "wall") -> dict[str, dict[str, float | None]]:
    """Fitted exponent of time against rows read, per page: cold, uncached and DuckDB."""
    scales = [s for s in results["scales"] if results["scales"][s].get("read_rows")]
    rows = [results["scales"][s]["read_rows"] for s in scales]
    figures = all_figures(results, clock)
    out: dict[str, dict[str, float | None]] = {}
    for index, page in enumerate(results["pages"]):
        per = [figures[s][index] for s in scales]
        out[page["path"]] = {
            attr: growth_exponent(rows, [getattr(f, attr) for f in per]) for attr in ("cold", "uncached", "duckdb")
        }
    return out


def growth_table(results: dict) -> str:
    scales = list(results["scales"])
    figures = all_figures(results)
    wall, cpu = growth(results, "wall"), growth(results, "cpu")
    header = ["Page", *[f"cold s, {s}" for s in scales], "growth, cold (wall)", "growth, cold (CPU)",
              "growth, its queries in DuckDB (wall)", "(CPU)"]

    def exponent(value: float | None) -> str:
        return "–" if value is None else f"rows^{value:.2f}"

    rows = []
    for index, page in enumerate(results["pages"]):
        w, c = wall[page["path"]], cpu[page["path"]]
        rows.append([
            page["title"],
            *[seconds_cell(figures[s][index].cold) for s in scales],
            exponent(w["cold"]), exponent(c["cold"]), exponent(w["duckdb"]), exponent(c["duckdb"]),
        ])
    return markdown_table(header, rows, "l" + "r" * (len(header) - 1))


def scales_table(results: dict) -> str:
    rows = []
    for scale, info in results["scales"].items():
        rows.append([scale, f"{info.get('read_rows', 0):,}", f"{sum(info.get('rows', {}).values()):,}",
                     "cached" if info.get("build_seconds") is None else f"built in {info['build_seconds']:.0f} s"])
    return markdown_table(("Scale", "rows the pages' queries read", "rows in the database", "database"), rows, "lrrl")


def memory_text(results: dict) -> str:
    memory = results.get("memory") or {}
    if not memory.get("peak_rss"):
        return f"Memory: {memory.get('skipped', 'not measured')}."
    parts = [
        f"Memory of the Streamlit server over the large database: peak {gigabytes(memory['peak_rss'])} "
        f"with {memory.get('sessions_open')} browser sessions open, {memory.get('moved', 0)} of which then moved to another page "
        f"(at start {gigabytes(memory.get('start_rss'))}, after the first session {gigabytes(memory.get('first_session_rss'))}, "
        f"at the end {gigabytes(memory.get('end_rss'))})."
    ]
    if memory.get("first_screen"):
        parts.append(
            f"In Chromium a session's first screen took {median(memory['first_screen']):.1f} s median "
            f"(max {max(memory['first_screen']):.1f} s), opened {memory.get('wave', 1)} at a time while the others stayed open."
        )
    if memory.get("errors"):
        parts.append(f"Errors seen in sessions: {'; '.join(memory['errors'][:3])}.")
    return " ".join(parts)


def conditions(results: dict) -> str:
    meta = results.get("meta", {})
    load = meta.get("load_before"), meta.get("load_after")
    text = (f"Measured {meta.get('finished', meta.get('started', ''))[:16]} on {meta.get('cores', '?')} cores"
            f" ({meta.get('platform', '')}; Python {meta.get('python', '')}, DuckDB {meta.get('duckdb', '')},"
            f" Streamlit {meta.get('streamlit', '')}, pandas {meta.get('pandas', '')}).")
    if all(load):
        text += (f" Load average {load[0][0]:.1f} before and {load[1][0]:.1f} after the run"
                 f" on {meta.get('cores', '?')} cores: where it exceeds the core count, other work shared the cores and"
                 " wall times are pessimistic. CPU time (the measuring process's, all threads, DuckDB's included)"
                 " changes far less with load and is about what the same work takes on an idle machine: each target"
                 " is judged on both.")
    return text


def results_markdown(results: dict, plot: str | None = "scaling.png") -> str:
    figures = all_figures(results)
    parts = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); what each figure includes: bench/README.md.",
        conditions(results),
        "",
        f"## Targets over the {TARGET_SCALE} data",
        "",
        targets_table(results),
        "",
    ]
    cpu = all_figures(results, "cpu")
    for scale in results["scales"]:
        judge = scale == TARGET_SCALE
        parts += [f"## {scale.capitalize()} data", "", "Wall time:", "", pages_table(figures[scale], judge), "",
                  "CPU time of the measuring process:", "", pages_table(cpu[scale], judge), ""]
    parts += ["## Exports", ""]
    rows = []
    for command in ("report", "deck"):
        for scale in results["scales"]:
            label, text, ok = export_line(results, command, scale)
            if NOT_AVAILABLE in text:
                rows.append([label, "–", text, ""])
                break
            rows.append([label, scale, text, mark(ok) if scale == TARGET_SCALE else ""])
    parts += [markdown_table(("Export", "scale", "time", "target"), rows), ""]
    parts += ["## Memory", "", memory_text(results), ""]
    parts += ["## How cost grows", "", scales_table(results), "", growth_table(results), ""]
    if plot:
        parts += [f"![Page times at small, medium and large scale]({plot})", ""]
    parts += ["## Queries each page ran (large data, default view, direct DuckDB median)", ""]
    for f, page in zip(figures.get(TARGET_SCALE, []), results["pages"], strict=False):
        raw = results.get("apptime", {}).get(TARGET_SCALE, {}).get(page["path"], {})
        calls = raw.get("queries") or []
        if calls:
            parts.append(f"- {f.title}: " + ", ".join(
                f"`{q['name']}` {q['seconds']:.3f} s (in app {q['in_app_seconds']:.3f} s)" for q in calls))
    notes = results.get("notes") or []
    if notes:
        parts += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(parts).rstrip() + "\n"


def readme_section(results: dict) -> str:
    figures = all_figures(results)
    return "\n".join([
        START_MARKER,
        "<!-- written by `make bench`; edit bench/summary.py, not this section -->",
        conditions(results),
        "",
        targets_table(results),
        "",
        f"Each page over the {TARGET_SCALE} data, wall time (medians; {MET} meets its target, {MISSED} misses it):",
        "",
        pages_table(figures.get(TARGET_SCALE, []), judge=True),
        "",
        "The same in CPU seconds of the measuring process (all threads; about what an idle machine's wall time would be):",
        "",
        pages_table(all_figures(results, "cpu").get(TARGET_SCALE, []), judge=True),
        "",
        growth_table(results),
        "",
        "![Page times at small, medium and large scale](bench/scaling.png)",
        "",
        "All scales, exports, memory and each query's time: [bench/results.md](bench/results.md);"
        " what each figure includes: [bench/README.md](bench/README.md).",
        END_MARKER,
    ])


def replace_section(text: str, section: str, heading: str = "## Benchmark") -> str:
    """Put `section` between the markers, or append a heading and it when there are none."""
    pattern = re.compile(re.escape(START_MARKER) + r".*?" + re.escape(END_MARKER), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: section, text, count=1)
    return text.rstrip() + f"\n\n{heading}\n\n" + section + "\n"
