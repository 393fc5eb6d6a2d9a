"""The data quality page in a real Chromium: pick a hospital, read what changed, click the heatmap;
no request leaves the machine."""

import re

import polars as pl
import pytest
from helpers import external, wait_until_idle
from playwright.sync_api import Page, expect

from oversight import db, queries
from oversight.views import quality

pytestmark = pytest.mark.browser

# The centre of heatmap cell (row, column) in page coordinates, from plotly's own axes.
CELL_CENTRE = """([row, column]) => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    const box = plot.getBoundingClientRect(), layout = plot._fullLayout;
    return [box.left + layout._size.l + layout.xaxis.l2p(column), box.top + layout._size.t + layout.yaxis.l2p(row)];
}"""


@pytest.fixture(scope="module")
def expected(demo_db):
    runner = queries.DatabaseRunner(db.read_only(demo_db))
    data_date = runner.run("dataset_info", {})["data_date"][0]
    overall = runner.run("quality_latest_scores", {"date_to": data_date, "regions": []}).filter(
        pl.col("dimension") == "overall"
    )
    hospital = overall.filter(pl.col("previous_assessed_on").is_not_null()).sort("institution_id").row(0, named=True)
    changes = runner.run("quality_check_changes", {
        "institution_id": hospital["institution_id"], "assessed_on": hospital["assessed_on"],
        "previous_assessed_on": hospital["previous_assessed_on"],
    })
    lowest = overall.sort("score", "institution_id").row(0, named=True)  # the heatmap's first row
    return {
        "id": hospital["institution_id"],
        "name": hospital["name_ko"] or hospital["name_en"],
        "counts": {c: int((changes["change"] == c).sum()) for c in quality.CHANGES},
        "lowest": lowest["institution_id"],
    }


def open_quality(page: Page, server) -> None:
    # A fresh server serves its first request from pages/ alone until app.py has run once.
    page.goto(server.url)
    wait_until_idle(page)
    page.goto(server.url + "/quality")
    wait_until_idle(page)
    expect(page.locator(".main-svg").first).to_be_visible(timeout=30_000)


def metric(page: Page, label: str):
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return card.locator('[data-testid="stMetricValue"]')


def test_pick_a_hospital_and_see_what_changed(server, page: Page, requests_seen, expected):  # noqa: F811
    open_quality(page, server)
    expect(page.get_by_text("네트워크 품질 점수").first).to_be_visible()

    select = page.locator('[data-testid="stSelectbox"]').filter(has_text="병원").first
    select.click()
    page.keyboard.type(expected["name"])
    page.get_by_role("option", name=expected["name"]).first.click()
    wait_until_idle(page)
    expect(page).to_have_url(re.compile(rf"hospital={re.escape(expected['id'])}"), timeout=20_000)

    counts = expected["counts"]
    expect(metric(page, "신규 실패 검사")).to_have_text(f"{counts['new']:,}", timeout=20_000)
    expect(metric(page, "해소된 실패 검사")).to_have_text(f"{counts['resolved']:,}")
    expect(metric(page, "지속 실패 검사")).to_have_text(f"{counts['persisting']:,}")
    expect(page.get_by_role("tab", name=f"신규 실패 검사 ({counts['new']:,})")).to_be_visible()

    page.get_by_role("button", name="네트워크 전체 보기").click()
    wait_until_idle(page)
    expect(page.get_by_text("네트워크 품질 점수").first).to_be_visible(timeout=20_000)
    assert "hospital=" not in page.url

    assert requests_seen, "the request recorder saw nothing"
    assert external(requests_seen) == []


def test_clicking_a_heatmap_cell_opens_that_hospital(server, page: Page, requests_seen, expected):  # noqa: F811
    open_quality(page, server)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    wait_until_idle(page)
    # Plotly reports a click on the point it last hovered: hover until its label shows, then click.
    hover = chart.locator(".hoverlayer .hovertext")
    for _ in range(5):
        x, y = page.evaluate(CELL_CENTRE, [0, 0])  # the lowest-scoring hospital, overall score
        page.mouse.move(x - 3, y)
        page.mouse.move(x, y)
        if hover.count():
            break
        page.wait_for_timeout(1_000)
    expect(hover.first).to_contain_text("%")
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(rf"hospital={re.escape(expected['lowest'])}"), timeout=20_000)
    wait_until_idle(page)
    expect(metric(page, "전체 점수")).to_be_visible(timeout=20_000)
    assert external(requests_seen) == []
