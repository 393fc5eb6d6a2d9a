"""The Regions page in a real Chromium: the deck.gl map draws all 17 regions in the colours of the
chosen metric, its dots and district drill-down work, it renders fast, and nothing leaves
127.0.0.1 (Streamlit's pydeck chart would fetch a Carto basemap unless told otherwise)."""

from __future__ import annotations

import io
import json
import math
import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ROOT, start_server
from helpers import external, wait_until_idle
from playwright.sync_api import Page, expect

from oversight import db, geo, queries, settings
from oversight.charts import regions as rc
from oversight.filters import default_filters
from oversight.views import regions as rv
from oversight.views.localise import localise

pytestmark = pytest.mark.browser

MAP = '[data-testid="stDeckGlJsonChart"]'
RENDER_BUDGET_SECONDS = 3.0



def open_regions(page: Page, base: str, query: str = "") -> None:
    # The server's first request must reach app.py (st.navigation), not a page file alone.
    page.goto(base)
    wait_until_idle(page)
    page.goto(f"{base}/regions{query}")
    wait_until_idle(page)
    page.wait_for_selector(f"{MAP} canvas", timeout=60_000)


def expected_map(db_path: Path, lang: str = "ko", region: str | None = None, metric: str = "institutions"):
    """What the page draws by default, built from the same view: (deck, view)."""
    runner = queries.DatabaseRunner(db.read_only(db_path))
    data_date = runner.run("dataset_info", {}).row(0, named=True)["data_date"]
    view = localise(rv.build(runner, default_filters(data_date), metric=metric, region=region), lang)
    if region is None:
        deck, _ = rc.national_map(view.panel("regions.table"), None, rv.value_column(metric, True), lang)
    else:
        deck, _ = rc.district_map(view.panel("regions.districts"), None, region, metric, lang)
    return deck, view


def to_pixel(deck, box: dict, lat: float, lon: float) -> tuple[float, float]:
    """Where deck.gl's Web Mercator view (512-pixel world at zoom 0) draws a coordinate."""
    state = deck.initial_view_state
    scale = 512 * 2 ** state.zoom

    def mercator_y(latitude: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) / (2 * math.pi)

    x = box["width"] / 2 + (lon - state.longitude) / 360 * scale
    y = box["height"] / 2 - (mercator_y(lat) - mercator_y(state.latitude)) * scale
    return box["x"] + x, box["y"] + y


def tooltip_at(page: Page, x: float, y: float) -> str | None:
    page.mouse.move(x, y)
    tip = page.locator(".deck-tooltip")
    try:
        expect(tip).to_be_visible(timeout=3_000)
    except AssertionError:
        return None
    return tip.inner_text()


def inside_point(area: geo.Area) -> tuple[float, float]:
    """(latitude, longitude) of a point well inside the area, away from its drawn border."""
    inner = area.geometry.buffer(-0.02)
    point = (inner if inner.area else area.geometry).representative_point()
    return point.y, point.x


FIND_DECK = """() => {
    // The deck.gl instance behind Streamlit's chart, found through React's fiber of its canvas.
    const canvas = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
    let fiber = canvas[Object.keys(canvas).find(k => k.startsWith('__reactFiber'))];
    for (; fiber; fiber = fiber.return) {
        for (let hook = fiber.memoizedState; hook; hook = hook.next) {
            const value = hook.memoizedState && (hook.memoizedState.current || hook.memoizedState);
            if (value && value.layerManager) return value;
            if (value && value.deck && value.deck.layerManager) return value.deck;
        }
    }
    return null;
}"""


def click_map(page: Page, x: float, y: float, box: dict, wanted_url: str) -> None:
    """Click the map at (x, y). A real click first; deck.gl recognises a click only when the
    button comes up within 250 ms, and under software WebGL (no GPU, a loaded machine) its
    picking on the button going down can take longer. Then the click is completed as deck.gl
    would: the object picked at that pixel, handed to the chart's click handler."""
    page.mouse.click(x, y)
    try:
        page.wait_for_url(wanted_url, timeout=5_000)
        return
    except Exception:
        pass
    handled = page.evaluate(
        "([x, y, find]) => { const deck = eval(find)(); const info = deck.pickObject({x, y});"
        " if (!info) return false; deck.props.onClick(info, {}); return true; }",
        [x - box["x"], y - box["y"], FIND_DECK],
    )
    assert handled, "nothing on the map at the clicked point"
    page.wait_for_url(wanted_url, timeout=30_000)


