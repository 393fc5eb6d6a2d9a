"""Peak memory of a real Streamlit server with 20 browser sessions open (Chromium, Playwright).

The server runs over the large database on a free loopback port. Sessions are opened in waves of
five at once (the server serves each wave concurrently) in a few browser contexts and stay open;
each starts on a page (by URL, with its own region filter for every other session, so the query
cache grows as it would with many users) and then moves to the next page through the sidebar. The server's resident memory is sampled
with psutil every 0.2 s; its high-water mark (VmHWM in /proc) is read at the end as well.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlparse
from pathlib import Path

import psutil

from bench.browser import CHROMIUM_ARGS, wait_until_idle

ROOT = Path(__file__).resolve().parent.parent
NAV_LINKS = ".st-key-page_nav a"  # app.py's menu (NAV_KEY)
REGIONS = ("11", "41", "26", "27", "28", "48", "47", "30", "29", "44")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss(process: psutil.Process) -> int:
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total


def _high_water_mark(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.process, self.every = psutil.Process(pid), every
        self.peak, self.last, self._halt = 0, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.last = _rss(self.process)
                self.peak = max(self.peak, self.last)
            except psutil.Error:
                return
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def start_server(db: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "OVERSIGHT_DB": str(db)}
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start; log: {log_path.read_text()[-2000:]}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_ready(page) -> None:
    # Every page opens with its title; a page that fails shows an exception instead.
    page.wait_for_selector('h1, [data-testid="stException"]', timeout=120_000)
    wait_until_idle(page, 120_000, polling=200)


def _exception(page) -> str | None:
    """The text of an exception the page shows, if any."""
    shown = page.locator('[data-testid="stException"]')
    return " ".join(shown.first.inner_text().split())[:160] if shown.count() else None


def _nav_index(page, target: str) -> int | None:
    """The sidebar link to a path ("" for the default page), by its href."""
    hrefs = page.locator(NAV_LINKS).evaluate_all(
        "els => els.map(e => e.href)")  # resolved: the menu's hrefs are relative
    return next((i for i, h in enumerate(hrefs) if urlparse(h).path.rstrip("/") == target), None)


def measure(db: Path, url_paths: list[str], default_url: str, sessions: int = 20, contexts: int = 4,
            wave: int = 5, log=print, log_dir: Path | None = None) -> dict:
    """Open `sessions` sessions in waves of `wave` at once (the server serves a wave concurrently)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return {"skipped": "Chromium is not installed (make bench installs it via system-deps when run as root)"}
    from playwright.sync_api import sync_playwright

    log_dir = log_dir or ROOT / "bench" / "cache"
    process, url = start_server(db, log_dir / "memory-server.log")
    result: dict = {"sessions": sessions, "wave": wave, "first_screen": [], "errors": [], "moved": 0}
    sampler = Sampler(process.pid)

    def failed(index: int, what: str, exc: Exception) -> None:  # a session that fails is reported, not hidden
        result["errors"].append(f"session {index} ({what}): {type(exc).__name__}: {str(exc)[:200]}")

    try:
        time.sleep(1.0)
        result["start_rss"] = _rss(psutil.Process(process.pid))
        sampler.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                pools = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(contexts)]
                opened = []
                for first_index in range(0, sessions, wave):
                    batch = []
                    for index in range(first_index, min(first_index + wave, sessions)):
                        page = pools[index % contexts].new_page()
                        first = url_paths[index % len(url_paths)]
                        then = url_paths[(index + 1) % len(url_paths)]
                        query = f"?regions={REGIONS[(index // 2) % len(REGIONS)]}" if index % 2 else ""
                        started = time.perf_counter()
                        try:
                            page.goto(f"{url}/{'' if first == default_url else first}{query}",
                                      wait_until="commit", timeout=180_000)
                            batch.append((index, page, first, then, started))
                        except Exception as exc:
                            failed(index, first, exc)
                        opened.append(page)
                    for index, page, first, then, started in batch:
                        try:
                            _wait_ready(page)
                            result["first_screen"].append(time.perf_counter() - started)
                            if shown := _exception(page):
                                result["errors"].append(f"session {index} opening /{first}: {shown}")
                        except Exception as exc:
                            failed(index, first, exc)
                    if first_index == 0:
                        result["first_session_rss"] = sampler.last
                    moving = []
                    for index, page, first, then, _ in batch:  # then each moves to another page
                        target = "" if then == default_url else "/" + then
                        try:
                            link = _nav_index(page, target)
                            if then != first and link is not None:
                                page.locator(NAV_LINKS).nth(link).click()
                                moving.append((index, page, then, target))
                        except Exception as exc:
                            failed(index, then, exc)
                    for index, page, then, target in moving:
                        try:
                            page.wait_for_url(lambda u, target=target: urlparse(u).path.rstrip("/") == target,
                                              timeout=60_000)
                            page.wait_for_timeout(300)
                            _wait_ready(page)
                            result["moved"] += 1
                            if shown := _exception(page):
                                result["errors"].append(f"session {index} moving to /{then}: {shown}")
                        except Exception as exc:
                            failed(index, then, exc)
                    log(f"    sessions {first_index + 1}-{first_index + len(batch)} of {sessions} open:"
                        f" server RSS {sampler.last / 2**20:.0f} MB")
                time.sleep(2.0)
                result["sessions_open"] = sum(1 for p in opened if not p.is_closed())
                result["end_rss"] = _rss(psutil.Process(process.pid))
                result["high_water_mark"] = _high_water_mark(process.pid)
            finally:
                browser.close()
    finally:
        try:
            sampler.stop()
        finally:
            stop_server(process)
    result["sampled_peak_rss"] = sampler.peak
    result["peak_rss"] = max(filter(None, [sampler.peak, result.get("high_water_mark")]), default=None)
    return result
