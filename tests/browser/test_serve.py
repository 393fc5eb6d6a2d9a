"""`make serve` for real (issue 12): two Streamlit replicas behind HAProxy (deploy/serve.py), with
sign-in against a local OpenID Connect provider. Through the proxy: the sign-in cookie holds on
either replica, a download and the Data page's upload reach the session's replica; a replica killed
under an open page costs a reconnect, not the view; a load is served by every replica."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.loadbench import rerun_request
from conftest import free_port
from deploy.serve import Cluster, healthy
from oversight.loader import template
from helpers import NAV_LINKS, external, wait_until_idle
from test_browser_data import PROVIDER_STYLESHEET, patient, provider, sign_in, write_sign_in_files  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
COOKIE = "OVERSIGHT_REPLICA"


@pytest.fixture(scope="module")
def cluster(provider, demo_db, tmp_path_factory):  # noqa: F811 - the imported fixture
    """Two replicas behind HAProxy over a copy of the demo database, sharing one secrets.toml whose
    redirect goes to the proxy, and a roles file naming one data manager."""
    folder = tmp_path_factory.mktemp("serve")
    db_path = folder / "live.duckdb"
    shutil.copy(demo_db, db_path)
    port = free_port()
    write_sign_in_files(folder, port, provider)  # the proxy's port: the redirect comes back through it
    served = Cluster(db_path, replicas=2, port=port, run_dir=folder / "run", secrets=folder / "secrets.toml",
                     env={"OVERSIGHT_ROLES": str(folder / "roles.toml")})
    served.start()
    yield served
    served.stop()


def replica_of(context: BrowserContext) -> str:
    """The replica the proxy's cookie pins this browser to ("replica1", "replica2")."""
    found = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
    assert found, "the proxy set no routing cookie"
    return found[0]


def pin(context: BrowserContext, cluster: Cluster, replica: str) -> None:
    context.add_cookies([{"name": COOKIE, "value": replica, "url": cluster.url}])


@pytest.mark.browser
def test_sign_in_a_download_and_the_data_page_work_through_the_proxy(cluster, page: Page, tmp_path):
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.set_viewport_size({"width": 1400, "height": 1000})
    sign_in(page, cluster, "manager")  # provider round trip, back through the proxy
    signed_in = page.get_by_text("kim@khis.example · 자료 관리자")
    expect(signed_in).to_be_visible()
    home = replica_of(page.context)

    # The sign-in cookie is signed with the shared secret: the other replica accepts it too.
    other = "replica2" if home == "replica1" else "replica1"
    pin(page.context, cluster, other)
    page.reload()
    wait_until_idle(page)
    expect(signed_in).to_be_visible()
    assert replica_of(page.context) == other

    # A download: the file is made by the replica holding this session, reached by the cookie.
    button = page.get_by_role("button", name="이 페이지 엑셀")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "overview.xlsx"
    download.value.save_as(path)
    assert openpyxl.load_workbook(path).sheetnames == ["About", "Overview"]

    # The Data page: an upload goes to the session's replica, which checks it and names the problem.
    page.locator(NAV_LINKS, has_text="데이터 적재").click()
    wait_until_idle(page)
    expect(page.get_by_role("heading", name="데이터 적재")).to_be_visible()
    bad = tmp_path / "consultations.csv"
    bad.write_text("consultation_id,institution_id,held_on,topic,hours\nK-BAD,X-NOBODY,2026-01-01,party,1\n",
                   encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.get_by_text("이 배치는 적재할 수 없습니다")).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stDataFrame"]').nth(2)).to_contain_text("party")
    assert replica_of(page.context) == other
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert [u for u in external(seen) if PROVIDER_STYLESHEET not in u] == []


async def _caption_texts(url: str, query: str) -> list[str]:
    """The markdown and captions of one run of the default page, asked for over the protocol."""
    texts = []
    ws_url = re.sub(r"^http", "ws", url) + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        await ws.send(rerun_request("", query, set()))
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "markdown":
                texts.append(msg.delta.new_element.markdown.body)
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return texts


