"""KWCAG 2.2 / WCAG 2.1 AA in a real Chromium (docs/accessibility.md): axe-core over every page,
both languages, drilled-in views, presentation mode and the Data page; the keyboard alone; 200 %
zoom. axe-core comes from its Python package (axe_playwright_python/axe.min.js): no network.

Serious and critical violations fail the test; moderate and minor ones are printed and written
to test-results/axe.json, so docs/accessibility.md can list them.
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, start_server
from helpers import NAV_LINKS, external, wait_until_idle
from playwright.sync_api import Page, expect

from oversight.pages import PAGES

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
RESULTS = ROOT / "test-results" / "axe.json"


@pytest.fixture(scope="module")
def manager_server(demo_db, tmp_path_factory):
    """A server on which this machine's user is a data manager, so the Data page is listed too."""
    server = start_server(demo_db, tmp_path_factory.mktemp("a11y") / "streamlit.log",
                          {"OVERSIGHT_LOCAL_DATA_MANAGER": "1"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def drilled(demo_db) -> list[str]:
    """Views one click deep: a hospital's quality, a region's districts, a profile, an agreement."""
    con = duckdb.connect()
    con.execute("attach ? as d (read_only)", [str(demo_db)])
    hospital = con.execute("select institution_id from d.quality_summary order by 1 limit 1").fetchone()[0]
    institution = con.execute("select institution_id from d.institutions order by 1 limit 1").fetchone()[0]
    agreement = con.execute("select agreement_id from d.agreements order by 1 limit 1").fetchone()[0]
    return [f"/quality?hospital={hospital}", "/regions?region=11", f"/institutions?institution={institution}",
            f"/agreements?agreement={agreement}"]


def path(page) -> str:
    """A page's URL path: the default page lives at "/"."""
    return "" if page.default else page.slug


def open_and_settle(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_idle(page)
    page.wait_for_timeout(800)  # charts and maps finish drawing after the script run


def open_every_table(page: Page) -> None:
    """Open every "show data" expander, so the tables are checked too."""
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        if summary.is_visible() and summary.get_attribute("aria-expanded") != "true":
            summary.click()
    wait_until_idle(page)


def test_no_serious_or_critical_axe_violation_anywhere(manager_server, page: Page, requests_seen, drilled):
    axe = Axe()
    targets = [f"/{path(p)}?lang={lang}" for p in PAGES for lang in ("ko", "en")]
    targets += [f"{url}&lang=en" for url in drilled] + drilled + ["/?present=1", "/?present=1&slide=3&lang=en"]
    open_and_settle(page, manager_server.url)  # a fresh server's first request must reach app.py
    blocking, other, scanned = [], {}, []
    for target in targets:
        open_and_settle(page, manager_server.url + target)
        if "present=1" not in target:
            open_every_table(page)
        scanned.append(target)
        for violation in axe.run(page).response["violations"]:
            nodes = [" ".join(node["target"]) for node in violation["nodes"]]
            entry = {"page": target, "rule": violation["id"], "impact": violation["impact"],
                     "help": violation["help"], "nodes": nodes[:5], "count": len(nodes)}
            if violation["impact"] in BLOCKING:
                blocking.append(entry)
            else:
                other.setdefault(violation["id"], []).append(entry)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"scanned": scanned, "blocking": blocking, "other": other},
                                  ensure_ascii=False, indent=1))
    for rule, entries in other.items():  # listed, not failed: docs/accessibility.md says why each stays
        print(f"axe {entries[0]['impact']}: {rule} on {len(entries)} page(s), e.g. {entries[0]['nodes'][:2]}")
    assert len(scanned) == len(targets)
    assert not blocking, json.dumps(blocking, ensure_ascii=False, indent=1)
    assert external(requests_seen) == []


def focused(page: Page) -> dict:
    """What has the keyboard focus, and whether it shows: an outline or a ring of box-shadow."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return {tag: 'body', role: '', text: '', href: '', testid: '', widget: '', visible_focus: true};
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || (style.boxShadow && style.boxShadow !== 'none');
        const owner = el.closest('[data-testid]');
        const container = el.closest('[data-testid="stElementContainer"]');
        const widget = container && container.querySelector('[data-testid]');
        return {
            tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '',
            text: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 80),
            href: el.getAttribute('href') || '', testid: owner ? owner.getAttribute('data-testid') : '',
            widget: widget ? widget.getAttribute('data-testid') : '',
            // Selects and inputs show focus on their frame; the data grid draws its focused cell's
            // frame on its canvas (seen in a screenshot: docs/accessibility.md), not on the cell.
            visible_focus: ring || !!el.closest('[data-baseweb="select"], [data-baseweb="input"], [data-testid="stDataFrame"]')
        };
    }""")


