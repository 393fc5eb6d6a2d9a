"""Cross-filtering in a real Chromium: click a bar or a point, see the page narrow and the choice
shown, clear it with one click; on the data-access, safe-centre and consulting pages, with no
request leaving the machine."""

import re

import pytest
from helpers import external, wait_until_idle
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Generous: the machine running the suite may be shared, and a rerun of a page with six charts
# can take a while there. Every wait still ends as soon as its condition holds.
SLOW = 90_000



def settle(page: Page) -> None:
    """Wait until the script has run and every chart is drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=SLOW)
    charts = "document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')"
    wait_until_idle(page, SLOW, also=f"{charts}.length > 0 && [...{charts}].every(c => c.querySelector('.main-svg'))")


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    settle(page)


def chart(page: Page, name: str):
    """The selectable chart of a panel, by the start of its widget key (see ui/selection.py)."""
    return page.locator(f'[class*="st-key-xf_{name}_"]')


def click_and_wait(page: Page, target, url_pattern: str) -> None:
    target.click(force=True)  # plotly's drag layer lies over the marks and takes the click
    page.wait_for_url(re.compile(url_pattern), timeout=SLOW)
    settle(page)


def clear_and_wait(page: Page, chip, param: str) -> None:
    chip.click()
    page.wait_for_url(lambda url: param not in url, timeout=SLOW)
    expect(chip).to_have_count(0, timeout=SLOW)
    settle(page)


def first_metric(page: Page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def test_cross_filter_on_each_page_shows_and_clears(server, page: Page, requests_seen):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_page(page, server.url)  # the app lists its pages on its first run

    # Data access: a data-type bar narrows the KPIs and the other charts
    open_page(page, server.url + "/access")
    everything = first_metric(page)
    bar = chart(page, "access_lead_by_data_type").locator("g.trace.bars g.point path").first
    click_and_wait(page, bar, r"access_type=\w+")
    chip = page.get_by_role("button", name=re.compile("자료 유형"))
    expect(chip).to_be_visible()
    expect(page.get_by_text("교차 필터")).to_be_visible()
    assert first_metric(page) != everything
    clear_and_wait(page, chip, "access_type")
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(everything, timeout=SLOW)

    # A copied link reproduces a selection
    click_and_wait(page, chart(page, "access_lead_by_access_mode").locator("g.trace.bars g.point path").first,
                   r"access_mode=\w+")
    narrowed, link = first_metric(page), page.url
    other = page.context.new_page()
    other.on("request", lambda request: requests_seen.append(request.url))
    other.set_viewport_size({"width": 1400, "height": 1000})
    open_page(other, link)
    expect(other.get_by_role("button", name=re.compile("이용 방식"))).to_be_visible(timeout=SLOW)
    expect(other.locator('[data-testid="stMetricValue"]').first).to_have_text(narrowed, timeout=SLOW)
    other.close()

    # Safe centres: a point on a centre's line
    open_page(page, server.url + "/centres")
    point = chart(page, "centres_usage").locator("g.trace.scatter path.point").first
    click_and_wait(page, point, r"centres_centre=[\w-]+")
    chip = page.get_by_role("button", name=re.compile("센터:"))
    expect(chip).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').nth(3)).to_have_text("1")  # one centre reporting
    clear_and_wait(page, chip, "centres_centre")

    # Consulting: a topic bar
    open_page(page, server.url + "/consulting")
    everything = first_metric(page)
    bar = chart(page, "consulting_by_topic").locator("g.trace.bars g.point path").first
    click_and_wait(page, bar, r"consulting_topic=\w+")
    chip = page.get_by_role("button", name=re.compile("주제"))
    expect(chip).to_be_visible()
    assert first_metric(page) != everything
    expect(page.get_by_test_id("stAlertContentInfo").get_by_text("인과관계가 아닙니다")).to_be_visible()
    clear_and_wait(page, chip, "consulting_topic")
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(everything, timeout=SLOW)

    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert requests_seen, "the request recorder saw nothing"
    assert external(requests_seen) == []
