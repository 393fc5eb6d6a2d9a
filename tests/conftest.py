"""Shared test fixtures: the known-answer database, a demo database, a live server."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fixture import build_fixture
from bench.browser import CHROMIUM_ARGS, chromium_path
from oversight import db, queries, settings
from oversight.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
YEAR_2025 = Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture(scope="session")
def runner(fixture_db) -> queries.DatabaseRunner:
    return queries.DatabaseRunner(db.read_only(fixture_db))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small synthetic database built by the real generator (scale 'tiny' keeps tests quick)."""
    from oversight.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, scale="tiny", seed=7)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        if settings.REQUIRE_BROWSER.value():
            pytest.fail("Chromium is missing, and CI requires the browser tests to run")
        pytest.skip("Chromium is not installed (make test installs it when run as root)")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": CHROMIUM_ARGS,
    }


class Server:
    def __init__(self, url: str, process: subprocess.Popen, db_path: Path):
        self.url, self.process, self.db_path = url, process, db_path

    def stop(self) -> None:
        """Ask the server to stop; a saturated machine may need longer, then it is killed."""
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(db_path: Path, log_path: Path, extra_env: dict | None = None) -> Server:
    port = free_port()
    env = {**os.environ, "OVERSIGHT_DB": str(db_path), **(extra_env or {})}
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, db_path)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start; log: {log_path.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    srv = start_server(demo_db, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture()
def app(monkeypatch, demo_db):
    """An AppTest of the dashboard over the demo database: `app()` runs app.py, optionally with a URL."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        # The server sets this to False at the first st.navigation call; AppTest resets it on
        # every run and, seeing a pages/ folder, would rerun the page file alone (v1 pages).
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setenv("OVERSIGHT_DB", str(demo_db))
    # As a data manager on loopback, so every page app.py lists renders (roles: test_auth.py).
    monkeypatch.setenv("OVERSIGHT_LOCAL_DATA_MANAGER", "1")

    def make(query: dict | None = None, db_path: Path | None = None) -> AppTest:
        if db_path is not None:
            monkeypatch.setenv("OVERSIGHT_DB", str(db_path))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update(query or {})
        return at.run()

    return make


def figure_points(figure) -> int:
    """How many data points a plotly figure draws (x, y, values or z, whichever a trace has)."""
    count = 0
    for trace in figure.to_plotly_json()["data"]:
        sizes = [len(trace[k]) for k in ("x", "y", "values", "z") if trace.get(k) is not None]
        count += max(sizes, default=0)
    return count


@pytest.fixture()
def requests_seen(page):
    """Every request the page makes, to prove that none leaves the machine."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.fixture(scope="session", autouse=True)
def own_state_store(tmp_path_factory):
    """Every test, and every server a test starts, writes its audit trail and notes to a store of
    the session's own, never to the project's data/state.sqlite."""
    path = tmp_path_factory.mktemp("state") / "state.sqlite"
    previous = os.environ.get(settings.STATE_URL.name)
    os.environ[settings.STATE_URL.name] = f"sqlite:///{path}"
    yield path
    if previous is None:
        os.environ.pop(settings.STATE_URL.name, None)
    else:
        os.environ[settings.STATE_URL.name] = previous


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on loopback for this test session (tests/postgres.py)."""
    import postgres

    with postgres.server(free_port()) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request, tmp_path) -> str:
    """An empty state store of each kind: a SQLite file, and a fresh database on the real server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    import postgres

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return postgres.fresh_database(request.getfixturevalue("postgres_server"), name)
