"""Helpers the tests share: driving a page in AppTest, and waiting on a page in Chromium."""

from __future__ import annotations

from urllib.parse import urlparse

# The "script finished" wait, shared with the bench and the load worker (bench/browser.py).
from bench.browser import wait_until_idle  # noqa: F401

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
NAV_LINKS = ".st-key-page_nav a"  # the sidebar's page links (app.py NAV_KEY)


# --- AppTest -------------------------------------------------------------------------------------

def open_page(app, page: str, query: dict | None = None):
    """Run app.py with `query` as the URL, switch to `page`, and fail on any exception."""
    at = app(query or {})
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def subheaders(at) -> list[str]:
    """Subheaders as shown: titles with data in them are Markdown-escaped (components.plain)."""
    return [s.value.replace("\\", "") for s in at.subheader]


def query_value(at, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


# --- Chromium ------------------------------------------------------------------------------------



def external(urls: list[str]) -> list[str]:
    """The requests that left the machine."""
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in LOCAL_HOSTS]
