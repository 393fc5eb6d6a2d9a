"""The DuckDB file: read-only access for the dashboard, build-and-swap for writers.

Rule 5 of docs/architecture.md: readers never see half a load or a lock error. Writers build a complete new
file beside the live one and `os.replace()` it in. Readers attach the file read-only inside their
own in-memory DuckDB instance, one per file version: DuckDB's instance cache would otherwise hand
a new connection the old file's data while any old connection is still open.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from oversight import derived, schema
from oversight.config import MACROS_DIR
from oversight.queries import quote_identifier


class DatabaseMissing(RuntimeError):
    """The database file does not exist yet."""


class DatabaseUnreadable(RuntimeError):
    """The file exists but is not a database this version can read."""


@dataclass(frozen=True)
class FileVersion:
    """Identifies one version of the file on disk: a swap changes the inode."""

    inode: int
    mtime_ns: int
    size: int

    @property
    def token(self) -> str:
        return f"{self.inode}-{self.mtime_ns}-{self.size}"


def file_version(path: Path) -> FileVersion:
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseMissing(str(path)) from exc
    return FileVersion(st.st_ino, st.st_mtime_ns, st.st_size)


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as live (read_only)", [str(path)])
    except duckdb.Error as exc:
        con.close()
        raise DatabaseUnreadable(f"{path}: {exc}") from exc
    _create_scope_macros(con)
    # The dashboard touches nothing but this file; no setting can be changed back by a query.
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


def _create_scope_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The shared-filter table macros of queries/macros/, in the in-memory catalog.

    Their bodies bind to the attached file's tables, so they are created with `live` in use. A
    macro over a table that a database written by an older version lacks is left out: the app
    then says to run `refresh` (derived.missing_tables) instead of failing to open the file.
    """
    con.execute("use live")
    for macro in sorted(MACROS_DIR.glob("*.sql")):
        for statement in con.extract_statements(macro.read_text(encoding="utf-8")):
            try:
                con.execute(statement)
            except duckdb.CatalogException:
                continue


class ReadOnlyDatabase:
    """Thread-safe read-only access that follows swaps of the file.

    One connection per file version; each call takes its own cursor (a connection is not
    thread-safe, and Streamlit runs each session in its own thread).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._version: FileVersion | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def version(self) -> FileVersion:
        return file_version(self.path)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        current = self.version()
        with self._lock:
            if self._con is None or current != self._version:
                # The old connection is dropped, not closed: cursors still running on it keep
                # their snapshot and the instance goes when the last of them does.
                self._con = _open_read_only(self.path)
                self._version = current
            con = self._con
        cur = con.cursor()
        # Tables come from the file, the scope macros from the in-memory catalog.
        cur.execute("set search_path = 'live.main,memory.main'")
        return cur


_instances: dict[Path, ReadOnlyDatabase] = {}
_instances_lock = threading.Lock()


def forget_readers() -> None:
    """Drop every reader, so the next `read_only` opens its file anew (the bench's cold runs)."""
    with _instances_lock:
        _instances.clear()


def read_only(path: Path) -> ReadOnlyDatabase:
    """The process-wide reader of one file."""
    key = Path(path).resolve()
    with _instances_lock:
        if key not in _instances:
            _instances[key] = ReadOnlyDatabase(key)
        return _instances[key]


@contextlib.contextmanager
def rebuild(path: Path, copy_existing: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Write a new version of the database and swap it in whole.

    Yields a read-write connection to a private copy (or to a new empty database with the
    schema). When the block ends without an exception the copy is checkpointed, closed and
    renamed over `path`; on any exception it is deleted and `path` is untouched, so a writer
    killed at any moment leaves the previous database as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex}.building")
    try:
        if copy_existing and path.exists():
            _copy_database(path, staging)
            con = duckdb.connect(str(staging))
            for ddl in schema.upgrade_ddl():
                con.execute(ddl)
        else:
            con = duckdb.connect(str(staging))
            for ddl in schema.schema_ddl():
                con.execute(ddl)
        try:
            yield con
            derived.rebuild_derived(con)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(staging, path)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _copy_database(source: Path, target: Path) -> None:
    # A byte copy is safe: no writer changes the live file in place (each checkpoints a new file
    # and renames it over), and the loader's lock keeps writers one at a time. It takes about 1 s
    # for the large demo against 140-180 s for COPY FROM DATABASE, at the price of carrying free
    # blocks along.
    shutil.copyfile(source, target)


_INSERT = "insert into {table} ({columns}) select {casts} from incoming_rows"


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, batch_id: str) -> int:
    """Append rows to a contract table; columns the frame lacks are left empty."""
    spec = schema.TABLES[table]
    frame = frame.with_columns(
        [pl.lit(None).alias(c) for c in spec.column_names if c not in frame.columns]
    )
    frame = frame.select(spec.column_names).with_columns(pl.lit(batch_id).alias("batch_id"))
    names = [*spec.column_names, "batch_id"]
    casts = [f"cast({quote_identifier(c.name)} as {c.sql_type})" for c in spec.columns] + ["batch_id"]
    con.register("incoming_rows", frame.to_arrow())
    try:
        con.execute(
            _INSERT.format(
                table=quote_identifier(spec.name),
                columns=", ".join(map(quote_identifier, names)),
                casts=", ".join(casts),
            )
        )
    finally:
        con.unregister("incoming_rows")
    return frame.height
