"""Agreements and Institutions in a real Chromium: deep links, a row click opening a detail kept
in the URL, a chart click narrowing the page, and no request leaving the machine."""

import re

import helpers
import pytest
from helpers import external
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SLOW = 90_000  # ms: these pages rerun with a 1,000-row table; the shared test machine is often loaded


def wait_until_idle(page: Page) -> None:
    helpers.wait_until_idle(page, timeout=SLOW)


def _click_first_row(page: Page, table) -> None:
    """Tables are drawn on a canvas: click the selection cell of the first data row."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # header row 35 px, then half a row


def test_agreements_row_click_opens_the_detail_in_the_url(server, page: Page, requests_seen):  # noqa: F811
    # A deep link, as a colleague would paste it: the page and its language come from the URL.
    page.goto(server.url + "/agreements?lang=en")
    wait_until_idle(page)
    expect(page.get_by_text("Agreements in force")).to_be_visible(timeout=SLOW)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)

    search = page.get_by_label("Search agreements", exact=True)
    search.fill("AGR-SEED")
    search.press("Enter")
    page.wait_for_url(re.compile(r"agreements_q=AGR-SEED"), timeout=SLOW)
    wait_until_idle(page)
    expect(page.get_by_text("Showing 4 of 4 matching agreements.", exact=False)).to_be_visible(timeout=SLOW)

    listing = page.locator('[data-testid="stDataFrame"]').last
    _click_first_row(page, listing)
    page.wait_for_url(re.compile(r"agreement=AGR-SEED-\d"), timeout=SLOW)
    wait_until_idle(page)
    opened = re.search(r"agreement=(AGR-SEED-\d)", page.url).group(1)
    heading = page.get_by_role("heading", name=f"Agreement {opened}")
    expect(heading).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name="Its data requests")).to_be_visible()

    # The link reproduces the detail in a fresh tab.
    other = page.context.new_page()
    other.on("request", lambda request: requests_seen.append(request.url))
    other.goto(page.url)
    wait_until_idle(other)
    expect(other.get_by_role("heading", name=f"Agreement {opened}")).to_be_visible(timeout=SLOW)
    other.close()

    page.get_by_role("button", name="Close the detail").click()
    wait_until_idle(page)
    expect(heading).to_have_count(0, timeout=SLOW)
    assert "agreement=" not in page.url

    assert requests_seen, "the request recorder saw nothing"
    assert external(requests_seen) == []


def test_clicking_a_research_area_narrows_the_list(server, page: Page, requests_seen):  # noqa: F811
    page.goto(server.url + "/agreements?lang=en&agreements_scope=all")
    wait_until_idle(page)
    area_chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    area_chart.scroll_into_view_if_needed()
    area_chart.locator(".bars path").first.click(force=True)  # the largest area: bars are sorted
    page.wait_for_url(re.compile(r"agreements_area=[a-z_]+"), timeout=SLOW)
    wait_until_idle(page)
    expect(page.get_by_text("Narrowed to your selection")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Clear selection").click()
    wait_until_idle(page)
    expect(page.get_by_text("Narrowed to your selection")).to_have_count(0, timeout=SLOW)
    assert "agreements_area" not in page.url
    assert external(requests_seen) == []


def test_institutions_row_click_opens_a_profile(server, page: Page, requests_seen):  # noqa: F811
    page.goto(server.url + "/institutions?lang=en")
    wait_until_idle(page)
    expect(page.get_by_text("Active hospitals")).to_be_visible(timeout=SLOW)
    league = page.locator('[data-testid="stDataFrame"]').last
    _click_first_row(page, league)
    page.wait_for_url(re.compile(r"institution=[A-Za-z0-9_-]+"), timeout=SLOW)
    wait_until_idle(page)
    expect(page.get_by_role("heading", name=re.compile("^Profile: "))).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name="Activity by month")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert external(requests_seen) == []
