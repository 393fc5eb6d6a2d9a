"""One process of the load test: several browser sessions clicking through the dashboard.

Run by tests/browser/test_load.py in separate processes (Playwright's sync API is one per process).
Prints one JSON line per interaction and session as soon as it is known (so a run cut short
still says how far it got): its duration, and the error the page showed or the browser raised.
"""

from __future__ import annotations

import json
import re
import sys
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM_ARGS, chromium_path, wait_until_idle

PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Twenty sessions at once saturate two cores: slow is measured (p95), and only an interaction
# that has not finished after this long counts as failed.
STEP_TIMEOUT_MS = 180_000


def settle(page) -> None:
    page.wait_for_timeout(150)  # let the rerun start before waiting for it to end
    wait_until_idle(page, STEP_TIMEOUT_MS, polling=100)


def interactions(base: str, pages: list[str]):
    """(label, action) pairs a user would do: open the dashboard, go from page to page in the
    sidebar, open a shared link with filters, switch the language, open another link.

    Links return once the server answers ("commit"), so every session's request is in flight
    at once, as with concurrent users; `settle` then waits for the page to finish.
    """
    def go(url):
        return lambda p: p.goto(url, wait_until="commit")

    def click_page(path):
        def action(p):
            p.locator(f'.st-key-page_nav a[href^="{path}?"]').click()  # app.py's menu, relative links
            p.wait_for_url(re.compile(rf"/{path}(\?|$)"))
        return action

    yield "open", go(base + "/")
    for path in pages:
        yield f"page {path}", click_page(path)
    yield "filter", go(f"{base}/?regions=11,41&from=2025-01-01&to=2026-06-30")
    yield "language", lambda p: p.get_by_text("English", exact=True).click()
    yield "back", go(f"{base}/?lang=en")


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def run(base: str, pages: list[str], sessions: int, rounds: int = 1) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        tabs = [browser.new_context().new_page() for _ in range(sessions)]
        for index, tab in enumerate(tabs):
            tab.set_default_navigation_timeout(STEP_TIMEOUT_MS)
            tab.set_default_timeout(STEP_TIMEOUT_MS)
            tab.on("request", lambda r, i=index: emit({"external": r.url, "session": i})
                   if not r.url.startswith(base) else None)
        for label, action in list(interactions(base, pages)) * rounds:
            started = time.perf_counter()
            errors: dict[int, str] = {}
            for index, tab in enumerate(tabs):
                try:
                    action(tab)
                except PlaywrightError as exc:
                    errors[index] = str(exc).splitlines()[0][:300]
            for index, tab in enumerate(tabs):
                record = {"step": label, "session": index}
                try:
                    if index not in errors:
                        settle(tab)
                        shown = tab.locator(PROBLEMS)
                        if shown.count():
                            errors[index] = "page shows: " + shown.first.inner_text()[:300]
                except PlaywrightError as exc:
                    errors[index] = str(exc).splitlines()[0][:300]
                record["seconds"] = round(time.perf_counter() - started, 3)
                if index in errors:
                    record["error"] = errors[index]
                emit(record)
        browser.close()


if __name__ == "__main__":
    base_url, page_list, count, rounds = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
    run(base_url, [p for p in page_list if p], count, rounds)