def source_batch(url: str) -> str:
    """The batch the overview says its data comes from, as one replica serves it."""
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        texts = pool.submit(asyncio.run, _caption_texts(url, "lang=en")).result()
    # Captions arrive as escaped markdown ("import\\-2026..."): read them as shown.
    found = [m.group(1) for text in texts if (m := re.search(r"Source batch ([\w.:-]+)", text.replace("\\", "")))]
    assert found, f"{url} showed no source batch"
    return found[0]


def test_a_load_is_served_by_every_replica(cluster, tmp_path):
    before = [source_batch(cluster.replica_url(i)) for i in range(2)]
    assert before[0] == before[1]
    workbook = tmp_path / "example.xlsx"
    workbook.write_bytes(template.template(example_rows=True))
    loaded = subprocess.run([sys.executable, "-m", "oversight", "import", str(workbook), "--db", str(cluster.db),
                             "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    after = [source_batch(cluster.replica_url(i)) for i in range(2)]
    assert after[0] == after[1] != before[0]
    assert after[0].startswith("import-")


class Runs:
    """The page runs each of the page's websockets saw finish, read from Streamlit's own messages."""

    def __init__(self, page: Page):
        self.sockets: list[list[int]] = []
        page.on("websocket", self._opened)

    def _opened(self, socket) -> None:
        finished = []
        self.sockets.append(finished)
        socket.on("framereceived", lambda payload: finished.append(1) if _finishes_a_run(payload) else None)

    def wait(self, page: Page, sockets: int, timeout: float = 90) -> None:
        """Until `sockets` websockets were opened and the last of them saw a run finish."""
        deadline = time.monotonic() + timeout
        while not (len(self.sockets) >= sockets and self.sockets[-1]) and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert len(self.sockets) >= sockets and self.sockets[-1], f"no finished run on websocket {sockets}"
        wait_until_idle(page)


def _finishes_a_run(payload) -> bool:
    if not isinstance(payload, bytes):
        return False
    msg = ForwardMsg()
    msg.ParseFromString(payload)
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN


@pytest.mark.browser
def test_a_killed_replica_costs_its_viewer_a_reconnect_not_the_view(cluster, page: Page):
    runs = Runs(page)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(cluster.url + "/access?lang=en&regions=11")
    runs.wait(page, sockets=1)
    page.wait_for_url("**from=**")  # the app has published the whole view in the URL
    heading = page.get_by_role("heading", name="Data access", exact=False).first
    expect(heading).to_be_visible()
    regions = page.locator('[data-testid="stMultiSelect"]').first
    expect(regions).to_contain_text("Seoul")
    first_metric = page.locator('[data-testid="stMetricValue"]').first
    narrowed = first_metric.inner_text()
    link = page.url
    home = replica_of(page.context)

    index = int(home.removeprefix("replica")) - 1
    cluster.kill_replica(index)
    # Streamlit's client reconnects by itself; the proxy, seeing the replica gone, sends it to the
    # live one (and says so in a new cookie), where a new session runs the page from the URL.
    runs.wait(page, sockets=2, timeout=45)
    assert replica_of(page.context) != home, "the browser was not sent to the live replica"
    expect(heading).to_be_visible()
    expect(regions).to_contain_text("Seoul")
    expect(first_metric).to_have_text(narrowed)
    assert page.url == link

    # The walk goes on in the new session, in its language and with its filter.
    page.locator(NAV_LINKS, has_text="Consulting").click()
    page.wait_for_url("**/consulting?**")
    wait_until_idle(page)
    expect(page.get_by_role("heading", name="Consulting", exact=False).first).to_be_visible()
    assert "regions=11" in page.url and "lang=en" in page.url
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)

    # The launcher's watch starts the replica again; HAProxy's health check brings it back.
    restarted = []
    cluster.restart_dead(say=restarted.append)
    assert restarted and f"replica {index + 1} exited" in restarted[0]
    deadline = time.monotonic() + 120
    while not healthy(cluster.replica_url(index)) and time.monotonic() < deadline:
        time.sleep(1)
    assert healthy(cluster.replica_url(index)), "the restarted replica did not answer its health check"
