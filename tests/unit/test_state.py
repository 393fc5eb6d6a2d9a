"""The state store (oversight/state) on SQLite and on a real PostgreSQL server: migrations,
the audit trail, and two processes (two replicas) writing at once."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import polars as pl
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from oversight import state
from oversight.state import audit
from oversight.state.schema import audit_events, metadata

WRITES = 300


def test_a_new_store_is_migrated_to_the_newest_revision_and_again_is_harmless(state_url):
    engine = state.create(state_url)
    heads = ScriptDirectory(str(state.MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"the migrations must form one line, found heads {heads}"
    assert state.current_revision(engine) == heads[0]
    state.upgrade(engine)
    # Every table the code declares is made by the migrations, and nothing else.
    assert set(sa.inspect(engine).get_table_names()) == set(metadata.tables) | {"alembic_version"}


def test_events_read_back_newest_first_filtered_and_within_a_period(state_url):
    engine = state.create(state_url)
    seoul = dt.timezone(dt.timedelta(hours=9))
    audit.record("kim@khis.example", "sign_in", role="data_manager", at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=seoul),
                 engine=engine)
    audit.record("lee@mohw.example", "download", role="analyst", view="/access?from=2026-01-01",
                 detail="page workbook", at=dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc), engine=engine)
    audit.record("KIM@khis.example", "load", detail="batch 7", engine=engine)
    everything = audit.events(engine=engine)
    assert everything["action"].to_list() == ["load", "download", "sign_in"]
    assert everything["at"].dtype == pl.Datetime("us", "UTC")
    # 09:00 in Seoul is 00:00 UTC: the sign-in is before the download.
    assert everything["at"][2] == dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.timezone.utc)
    assert audit.events(actor="kim@KHIS.example", engine=engine)["action"].to_list() == ["load", "sign_in"]
    march = audit.events(since=dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.timezone.utc),
                         until=dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc), engine=engine)
    assert march["action"].to_list() == ["download"]
    assert march["view"][0] == "/access?from=2026-01-01"


def test_unknown_actions_are_refused_and_long_text_is_clipped_not_refused(state_url):
    engine = state.create(state_url)
    with pytest.raises(audit.AuditError, match="unknown audit action"):
        audit.record("kim@khis.example", "drop_table", engine=engine)
    audit.record("kim@khis.example", "export", detail="x" * 5000, engine=engine)
    stored = audit.events(engine=engine)
    assert stored.height == 1 and len(stored["detail"][0]) == audit_events.c.detail.type.length


def test_purge_drops_only_events_older_than_the_retention(state_url):
    engine = state.create(state_url)
    today = dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)
    for days in (1, 729, 731, 2000):
        audit.record("kim@khis.example", "download", at=today - dt.timedelta(days=days), detail=str(days),
                     engine=engine)
    assert audit.purge(at=today, engine=engine) == 2  # the default: 730 days
    assert sorted(audit.events(engine=engine)["detail"].to_list()) == ["1", "729"]
    with pytest.raises(audit.AuditError, match="at least one day"):
        audit.purge(retention_days=0, engine=engine)


def test_the_csv_export_neutralises_formulas_and_states_times_in_seoul(state_url):
    engine = state.create(state_url)
    audit.record("=HYPERLINK(\"http://x\")", "export", at=dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.timezone.utc),
                 engine=engine)
    text = audit.to_csv(audit.events(engine=engine)).decode("utf-8-sig")
    assert "2026-03-02 09:00:00" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text


def _writer(url: str, who: str, start, count: int) -> None:
    engine = state.create(url)  # each replica migrates on start: the lock lets one do it
    start.wait()
    for n in range(count):
        audit.record(who, "download", detail=str(n), engine=engine)
    engine.dispose()


def test_two_replicas_writing_at_once_lose_nothing(state_url):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    replicas = [context.Process(target=_writer, args=(state_url, f"replica-{i}", start, WRITES)) for i in (1, 2)]
    for process in replicas:
        process.start()
    for process in replicas:
        process.join(timeout=180)
        assert process.exitcode == 0
    stored = audit.events(limit=None, engine=state.create(state_url))
    assert stored.height == 2 * WRITES
    assert stored["id"].n_unique() == 2 * WRITES
    for i in (1, 2):
        mine = stored.filter(pl.col("actor") == f"replica-{i}")
        assert sorted(int(d) for d in mine["detail"]) == list(range(WRITES))
