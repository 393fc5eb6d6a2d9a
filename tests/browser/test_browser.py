"""The dashboard in a real Chromium: pages, language, filters, and no request leaving the machine."""

import re

import pytest
from helpers import NAV_LINKS, external, wait_until_idle
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

def test_overview_switch_language_change_filter_and_nothing_leaves_the_machine(server, page: Page, requests_seen):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(server.url)
    wait_until_idle(page)
    expect(page.locator(".main-svg").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("합성 데모 데이터").first).to_be_visible()
    metrics = page.locator('[data-testid="stMetricValue"]')
    expect(metrics).to_have_count(6)
    institutions_before = metrics.first.inner_text()

    # English, one click away, kept in the URL
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_text("Institutions in the programme", exact=True)).to_be_visible(timeout=20_000)
    wait_until_idle(page)
    page.wait_for_url("**lang=en**", timeout=10_000)

    # Choose a region in the shared filter: the KPI changes and the URL carries it
    regions = page.locator('[data-testid="stMultiSelect"]').first
    regions.scroll_into_view_if_needed()
    regions.click()
    page.keyboard.type("Seoul")
    page.get_by_role("option", name="Seoul").click()
    page.keyboard.press("Escape")
    expect(metrics.first).not_to_have_text(institutions_before, timeout=20_000)
    wait_until_idle(page)
    page.wait_for_url("**regions=11**", timeout=10_000)

    # A copied link reproduces the view in a fresh tab
    shared = page.url
    other = page.context.new_page()
    other.on("request", lambda request: requests_seen.append(request.url))
    other.goto(shared)
    wait_until_idle(other)
    expect(other.locator('[data-testid="stMetricValue"]').first).to_have_text(metrics.first.inner_text())
    expect(other.get_by_text("Institutions in the programme", exact=True)).to_be_visible(timeout=20_000)

    assert requests_seen, "the request recorder saw nothing"
    assert external(requests_seen) == []


def test_every_page_opens_in_the_browser_without_an_exception(server, page: Page, requests_seen):
    page.goto(server.url)
    wait_until_idle(page)
    links = page.locator(NAV_LINKS)
    expect(links.first).to_be_visible(timeout=30_000)  # a busy machine may not have started the run yet
    hrefs = links.evaluate_all("links => links.map(a => a.href)")  # resolved: the menu's are relative
    assert len(hrefs) >= 2
    for href in hrefs:
        page.goto(href)
        wait_until_idle(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        expect(page.get_by_text(re.compile("합성 데모 데이터|Synthetic demo data")).first).to_be_visible()
    assert external(requests_seen) == []


def test_a_deep_link_is_the_first_request_a_fresh_server_gets(demo_db, tmp_path, page: Page, requests_seen):
    """Right after a start, a shared link to a page must open that page with its filters."""
    from conftest import start_server

    fresh = start_server(demo_db, tmp_path / "streamlit.log")
    try:
        page.goto(f"{fresh.url}/about?lang=en&regions=26")
        wait_until_idle(page)
        expect(page.locator("h1").first).to_have_text("About", timeout=30_000)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        assert "regions=26" in page.url and "lang=en" in page.url
        expect(page.locator(NAV_LINKS).first).to_be_visible()
    finally:
        fresh.stop()
    assert external(requests_seen) == []
