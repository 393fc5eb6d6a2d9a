"""The proxy hardened (issue 23, docs/security.md): `make serve` with TLS_CERT/TLS_KEY serves HTTPS only
and redirects HTTP; every response carries the security headers and names no server; every page works
under the Content-Security-Policy with no violation, in both languages, presenting and on the Data page
(signed in as a data manager); a flood from one client address is refused while another is served."""

from __future__ import annotations

import http.client
import secrets
import shutil
import ssl
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import free_port
from deploy.serve import Cluster, Limits, Tls
from helpers import NAV_LINKS, external, wait_until_idle
from tls import throwaway_certificate
from test_browser_data import MANAGER, PROVIDER_STYLESHEET, patient, provider  # noqa: F401 - fixtures

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}


@pytest.fixture(scope="module")
def tls_cluster(provider, demo_db, tmp_path_factory):  # noqa: F811 - the imported fixture
    """One replica behind HAProxy with TLS on, HTTP redirecting, sign-in against the local provider."""
    folder = tmp_path_factory.mktemp("tls")
    db_path = folder / "live.duckdb"
    shutil.copy(demo_db, db_path)
    cert, key = throwaway_certificate(folder)
    port, http_port = free_port(), free_port()
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "https://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "oversight-tests"\nclient_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    (folder / "roles.toml").write_text(f'[roles]\ndata_manager = ["{MANAGER["email"]}"]\n', encoding="utf-8")
    served = Cluster(db_path, replicas=1, port=port, run_dir=folder / "run", secrets=folder / "secrets.toml",
                     env={"OVERSIGHT_ROLES": str(folder / "roles.toml")}, tls=Tls(cert, key, http_port))
    served.start()
    yield served
    served.stop()


def fetch(port: int, path: str, tls: bool = True, source: str = "127.0.0.1",
          method: str = "GET", headers: dict | None = None) -> http.client.HTTPResponse:
    if tls:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, source_address=(source, 0),
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_every_response_carries_the_headers_and_names_no_server(tls_cluster):
    problems = []
    for path in ("/", "/agreements", "/_stcore/health", "/static/favicon.png", "/media/nothing-here.xlsx",
                 "/no/such/page"):
        response = fetch(tls_cluster.port, path)
        headers = {k.lower(): v for k, v in response.getheaders()}
        for name, value in SECURITY_HEADERS.items():
            if headers.get(name) != value:
                problems.append(f"{path}: {name} is {headers.get(name)!r}, not {value!r}")
        policy = headers.get("content-security-policy", "")
        if "frame-ancestors 'none'" not in policy or "default-src 'self'" not in policy:
            problems.append(f"{path}: Content-Security-Policy is {policy!r}")
        if "server" in headers:
            problems.append(f"{path}: announces the server {headers['server']!r}")
        if path.startswith("/media/") and headers.get("cache-control") != "no-store":
            problems.append(f"{path}: Cache-Control is {headers.get('cache-control')!r}")
    assert problems == []


def test_plain_http_only_redirects_to_https(tls_cluster):
    response = fetch(tls_cluster.tls.http_port, "/agreements?lang=en", tls=False)
    assert response.status == 301
    assert response.getheader("location") == f"https://127.0.0.1:{tls_cluster.port}/agreements?lang=en"
    assert response.getheader("server") is None


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


@pytest.mark.browser
def test_every_page_works_under_the_policy_over_https(tls_cluster, browser: Browser):
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(90_000)
    expect.set_options(timeout=60_000)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    violations = csp_violations(page)
    try:
        page.goto(tls_cluster.url + "/?lang=ko")
        wait_until_idle(page)
        page.get_by_role("button", name="로그인").click()
        page.get_by_role("button", name="manager", exact=True).click()
        page.wait_for_url(tls_cluster.url + "/**", timeout=60_000)
        wait_until_idle(page)
        cookies = {c["name"]: c for c in context.cookies()}
        signed_in = [c for name, c in cookies.items() if name.startswith("_streamlit_user")]
        assert signed_in and all(c["secure"] and c["httpOnly"] for c in signed_in), cookies
        walked = []
        for lang in ("ko", "en"):
            page.goto(tls_cluster.url + f"/?lang={lang}")
            wait_until_idle(page)
            expect(page.locator(NAV_LINKS).first).to_be_visible()
            hrefs = page.locator(NAV_LINKS).evaluate_all("links => links.map(a => a.href)")
            for href in hrefs:
                page.goto(href)
                wait_until_idle(page)
                expect(page.locator('[data-testid="stException"]')).to_have_count(0)
                walked.append(href.split("?")[0].rsplit("/", 1)[-1])
            page.goto(tls_cluster.url + f"/?lang={lang}&present=1")
            wait_until_idle(page)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        assert len(walked) >= 20, walked  # every page, the Data page among them, in both languages
        assert walked.count("data") == 2, walked  # the data manager's Data page, in both languages
        assert page.evaluate("document.documentElement.lang") == "en"  # the hashed script ran
        assert violations == [], "\n".join(violations)
        assert [u for u in external(seen) if PROVIDER_STYLESHEET not in u] == []
    finally:
        expect.set_options(timeout=5_000)
        context.close()


@pytest.fixture(scope="module")
def limited_cluster(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("limited")
    served = Cluster(demo_db, replicas=1, port=free_port(), run_dir=folder / "run",
                     limits=Limits(connections=20, connection_rate=200, request_rate=30, upload_bytes=1024,
                                   upload_rate=3))
    served.start()
    yield served
    served.stop()


def test_a_flood_from_one_address_is_refused_while_another_is_served(limited_cluster):
    port = limited_cluster.port
    statuses = []
    deadline = time.monotonic() + 20
    while len(statuses) < 60 and time.monotonic() < deadline:  # bounded: 60 requests or 20 s
        statuses.append(fetch(port, "/_stcore/health", tls=False, source="127.0.0.2").status)
    assert statuses[:20] == [200] * 20
    assert statuses.count(429) >= 20, statuses
    assert fetch(port, "/_stcore/health", tls=False, source="127.0.0.1").status == 200


def test_uploads_are_capped_in_size_and_rate(limited_cluster):
    port = limited_cluster.port
    too_big = fetch(port, "/_stcore/upload_file/session/file", tls=False, source="127.0.0.3", method="PUT",
                    headers={"Content-Length": "0", "X-Padding": "x"})
    assert too_big.status != 413  # an empty upload passes the size cap (the replica answers it)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=("127.0.0.4", 0))
    conn.putrequest("PUT", "/_stcore/upload_file/session/file")
    conn.putheader("Content-Length", str(10 * 1024 * 1024))
    conn.endheaders()
    assert conn.getresponse().status == 413  # refused from its headers, before any body is sent
    conn.close()
    rates = [fetch(port, "/_stcore/upload_file/session/file", tls=False, source="127.0.0.5", method="PUT",
                   headers={"Content-Length": "0"}).status for _ in range(6)]
    assert rates.count(429) >= 2, rates
    assert fetch(port, "/_stcore/health", tls=False, source="127.0.0.5").status == 200  # reading still served