def show_institutions(page: Page, on: bool) -> None:
    toggle = page.locator('[data-testid="stCheckbox"]').filter(has_text="기관 위치 표시")
    if toggle.locator("input").is_checked() != on:
        toggle.locator("label").click()
        wait_until_idle(page)
        page.wait_for_selector(f"{MAP} canvas", timeout=60_000)


def map_pixels(page: Page):
    from PIL import Image

    box = page.locator(MAP).bounding_box()
    return Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB"), box


def blended(fill) -> tuple[int, ...]:
    alpha = fill[3] / 255
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in fill[:3])


def close(a, b, tolerance: int = 14) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def test_the_map_draws_all_17_regions_in_the_metric_colours(server, page: Page, requests_seen):
    open_regions(page, server.url)
    show_institutions(page, False)
    deck, _ = expected_map(server.db_path)
    fills = {f["properties"]["code"]: f["properties"]["fill"] for f in deck.layers[0].data["features"]}
    page.locator(MAP).scroll_into_view_if_needed()
    time.sleep(1)
    image, box = map_pixels(page)
    named = []
    for area in geo.regions():
        lat, lon = inside_point(area)
        x, y = to_pixel(deck, box, lat, lon)
        pixel = image.getpixel((round(x - box["x"]), round(y - box["y"])))
        assert close(pixel, blended(fills[area.code])), (area.code, pixel, fills[area.code])
        tip = tooltip_at(page, x, y)
        assert tip is not None, area.code
        named.append(tip.splitlines()[0])
    assert named == [area.name_ko for area in geo.regions()]  # each of the 17 answers to its name
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    assert external(requests_seen) == []


def test_dots_and_the_district_drill_down(server, page: Page, requests_seen):
    open_regions(page, server.url)
    show_institutions(page, True)
    deck, view = expected_map(server.db_path)
    page.locator(MAP).scroll_into_view_if_needed()
    time.sleep(1)
    box = page.locator(MAP).bounding_box()

    # An institution's dot answers with its name (one far enough from the others to be hit alone).
    dots = view.panel("regions.institutions").frame.filter(
        view.panel("regions.institutions").frame["latitude"].is_not_null()
    )
    positions = [(row, to_pixel(deck, box, row["latitude"], row["longitude"])) for row in dots.iter_rows(named=True)]
    alone = next(
        (row, xy) for row, xy in positions
        if all(math.dist(xy, other) > 24 for r, other in positions if r is not row)
    )
    row, (x, y) = alone
    assert tooltip_at(page, x, y).splitlines()[0] == row["name"]

    # A click on Gyeonggi (in Gapyeong, far from the demo's institutions) opens its districts
    # and keeps the region in the URL.
    gapyeong = next(a for a in geo.districts_in("41") if a.code == "41820")
    x, y = to_pixel(deck, box, *inside_point(gapyeong))
    assert tooltip_at(page, x, y).splitlines()[0] == "경기도"
    click_map(page, x, y, box, "**region=41**")
    wait_until_idle(page)
    expect(page.get_by_text("경기도 시군구 지도")).to_be_visible(timeout=30_000)
    page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
    show_institutions(page, False)
    district_deck, _ = expected_map(server.db_path, region="41")
    page.locator(MAP).scroll_into_view_if_needed()
    time.sleep(1)
    box = page.locator(MAP).bounding_box()
    for code, name in (("41590", "화성시"), ("41820", "가평군"), ("41220", "평택시")):
        area = next(a for a in geo.districts_in("41") if a.code == code)
        lat, lon = inside_point(area)
        assert tooltip_at(page, *to_pixel(district_deck, box, lat, lon)).splitlines()[0] == name

    # Back to the whole country.
    page.get_by_role("button", name="전국 지도로").click()
    wait_until_idle(page)
    expect(page.get_by_text("지역별 현황 지도")).to_be_visible(timeout=30_000)
    assert "region" not in parse_qs(urlparse(page.url).query)
    assert external(requests_seen) == []


