"""deploy/snapshot.py: a database published as a versioned, checksummed file and swapped in on a
serving host, on a real DuckDB file."""

import datetime as dt

import duckdb
import pytest

from deploy import snapshot


def _database(path, value: int):
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as v", [value])
    con.close()


def _value(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select v from t").fetchone()[0]
    finally:
        con.close()


def test_publish_then_fetch_serves_the_newest_and_only_once(tmp_path):
    live, shared, served = tmp_path / "live.duckdb", tmp_path / "snapshots", tmp_path / "host" / "oversight.duckdb"
    _database(live, 1)
    first = snapshot.publish(live, shared, now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc))
    _database(live, 2)
    second = snapshot.publish(live, shared, now=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc))
    assert first.name.startswith("oversight-20261201T090000Z-") and second.name.startswith("oversight-20261202T")
    assert snapshot.snapshots(shared) == [first, second]
    assert snapshot.publish(live, shared) is None  # nothing loaded since: no new snapshot

    assert snapshot.fetch(shared, served) == second
    assert _value(served) == 2
    inode = served.stat().st_ino
    assert snapshot.fetch(shared, served) is None  # already served: nothing copied
    assert served.stat().st_ino == inode


def test_a_snapshot_whose_checksum_does_not_match_is_refused(tmp_path):
    live, shared, served = tmp_path / "live.duckdb", tmp_path / "snapshots", tmp_path / "oversight.duckdb"
    _database(live, 1)
    snapshot.publish(live, shared)
    snapshot.fetch(shared, served)
    _database(live, 2)
    bad = snapshot.publish(live, shared, now=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    damaged = bad.read_bytes()
    bad.write_bytes(damaged[:-1] + bytes([damaged[-1] ^ 1]))  # one bit changed on the way
    with pytest.raises(snapshot.SnapshotError, match="does not match"):
        snapshot.fetch(shared, served)
    assert _value(served) == 1
    assert sorted(p.name for p in served.parent.iterdir() if p.name.endswith(".fetching")) == []


def test_publish_keeps_the_newest(tmp_path):
    live, shared = tmp_path / "live.duckdb", tmp_path / "snapshots"
    _database(live, 1)
    made = []
    for day in (1, 2, 3):
        _database(live, day)
        made.append(snapshot.publish(live, shared, keep=2, now=dt.datetime(2026, 1, day, tzinfo=dt.timezone.utc)))
    assert snapshot.snapshots(shared) == made[1:]
    assert not (shared / (made[0].name + ".sha256")).exists()
