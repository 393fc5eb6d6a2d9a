"""Exports in a real Chromium: the Excel download from the Overview read back, and the
presentation mode stepping through charts with Previous and Next; nothing leaves the machine."""

import re

import openpyxl
import pytest
from helpers import external, wait_until_idle
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_overview_downloads_its_excel_with_the_pages_figures(server, page: Page, requests_seen, tmp_path):  # noqa: F811
    page.goto(server.url)
    wait_until_idle(page)
    expect(page.locator(".main-svg").first).to_be_visible(timeout=30_000)
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics).to_have_count(6)
    shown = {}
    for i in range(6):
        label = metrics.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip()
        shown[label] = metrics.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip()

    button = page.get_by_role("button", name="이 페이지 엑셀")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename.startswith("oversight-overview-")
    assert download.value.suggested_filename.endswith("-ko.xlsx")
    path = tmp_path / "overview.xlsx"
    download.value.save_as(path)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["About", "Overview"]
    rows = {row[0]: row[1] for row in book["Overview"].iter_rows(values_only=True) if row[0] in shown}
    assert set(rows) == set(shown)
    for label, value in rows.items():
        if isinstance(value, int) or (isinstance(value, float) and label != "네트워크 데이터 품질"):
            assert int(re.sub(r"[^0-9]", "", shown[label])) == round(value), label
        elif label == "네트워크 데이터 품질":
            assert shown[label] == f"{value:.1%}"
        else:
            assert value == "<5"  # the page shows the count to its user; the file hides it
    for row in book["Overview"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert external(requests_seen) == []


def test_presentation_mode_hides_the_sidebar_and_steps_through_the_charts(server, page: Page, requests_seen):  # noqa: F811
    page.goto(server.url + "/?lang=en")
    wait_until_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_be_visible()
    page.get_by_text("Presentation mode", exact=True).click()
    wait_until_idle(page)
    page.wait_for_url(re.compile(r".*present=1.*"), timeout=20_000)
    expect(sidebar).to_be_hidden()
    expect(page.locator('[data-testid="stHeader"]')).to_be_hidden()
    # the meeting's slides first: the key messages, then a key finding over its chart
    expect(page.get_by_role("heading", name="Key messages")).to_be_visible(timeout=20_000)

    next_button = page.get_by_role("button", name="Next")
    previous_button = page.get_by_role("button", name="Previous")
    expect(previous_button).to_be_disabled()
    next_button.click()
    wait_until_idle(page)
    page.wait_for_url(re.compile(r".*slide=2.*"), timeout=10_000)
    chart = page.locator(".main-svg").first
    expect(chart).to_be_visible(timeout=30_000)
    assert chart.bounding_box()["height"] >= 550, "the chart fills the screen"

    previous_button.click()
    wait_until_idle(page)
    expect(page.get_by_role("heading", name="Key messages")).to_be_visible(timeout=20_000)

    # the link opens the same slide elsewhere; the pages' slides follow the meeting's
    shared = page.url
    other = page.context.new_page()
    other.on("request", lambda request: requests_seen.append(request.url))
    other.goto(shared)
    wait_until_idle(other)
    expect(other.get_by_role("heading", name="Key messages")).to_be_visible(timeout=20_000)
    expect(other.locator('[data-testid="stSidebar"]')).to_be_hidden()
    # Step on until the Overview's KPIs, which follow the meeting slides. Each step waits for the
    # next slide's title, since the click's rerun may still be drawing when the page looks idle.
    title = other.locator("h1").first
    for step in range(2, 40):
        if title.inner_text() == "Overview: key figures":
            break
        shown = title.inner_text()
        assert other.get_by_role("button", name="Next").is_enabled(), "the Overview's KPIs follow the meeting slides"
        other.get_by_role("button", name="Next").click()
        other.wait_for_url(re.compile(rf".*slide={step}(&|$).*"), timeout=20_000)
        expect(title).not_to_have_text(shown, timeout=20_000)
        wait_until_idle(other)
    expect(other.get_by_role("heading", name="Overview: key figures")).to_be_visible()
    # Figures are enlarged for a room: 50 px or more. Polled, since a rerun may swap the element out.
    expect(other.locator('[data-testid="stMetricValue"] p').first).to_have_css(
        "font-size", re.compile(r"^([5-9]\d|\d{3,})(\.\d+)?px$"), timeout=20_000)
    other.get_by_role("button", name="Next").click()
    wait_until_idle(other)
    expect(other.get_by_role("heading", name="What changed since the previous period")).to_be_visible(timeout=20_000)

    page.get_by_role("button", name="Exit presentation").click()
    wait_until_idle(page)
    expect(sidebar).to_be_visible(timeout=20_000)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(6)
    assert "present=" not in page.url
    assert external(requests_seen) == []