def tab_through(page: Page, limit: int = 400) -> list[dict]:
    """Every stop of the Tab key from the top of a freshly opened page, once round."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


def test_the_keyboard_alone_reaches_everything_with_focus_visible(server, page: Page, requests_seen):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_and_settle(page, server.url)  # a fresh server's first request must reach app.py
    open_and_settle(page, server.url + "/consulting")
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    stops = tab_through(page)
    texts = [s["text"] for s in stops]
    assert stops[0]["text"] == "본문 바로가기", stops[:3]  # the first stop skips the sidebar
    viewer_pages = [p for p in PAGES if p.role.name == "VIEWER"]
    reached_pages = {s["href"].split("?")[0].rsplit("/", 1)[-1] for s in stops if s["testid"] == "stPageLink-NavLink"}
    assert {p.slug for p in viewer_pages} - {"overview"} <= reached_pages, reached_pages
    assert any(s["testid"] == "stRadioOption" for s in stops), texts  # the language switch
    filters = {s["text"] for s in stops if s["widget"] in ("stDateInput", "stMultiSelect")}
    assert {"지역", "기관 유형", "기업 분야", "연구 분야"} <= filters, filters  # the code filters
    assert any(s["widget"] == "stDateInput" for s in stops), texts  # and the period
    tables = [s for s in stops if s["tag"] == "summary"]
    charts_shown = page.locator('[data-testid="stPlotlyChart"]').count()
    assert len(tables) >= charts_shown, (len(tables), charts_shown)  # every chart's table alternative
    downloads = [s for s in stops if s["widget"] == "stDownloadButton"]
    assert len(downloads) == page.locator('[data-testid="stDownloadButton"]').count() >= 1
    hidden_focus = [s for s in stops if not s["visible_focus"]]
    assert not hidden_focus, hidden_focus

    # The skip link jumps past the sidebar to the title.
    open_and_settle(page, server.url + "/consulting")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["testid"] not in ("stPageLink-NavLink", "stSidebar"), focused(page)

    # Enter on a table alternative opens it; Enter on the language radio switches the page's lang.
    summary = page.locator('[data-testid="stExpander"] summary').first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first).to_be_visible()
    page.get_by_role("radio", name="한국어").focus()
    page.keyboard.press("ArrowRight")  # a radio group moves by arrows
    wait_until_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=20_000)
    expect(page.get_by_role("heading", name="Consulting", level=1)).to_be_visible()

    # A page opened from its menu link by the keyboard keeps the view's language.
    link = page.locator(NAV_LINKS, has_text="Regions")
    link.focus()
    page.keyboard.press("Enter")
    wait_until_idle(page)
    expect(page).to_have_url(re.compile(r"/regions\?.*lang=en"), timeout=20_000)
    # The map's keyboard alternative: the region selector and the table beside it.
    region = page.locator('[data-testid="stSelectbox"]').filter(has_text="Region")
    expect(region).to_be_visible()
    region.locator("input").focus()
    assert focused(page)["visible_focus"]
    page.keyboard.type("Seoul")
    page.keyboard.press("Enter")  # what a click on Seoul on the map does
    wait_until_idle(page)
    expect(page).to_have_url(re.compile(r"region=11"), timeout=20_000)
    expect(page.get_by_role("heading", name=re.compile("Seoul"), level=3).first).to_be_visible()
    assert external(requests_seen) == []


# What sticks out of a narrow window: a scroll container wider than its box (the page scrolls
# inside Streamlit's main area, not the document), or an element past the window's edge.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const box of [document.documentElement, document.querySelector('[data-testid="stMain"]'),
                       document.querySelector('[data-testid="stMainBlockContainer"]')]) {
        if (box && box.scrollWidth > box.clientWidth + 1) out.push('scrolls sideways: ' + (box.getAttribute('data-testid') || 'page') + ' ' + box.scrollWidth + ' > ' + box.clientWidth);
    }
    const main = document.querySelector('[data-testid="stMain"]');
    const shown = '[data-testid="stHeading"], [data-testid="stMarkdown"], [data-testid="stCaptionContainer"], [data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stExpander"], [data-testid="stAlert"], [data-testid="stSelectbox"], [data-testid="stTabs"], [data-testid="stDeckGlJsonChart"]';
    for (const el of main.querySelectorAll(shown)) {
        if (el.closest('[data-testid="stDataFrame"]')) continue;  // data tables may scroll inside
        const box = el.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 1 || box.left < -1)) out.push(el.getAttribute('data-testid') + ' ' + (el.innerText || '').slice(0, 40) + ' right=' + Math.round(box.right));
    }
    return out;
}"""


def test_at_200_percent_zoom_nothing_is_cut_off_or_scrolls_sideways(server, page: Page):
    """A 640-pixel-wide window is a 1280-pixel screen at 200 %: the page scrolls down only; data
    tables may scroll inside themselves."""
    page.set_viewport_size({"width": 640, "height": 900})
    open_and_settle(page, server.url)
    problems = {}
    for p in PAGES:
        if p.role.name != "VIEWER":
            continue
        open_and_settle(page, f"{server.url}/{path(p)}")
        found = page.evaluate(OVERFLOW)
        if found:
            problems[p.slug] = found[:5]
    assert not problems, problems
