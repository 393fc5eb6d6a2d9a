"""Rule 5: the dashboard reads a read-only file; writers swap a whole new file in."""

import hashlib
import shutil

import duckdb
import pytest

from oversight import db, queries


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def copy_of_fixture(fixture_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(fixture_db, path)
    return path


COUNT_SQL = {
    "agreements": "select count(*) from agreements",
    "agreement_facts": "select count(*) from agreement_facts",
}


def _count(path, table="agreements"):
    return db.read_only(path).cursor().sql(COUNT_SQL[table]).fetchall()[0][0]


def test_a_reader_sees_the_new_version_after_a_swap_and_old_cursors_keep_theirs(copy_of_fixture):
    old_cursor = db.read_only(copy_of_fixture).cursor()
    assert old_cursor.sql("select count(*) from agreements").fetchall() == [(4,)]
    with db.rebuild(copy_of_fixture) as con:
        con.execute("delete from agreement_hospitals where agreement_id = 'A4'")
        con.execute("delete from data_requests where agreement_id = 'A4'")
        con.execute("delete from agreements where agreement_id = 'A4'")
    assert _count(copy_of_fixture) == 3
    assert _count(copy_of_fixture, "agreement_facts") == 3  # derived tables rebuilt in the same swap
    assert old_cursor.sql("select count(*) from agreements").fetchall() == [(4,)]


def test_a_failed_write_leaves_the_file_byte_for_byte_as_it_was(copy_of_fixture):
    before = _sha(copy_of_fixture)
    with pytest.raises(RuntimeError, match="boom"):
        with db.rebuild(copy_of_fixture) as con:
            con.execute("delete from agreements")
            raise RuntimeError("boom")
    assert _sha(copy_of_fixture) == before
    assert not list(copy_of_fixture.parent.glob(".*building*"))


def test_the_dashboard_connection_cannot_write_or_reach_outside(copy_of_fixture):
    cursor = db.read_only(copy_of_fixture).cursor()
    for statement in (
        "delete from agreements",
        "create table x (i integer)",
        "select * from read_csv('/etc/passwd')",
        "set enable_external_access = true",
    ):
        with pytest.raises(duckdb.Error):
            cursor.execute(statement)


def test_a_missing_database_is_reported(tmp_path):
    with pytest.raises(db.DatabaseMissing):
        db.read_only(tmp_path / "none.duckdb").cursor()


def test_a_corrupt_database_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.duckdb"
    path.write_bytes(b"this is not a database" * 1000)
    with pytest.raises(db.DatabaseUnreadable, match="corrupt.duckdb"):
        queries.DatabaseRunner(db.read_only(path)).run("dataset_info", {})
