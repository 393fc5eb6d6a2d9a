"""One process of the load test: several browser sessions clicking through the dashboard.

Run by tests/test_load.py in separate processes (Playwright's sync API is one per process).
Returns, per interaction, its duration and whether the page showed an error.
"""

from __future__ import annotations

import json
import sys
import time

from playwright.sync_api import sync_playwright

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def settle(page) -> None:
    page.wait_for_timeout(150)  # let the rerun start before waiting for it to end
    page.wait_for_function(IDLE, timeout=60_000, polling=100)


def interactions(base: str, pages: list[str]):
    """(label, action) pairs a user would do: open pages, change filters and language."""
    yield "open", lambda p: p.goto(base + "/")
    for path in pages:
        yield f"page {path}", lambda p, path=path: p.goto(f"{base}/{path}")
    yield "filter", lambda p: p.goto(f"{base}/?regions=11,41&from=2025-01-01&to=2026-06-30")
    yield "language", lambda p: p.get_by_text("English", exact=True).click()
    yield "back", lambda p: p.goto(f"{base}/?lang=en")


def run(base: str, pages: list[str], sessions: int, rounds: int = 1) -> list[dict]:
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        tabs = [browser.new_context().new_page() for _ in range(sessions)]
        for tab in tabs:
            # Twenty sessions at once saturate two cores: slow is measured (p95), not a failure.
            tab.set_default_navigation_timeout(120_000)
            tab.set_default_timeout(120_000)
        external = []
        for tab in tabs:
            tab.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
        steps = list(interactions(base, pages)) * rounds
        for label, action in steps:
            # All sessions act at once, as concurrent users would; then each is timed to idle.
            started = time.perf_counter()
            for tab in tabs:
                action(tab)
            for tab in tabs:
                settle(tab)
                results.append({
                    "step": label,
                    "seconds": time.perf_counter() - started,
                    "problems": tab.locator(PROBLEMS).count(),
                    "text": tab.locator(PROBLEMS).first.inner_text()[:200] if tab.locator(PROBLEMS).count() else "",
                })
        browser.close()
    results.append({"external": external})
    return results


if __name__ == "__main__":
    base_url, page_list, count, rounds = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(run(base_url, [p for p in page_list if p], count, rounds)))
