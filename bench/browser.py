"""Driving the dashboard in Chromium: one module for the tests, the bench and the load worker.

`CHROMIUM_ARGS` are the flags every launch uses (no sandbox in containers, nothing that would
reach the network on its own); `wait_until_idle` is the "script finished" wait, as Streamlit's own
end-to-end tests do it: the app says its script is not running and the status widget is gone.
"""

from __future__ import annotations

import shutil

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCRIPT_IDLE = ("(() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
               " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
               " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); })()")


def chromium_path() -> str | None:
    """Debian's Chromium (the tests and the bench never download a browser)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def idle_function(also: str = "") -> str:
    """The page function of the wait: the script finished, and `also` (a JavaScript expression) holds."""
    return "() => " + SCRIPT_IDLE + (f" && ({also})" if also else "")


def wait_until_idle(page, timeout: int = 30_000, also: str = "", polling: int | str = "raf") -> None:
    """Until the script has run and the status widget is gone (and `also`), within `timeout` ms."""
    page.wait_for_function(idle_function(also), timeout=timeout, polling=polling)