def test_a_shared_link_opens_a_region_in_english(server, page: Page, requests_seen):
    open_regions(page, server.url, "?region=45&lang=en")  # Jeonbuk's legacy code
    expect(page.get_by_text("Jeonbuk: districts")).to_be_visible(timeout=30_000)
    page.wait_for_url("**region=52**", timeout=10_000)
    deck, _ = expected_map(server.db_path, lang="en", region="52")
    page.locator(MAP).scroll_into_view_if_needed()
    time.sleep(1)
    box = page.locator(MAP).bounding_box()
    jeonju = next(a for a in geo.districts_in("52") if a.code == "52111")
    tip = tooltip_at(page, *to_pixel(deck, box, *inside_point(jeonju)))
    assert tip is not None and tip.splitlines()[0] == "Jeonju-si Wansan-gu"
    assert external(requests_seen) == []


WATCH_RENDER = """
// Installed before the page loads: when the script run ends (data-test-script-state turns
// notRunning after running), and when deck.gl has drawn a frame with every layer loaded.
window.__script = {};
new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    if (state === 'running') window.__script.ran = true;
    if (state === 'notRunning' && window.__script.ran && !window.__script.finished
        && document.querySelector('[data-testid="stMetric"]')) window.__script.finished = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state'], childList: true});
const find = FIND;
(function watch() {
    const canvas = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
    const deck = canvas && find();
    if (deck && deck.layerManager && deck.layerManager.getLayers().length
        && deck.layerManager.getLayers().every(layer => layer.isLoaded)
        && deck.metrics && deck.metrics.framesRedrawn > 0 && !window.__script.drawn) {
        window.__script.drawn = performance.now();
    }
    if (!window.__script.drawn) requestAnimationFrame(watch);
})();
"""


def map_render_seconds(page: Page, base: str) -> float:
    """Seconds from the page's script finishing (data-test-script-state notRunning) to deck.gl
    having drawn the map with all its layers loaded, timed inside the page."""
    page.goto(f"{base}/regions")
    page.wait_for_function("() => window.__script && window.__script.finished && window.__script.drawn",
                           timeout=120_000)
    timing = page.evaluate("() => window.__script")
    image, box = map_pixels(page)
    deck = rc.deck([], rc.view_for(geo.bounds(geo.regions())))
    seoul = next(a for a in geo.regions() if a.code == "11")
    x, y = to_pixel(deck, box, *inside_point(seoul))
    assert not close(image.getpixel((round(x - box["x"]), round(y - box["y"]))), (255, 255, 255), 6)
    return max(timing["drawn"] - timing["finished"], 0.0) / 1000


@pytest.fixture(scope="module")
def bench_server(tmp_path_factory):
    """A server over the database to time (the large demo data), named by
    OVERSIGHT_REGIONS_BENCH_DB: timings on a shared machine are a benchmark, not a unit test."""
    path = settings.REGIONS_BENCH_DB.value()
    if not path:
        pytest.skip("set OVERSIGHT_REGIONS_BENCH_DB to a database (e.g. the large demo data) to time the map")
    srv = start_server(Path(path), tmp_path_factory.mktemp("bench") / "streamlit.log")
    yield srv
    srv.stop()


def test_the_map_draws_and_its_render_time_is_recorded(bench_server, page: Page, requests_seen):
    """The map is drawn after each visit; how long that takes (target 3 s over the large data) is
    a benchmark figure, recorded here, not asserted: timed tests flake on a shared machine."""
    page.set_viewport_size({"width": 1500, "height": 1700})  # the map in view without scrolling
    page.add_init_script(WATCH_RENDER.replace("FIND", FIND_DECK))
    page.goto(bench_server.url)  # the server's first page must be app.py's
    wait_until_idle(page)
    cold = map_render_seconds(page, bench_server.url)  # the first visit loads deck.gl's code
    times = sorted(map_render_seconds(page, bench_server.url) for _ in range(5))
    print(f"map drawn {cold:.2f} s (first visit), then {[round(t, 2) for t in times]} s after the script "
          f"finished ({bench_server.db_path}, load average {os.getloadavg()[0]:.1f})")
    (ROOT / "test-results").mkdir(exist_ok=True)
    (ROOT / "test-results" / "map_render.json").write_text(json.dumps(
        {"first_visit_s": round(cold, 2), "median_s": round(times[2], 2), "budget_s": RENDER_BUDGET_SECONDS,
         "database": str(bench_server.db_path), "load_average": os.getloadavg()[0]}
    ))
    assert len(times) == 5  # each visit drew the map (map_render_seconds waits for the drawing)
    assert external(requests_seen) == []
