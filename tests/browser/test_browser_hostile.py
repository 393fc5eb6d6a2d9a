"""Hostile names on every page, in a real browser: nothing from data is rendered as markup."""

import pytest
from conftest import start_server
from helpers import NAV_LINKS, external, wait_until_idle
from hostile import build_hostile
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PROBE = """() => ({
    pwned: window.__pwned === 1,
    injected: document.querySelectorAll('#pwned-img, #pwned-bold').length,
    markdownBold: [...document.querySelectorAll('strong, b')].filter(e => e.textContent.includes('md-bold')).length,
    javascriptLinks: [...document.querySelectorAll('a[href^="javascript"]')].length,
})"""


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    srv = start_server(build_hostile(demo_db, folder / "hostile.duckdb"), folder / "streamlit.log")
    yield srv
    srv.stop()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_hostile_names_stay_text_on_every_page(hostile_server, page: Page, lang):
    seen: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_server.url}/?lang={lang}")
    wait_until_idle(page)
    links = page.locator(NAV_LINKS)
    expect(links.first).to_be_visible(timeout=30_000)  # a busy machine may not have started the run yet
    hrefs = links.evaluate_all("links => links.map(a => a.href)")  # each carries lang={lang} already
    visited = 0
    for href in hrefs:
        assert f"lang={lang}" in href, href
        page.goto(href)
        wait_until_idle(page)
        # Open every "show data" expander so tables are drawn too.
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            expander.click()
        page.wait_for_timeout(300)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        assert page.evaluate(PROBE) == {"pwned": False, "injected": 0, "markdownBold": 0, "javascriptLinks": 0}, href
        visited += 1
    assert visited >= 2
    assert dialogs == []
    assert external(seen) == []
