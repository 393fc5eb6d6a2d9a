"""Issue 9, load: 20 browser sessions in several processes click through the dashboard while the
database is rewritten and swapped underneath them. No page may fail; p95 and memory are reported.

Each process's sessions open the overview, their share of the other pages, a filtered link, the
language switch and a link back: every page is visited by five sessions at once, and the run
stays within minutes on two saturated cores (`make soak` repeats it).
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

import psutil
import pytest
from conftest import ROOT, start_server

from oversight import pages as registry
from oversight import settings

pytestmark = pytest.mark.browser

PROCESSES = 4
SESSIONS_PER_PROCESS = 5
# `make soak` repeats the walk for longer; `make test` does it once.
ROUNDS = settings.SOAK_ROUNDS.value()
# url paths of the pages a viewer finds in the sidebar, but the default page, served at "/".
PAGES = [page.slug for page in registry.viewer_pages() if not page.default]
SHARES = [PAGES[i::PROCESSES] for i in range(PROCESSES)]
# A process that has not finished by then is stopped; what it printed so far is still judged.
WORKER_SECONDS = 900


def _communicate(worker: subprocess.Popen, deadline: float) -> tuple[str, str]:
    try:
        return worker.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        worker.kill()
        out, err = worker.communicate()
        return out, err + f"\nstopped after {WORKER_SECONDS * ROUNDS} s"


def _peak_rss(process: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], process.memory_info().rss)
        except psutil.Error:
            return
        time.sleep(0.2)


def test_twenty_sessions_during_database_swaps(demo_db, tmp_path):
    db_path = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db_path)
    server = start_server(db_path, tmp_path / "streamlit.log")
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_peak_rss, args=(psutil.Process(server.process.pid), stop, peak))
    sampler.start()
    # The writer: rebuilds of the whole database, each built aside and swapped in (db.rebuild).
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from oversight.demo import build_demo\n"
         "end = time.monotonic() + float(sys.argv[2])\n"
         "n = 0\n"
         "while time.monotonic() < end:\n"
         "    build_demo(Path(sys.argv[1]), scale='tiny', seed=7 + n % 2); n += 1\n"
         "    time.sleep(2)\n"
         "print(n)\n",
         str(db_path), str(WORKER_SECONDS * ROUNDS)],  # until the sessions are done
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    swaps_before = db_path.stat().st_ino
    try:
        workers = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "tests" / "load_worker.py"), server.url, ",".join(share),
                 str(SESSIONS_PER_PROCESS), str(ROUNDS)],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            for share in SHARES
        ]
        deadline = time.monotonic() + WORKER_SECONDS * ROUNDS
        outputs = [_communicate(w, deadline) for w in workers]
    finally:
        writer.kill()
        writer.wait()
        stop.set()
        sampler.join()
        server.stop()

    assert db_path.stat().st_ino != swaps_before, "the database was never swapped during the run"
    results = [json.loads(line) for out, _ in outputs for line in out.splitlines() if line.startswith("{")]
    steps = [r for r in results if "step" in r]
    external = [r["external"] for r in results if "external" in r]
    failed = [r for r in steps if "error" in r]
    seconds = sorted(r["seconds"] for r in steps)
    assert seconds, "no session finished an interaction: " + outputs[0][1][-2000:]
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    report = {
        "sessions": PROCESSES * SESSIONS_PER_PROCESS,
        "rounds": ROUNDS,
        "interactions": len(steps),
        "failed": len(failed),
        "processes": PROCESSES,
        "pages_per_process": [len(share) + 4 for share in SHARES],
        "median_s": round(statistics.median(seconds), 2),
        "p95_s": round(p95, 2),
        "server_peak_rss_mb": round(peak[0] / 2**20),
    }
    print("LOAD", json.dumps(report))
    (ROOT / "test-results").mkdir(exist_ok=True)
    (ROOT / "test-results" / "load.json").write_text(json.dumps(report, indent=1))
    (ROOT / "test-results" / "load-steps.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-2000:] + "\nlast interactions:\n" + "\n".join(out.splitlines()[-5:])
    assert failed == [], failed[:5]
    assert external == []
    # open, the process's pages, a filtered link, the language switch, back: per session
    assert len(steps) == SESSIONS_PER_PROCESS * sum(len(share) + 4 for share in SHARES) * ROUNDS
    assert peak[0] < 1.5 * 2**30, "the app process must stay under 1.5 GB"
