"""The Excel report and the meeting deck, timed through their command lines once they exist.

A figure includes the Python start and imports (timed apart as `python -m oversight info`, the
baseline). When the report can be limited to one page (an option such as --sheet), each page's
report is timed; otherwise the whole workbook is, and the figure says so.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.discover import Export

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600


def _timed(command: list[str]) -> tuple[float, str | None]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        lines = (done.stderr or done.stdout or f"exit status {done.returncode}").strip().splitlines()
        return seconds, lines[-1] if lines else f"exit status {done.returncode}"
    return seconds, None


def baseline(db: Path, runs: int) -> list[float]:
    """A command that starts Python, imports the package and reads one row."""
    return [_timed([sys.executable, "-m", "oversight", "info", "--db", str(db)])[0] for _ in range(runs)]


def measure(export: Export, db: Path, out_dir: Path, sheets: list[str], runs: int, log=print,
            per_page: bool = True) -> dict:
    """The export's runs (whole file); with `per_page`, the report of each page alone as well."""
    suffix = ".xlsx" if export.command == "report" else ".pptx"
    out_dir.mkdir(parents=True, exist_ok=True)

    def command(sheet: str | None) -> list[str]:
        out = out_dir / f"{export.command}-{db.stem}{'-' + sheet if sheet else ''}{suffix}"
        args = [sys.executable, "-m", "oversight", export.command, "--db", str(db), export.out_option, str(out)]
        return args + ([export.sheet_option, sheet] if sheet else [])

    result: dict = {"baseline": baseline(db, 2)}
    runs_all = []
    for _ in range(runs):
        seconds, error = _timed(command(None))
        if error:
            result["error"] = error[:300]
            return result
        runs_all.append(seconds)
    result["runs"] = runs_all
    result["scope"] = "whole workbook, every page" if export.command == "report" else "whole deck"
    log(f"    {export.command} on {db.stem}: {min(runs_all):.1f}-{max(runs_all):.1f} s")
    if export.command == "report" and export.sheet_option and per_page:
        result["per_page"] = {}
        for sheet in sheets:
            samples = []
            for _ in range(runs):
                seconds, error = _timed(command(sheet))
                if error:
                    result.setdefault("sheet_errors", {})[sheet] = error[:300]
                    break
                samples.append(seconds)
            if samples:
                result["per_page"][sheet] = samples
    return result
