"""The tables' toolbar in a real Chromium: it searches and goes full screen, but has no CSV
download, so a page's table leaves only through the suppressed exports."""

import helpers
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SLOW = 90_000  # ms: the agreements page reruns with a 1,000-row table on a shared machine


def test_the_table_toolbar_offers_search_but_no_download(server, page: Page):
    page.goto(server.url + "/agreements?lang=en")
    helpers.wait_until_idle(page, timeout=SLOW)
    table = page.locator('[data-testid="stDataFrame"]').last
    table.scroll_into_view_if_needed()
    table.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').last
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible(timeout=SLOW)
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
