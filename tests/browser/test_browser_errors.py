"""No traceback reaches a browser (issue 15): an error in a page shows a short message; the
details, with their server paths and code, go to the server log only. And an empty start in a
real browser: with no database, the viewer's first screen is a short "no data yet"."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from playwright.sync_api import Page

from conftest import start_server
from helpers import wait_until_idle

pytestmark = pytest.mark.browser

LEAKS = ("Traceback", "File \"", ".py", "/work", "site-packages", "CatalogException", "duckdb", "consultations")


def test_an_error_on_a_page_shows_no_path_or_code(page: Page, demo_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    shutil.copy(demo_db, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("drop table consultations")  # the consulting page's queries now fail
    log = tmp_path / "streamlit.log"
    server = start_server(broken, log)
    try:
        page.goto(server.url + "/?lang=en")
        wait_until_idle(page)
        page.goto(server.url + "/consulting?lang=en")
        wait_until_idle(page)
        page.locator('[data-testid="stException"]').first.wait_for(timeout=30_000)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert [leak for leak in LEAKS if leak in shown] == [], shown[:2000]
        server.stop()
        assert "consultations" in log.read_text()  # the details went to the server log
    finally:
        server.stop()


def test_an_empty_start_shows_a_viewer_no_data_yet(page: Page, tmp_path):
    server = start_server(tmp_path / "absent.duckdb", tmp_path / "streamlit.log", {"OVERSIGHT_LOCAL_DATA_MANAGER": ""})
    try:
        page.goto(server.url + "/?lang=en")
        wait_until_idle(page)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert "No data has been loaded yet" in shown
        assert [leak for leak in LEAKS if leak in shown] == [], shown
    finally:
        server.stop()
