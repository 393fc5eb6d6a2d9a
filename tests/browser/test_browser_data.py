"""The Data page in a real Chromium: real sign-in against a local OpenID Connect provider, who
may load, a workbook loaded through the page, and the dashboard serving through a large import.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from conftest import Server, free_port
from helpers import NAV_LINKS, external, wait_until_idle
from playwright.sync_api import BrowserContext, Page, expect

from oversight.demo import build_demo
from oversight.loader import template

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VIEWER = {"sub": "viewer", "email": "lee@mohw.example", "email_verified": True}
MANAGER = {"sub": "manager", "email": "kim@khis.example", "email_verified": True}
# The mock provider's own login page asks a CDN for its stylesheet; nothing of ours does.
PROVIDER_STYLESHEET = "cdn.jsdelivr.net"


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def start_app(db_path: Path, folder: Path, env: dict | None = None, args: tuple = (), port: int | None = None) -> Server:
    port = port or free_port()
    log = open(folder / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env={**os.environ, "OVERSIGHT_DB": str(db_path), **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/_stcore/health")
    except RuntimeError:
        process.kill()
        raise
    return Server(url, process, db_path)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "oidc-provider-mock"), "--port", str(port),
         "--user-claims", json.dumps(VIEWER), "--user-claims", json.dumps(MANAGER)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/.well-known/openid-configuration")
        yield url
    finally:
        stop(process)


def write_sign_in_files(folder: Path, port: int, provider: str) -> None:
    """secrets.toml with [auth] against the provider for a dashboard reached on `port`, and
    roles.toml naming the manager a data manager."""
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "oversight-tests"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    (folder / "roles.toml").write_text(f'[roles]\ndata_manager = ["{MANAGER["email"]}"]\n', encoding="utf-8")


@pytest.fixture(scope="module")
def signed_server(provider, demo_db, tmp_path_factory):
    """The dashboard with [auth] configured against the provider, and a roles file naming one
    data manager; on a copy of the demo database."""
    folder = tmp_path_factory.mktemp("signin")
    db_path = folder / "live.duckdb"
    shutil.copy(demo_db, db_path)
    port = free_port()
    write_sign_in_files(folder, port, provider)
    server = start_app(db_path, folder, env={"OVERSIGHT_ROLES": str(folder / "roles.toml")},
                       args=("--secrets.files", str(folder / "secrets.toml")), port=port)
    yield server
    stop(server.process)


def sign_in(page: Page, server: Server, sub: str) -> None:
    page.goto(server.url + "/?lang=ko")
    wait_until_idle(page)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's predefined user
    page.wait_for_url(server.url + "/**", timeout=30_000)
    wait_until_idle(page)


def nav_labels(page: Page) -> list[str]:
    return page.locator(NAV_LINKS).all_inner_texts()


@pytest.fixture(autouse=True)
def patient(context: BrowserContext):
    # The machine is shared: give a slow run time before calling it a failure.
    context.set_default_timeout(90_000)
    expect.set_options(timeout=60_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other test files


@pytest.fixture()
def recorded(context: BrowserContext):
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return seen


def test_a_signed_in_viewer_cannot_open_the_data_page(signed_server, page: Page, recorded):
    sign_in(page, signed_server, "viewer")
    expect(page.get_by_text("lee@mohw.example · 조회자")).to_be_visible()
    assert not any("데이터 적재" in label for label in nav_labels(page))
    page.goto(signed_server.url + "/data")
    wait_until_idle(page)
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    expect(page.get_by_role("heading", name="데이터 적재")).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert [u for u in external(recorded) if PROVIDER_STYLESHEET not in u] == []


def test_a_signed_in_data_manager_loads_a_workbook_through_the_page(signed_server, page: Page, recorded, tmp_path):
    sign_in(page, signed_server, "manager")
    expect(page.get_by_text("kim@khis.example · 자료 관리자")).to_be_visible()
    page.locator(NAV_LINKS, has_text="데이터 적재").click()
    wait_until_idle(page)
    expect(page.get_by_role("heading", name="데이터 적재")).to_be_visible()

    # A file with a mistake first: refused, its row and column named, nothing changes.
    before = signed_server.db_path.read_bytes()
    bad = tmp_path / "consultations.csv"
    bad.write_text("consultation_id,institution_id,held_on,topic,hours\nK-BAD,X-NOBODY,2026-01-01,party,1\n",
                   encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.get_by_text("이 배치는 적재할 수 없습니다")).to_be_visible(timeout=60_000)
    details = page.locator('[data-testid="stDataFrame"]').nth(2)
    expect(details).to_contain_text("topic")
    expect(details).to_contain_text("party")
    expect(page.get_by_role("button", name="이 배치 적재")).to_have_count(0)
    assert signed_server.db_path.read_bytes() == before
    page.reload()  # a new session: an empty uploader, still signed in
    wait_until_idle(page)

    workbook = tmp_path / "example.xlsx"
    workbook.write_bytes(template.template(example_rows=True))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(page.get_by_text("문제 없음")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="이 배치 적재").click()
    expect(page.get_by_text("적재 완료")).to_be_visible(timeout=120_000)
    wait_until_idle(page)
    page.get_by_role("tab", name="적재 이력").click()
    # The shown tab's table (role queries skip the hidden tabs, whose tables come later in the page).
    expect(page.get_by_role("tabpanel").locator('[data-testid="stDataFrame"]').last).to_contain_text(
        "kim@khis.example")
    con = duckdb.connect(":memory:")
    con.execute("attach ? as d (read_only)", [str(signed_server.db_path)])
    assert con.execute("select loaded_by from d.batches where source = 'import'").fetchall() == [("kim@khis.example",)]
    con.close()
    assert [u for u in external(recorded) if PROVIDER_STYLESHEET not in u] == []


def test_a_fresh_server_asked_for_the_data_page_first_shows_nothing(demo_db, tmp_path, page: Page):
    server = start_app(demo_db, tmp_path)  # no sign-in, no local setting
    try:
        page.goto(server.url + "/data")  # the very first request of this server
        wait_until_idle(page)
        expect(page.get_by_text("접근 권한이 필요합니다")).to_be_visible()
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    finally:
        stop(server.process)


@pytest.fixture()
def busy_server(tmp_path):
    """A small demo database served with the local data manager setting, and a large batch for it:
    200,000 quality checks that each replace a loaded row."""
    db_path = tmp_path / "live.duckdb"
    build_demo(db_path, scale="small", seed=5)
    batch = tmp_path / "quality_checks.parquet"
    con = duckdb.connect(":memory:")
    con.execute("attach ? as d (read_only)", [str(db_path)])
    con.execute("copy (select * exclude (batch_id) replace (cdm_table || '_v2' as cdm_table) from d.quality_checks"
                " order by all limit 200000) to '" + str(batch).replace("'", "''") + "' (format parquet)")
    con.close()
    server = start_app(db_path, tmp_path)
    yield server, batch
    stop(server.process)


def test_the_dashboard_keeps_serving_while_a_large_import_runs(busy_server, page: Page, recorded):
    server, batch = busy_server
    page.goto(server.url + "/?lang=en")
    wait_until_idle(page)
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(6)
    importer = subprocess.Popen(
        [sys.executable, "-m", "oversight", "import", str(batch), "--db", str(server.db_path), "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    rounds = 0
    try:
        # Keep using the dashboard until the import has finished, and once more after.
        while True:
            finished = importer.poll() is not None
            page.get_by_text("한국어" if rounds % 2 else "English", exact=True).click()
            wait_until_idle(page)
            page.goto(server.url + ("/about" if rounds % 2 else "/") + "?lang=en")
            wait_until_idle(page)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            expect(page.get_by_text("cannot be read")).to_have_count(0)
            expect(page.get_by_text("No database at")).to_have_count(0)
            rounds += 1
            if finished:
                break
        out, err = importer.communicate(timeout=300)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err[-2000:]
    assert rounds >= 2
    page.goto(server.url + "/?lang=en")
    wait_until_idle(page)
    expect(page.get_by_text("Source batch import-")).to_be_visible()  # the new version is served
    expect(page.get_by_text("with submitted data added")).to_be_visible()
    assert external(recorded) == []
