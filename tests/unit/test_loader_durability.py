"""A loader killed at any moment leaves the previous database intact; readers keep reading
through a load and see the old version or the new one, never half a batch or a lock error.

The batch: 200,000 quality checks of a small demo database with their table name changed, so
that each row replaces a loaded one and every stage of the load takes a noticeable time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from loader_files import table_rows
from oversight import db as database
from oversight.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = "select (select count(*) from batches), (select count(*) from quality_checks where cdm_table like '%_v2')"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("durability") / "small.duckdb"
    build_demo(path, scale="small", seed=11)
    return path


CHECKS = 200_000


@pytest.fixture(scope="module")
def batch_file(demo, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("batch") / "quality_checks.parquet"
    con = duckdb.connect(":memory:")
    con.execute("attach ? as d (read_only)", [str(demo)])
    con.execute(
        "copy (select * exclude (batch_id) replace (cdm_table || '_v2' as cdm_table) from d.quality_checks"
        " order by institution_id, assessed_on, check_id limit 200000)"
        " to '" + str(target).replace("'", "''") + "' (format parquet)"
    )
    con.close()
    return target


def start_import(batch_file: Path, db_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "oversight", "import", str(batch_file), "--db", str(db_path), "--lang", "en",
         "--by", "durability test"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def readable_snapshot(path: Path) -> tuple:
    return table_rows(path, SNAPSHOT)[0]


# Progress lines the loader prints on stderr (--lang en), in order.
STAGES = ("reading files", "checking references", "copying the database", "applying the batch",
          "rebuilding derived tables and swapping in")


def test_a_loader_killed_at_any_stage_leaves_the_database_as_it_was(demo, batch_file, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copy(demo, path)
    before = sha(path)
    for stage in STAGES:
        process = start_import(batch_file, path)
        try:
            for line in process.stderr:
                if stage in line:
                    os.kill(process.pid, signal.SIGKILL)
                    break
            process.wait(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL, f"the loader finished before it could be killed at {stage!r}"
        if stage == STAGES[-1] and sha(path) != before:
            # Killed after the new file was renamed into place: it must be the whole new version.
            assert readable_snapshot(path) == (2, CHECKS)
            return
        assert sha(path) == before, stage
        assert readable_snapshot(path) == (1, 0)
    # The lock died with the processes: the next load runs, and completes.
    finished = start_import(batch_file, path)
    out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err[-2000:]
    assert readable_snapshot(path) == (2, CHECKS)


def test_readers_see_the_old_or_the_new_version_and_never_an_error_during_a_load(demo, batch_file, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copy(demo, path)
    reader = database.ReadOnlyDatabase(path)
    seen: list[tuple] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(reader.cursor().sql(SNAPSHOT).fetchall()[0])
            except BaseException as exc:  # noqa: BLE001 - every failure is the finding
                errors.append(exc)
            time.sleep(0.02)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        process = start_import(batch_file, path)
        out, err = process.communicate(timeout=300)
        time.sleep(0.5)  # let the readers see the new version too
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert process.returncode == 0, err[-2000:]
    assert errors == []
    assert set(seen) == {(1, 0), (2, CHECKS)}  # never a batch without its rows, or half of them
    assert seen[0] == (1, 0) and seen[-1] == (2, CHECKS)
