"""The app's own state: audit trail (and, as they come, notes, subscriptions, rules), apart from the data file.

SQLAlchemy 2 Core over an embedded SQLite file under `data/` by default, or the PostgreSQL
server that `OVERSIGHT_STATE_URL` names (`postgresql+psycopg://...`, psycopg 3), so several
replicas on several hosts share one store. The schema is versioned by Alembic
(`oversight/state/migrations`) and brought to the newest version when a process first opens the
store; two processes starting at once take a lock so only one migrates.

No Streamlit here: the UI passes in who is acting.
"""

from __future__ import annotations

import fcntl
import functools
import threading
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from oversight import settings
from oversight.config import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT / "data" / "state.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant shared by every process of a deployment: the PostgreSQL advisory lock's key.
MIGRATION_LOCK = 2026_21_01
_lock = threading.Lock()


def state_url() -> str:
    return settings.STATE_URL.value() or f"sqlite:///{DEFAULT_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the one writer; a writer waits for another instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create(url: str) -> sa.Engine:
    """A new engine on `url`, migrated to the newest schema."""
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    upgrade(engine)
    return engine


def engine(url: str | None = None) -> sa.Engine:
    """The process's engine for `url` (default: the configured store), created and migrated once."""
    return _engine(url or state_url())


@functools.lru_cache(maxsize=8)
def _engine(url: str) -> sa.Engine:
    with _lock:
        return create(url)


@contextmanager
def _sqlite_file_lock(engine_: sa.Engine):
    path = engine_.url.database
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine_: sa.Engine, revision: str = "head") -> None:
    """Apply every migration not yet applied. PostgreSQL: under an advisory lock held for the
    transaction, so replicas starting together migrate once; SQLite: under a file lock."""
    if engine_.dialect.name == "postgresql":
        with engine_.begin() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            command.upgrade(alembic_config(connection), revision)
        return
    with _sqlite_file_lock(engine_), engine_.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine_: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine_.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
