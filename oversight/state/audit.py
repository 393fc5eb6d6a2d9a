"""The audit trail: who did what, when, on which view. Append-only.

Nothing here updates or deletes an event, except `purge`, which drops events older than the
retention setting (`OVERSIGHT_AUDIT_RETENTION_DAYS`, two years by default, as Korean
access-record rules expect of systems holding personal data). Text is stored as given, clipped
to the column's length; it is shown only as table cells and exported as neutralised CSV."""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from oversight import settings
from oversight.export.safe_text import csv_bytes
from oversight.state import engine as state_engine
from oversight.state.schema import audit_events

# What the app records; a new kind of event gets a name here (and a label in the locales).
ACTIONS = ("sign_in", "load", "download", "export", "audit_export",
           "note_add", "note_edit", "note_delete")
COLUMNS = ("id", "at", "actor", "role", "action", "view", "detail")


class AuditError(ValueError):
    """An event the trail does not know how to record."""


def _clip(text: str | None, column: str) -> str | None:
    if text is None:
        return None
    return str(text)[: audit_events.c[column].type.length]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def utc(moment: dt.datetime) -> dt.datetime:
    """Times are stored in UTC (SQLite keeps no offset): a naive time is taken as UTC."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def record(actor: str, action: str, *, role: str | None = None, view: str | None = None,
           detail: str | None = None, at: dt.datetime | None = None, engine: sa.Engine | None = None,
           connection: sa.Connection | None = None) -> None:
    """Append one event. With `connection`, inside the caller's transaction (a note and its
    event are stored together or not at all)."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    row = {"at": utc(at or now()), "actor": _clip(actor or "unknown", "actor"), "role": _clip(role, "role"),
           "action": action, "view": _clip(view, "view"), "detail": _clip(detail, "detail")}
    if connection is not None:
        connection.execute(audit_events.insert(), row)
        return
    with (engine or state_engine()).begin() as conn:
        conn.execute(audit_events.insert(), row)


def events(*, since: dt.datetime | None = None, until: dt.datetime | None = None, actor: str | None = None,
           action: str | None = None, limit: int | None = 10_000, engine: sa.Engine | None = None) -> pl.DataFrame:
    """Events newest first, optionally within [since, until), by one actor or of one action."""
    query = sa.select(*(audit_events.c[c] for c in COLUMNS)).order_by(audit_events.c.id.desc())
    if since is not None:
        query = query.where(audit_events.c.at >= utc(since))
    if until is not None:
        query = query.where(audit_events.c.at < utc(until))
    if actor:
        query = query.where(sa.func.lower(audit_events.c.actor) == actor.strip().lower())
    if action:
        query = query.where(audit_events.c.action == action)
    if limit is not None:
        query = query.limit(limit)
    with (engine or state_engine()).connect() as conn:
        rows = conn.execute(query).all()
    schema = {"id": pl.Int64, "at": pl.Datetime("us", "UTC"), "actor": pl.Utf8, "role": pl.Utf8,
              "action": pl.Utf8, "view": pl.Utf8, "detail": pl.Utf8}
    return pl.DataFrame([(r.id, utc(r.at), *r[2:]) for r in rows], schema=schema, orient="row")


def purge(*, retention_days: int | None = None, at: dt.datetime | None = None,
          engine: sa.Engine | None = None) -> int:
    """Drop events older than the retention period; how many went."""
    days = settings.AUDIT_RETENTION_DAYS.value() if retention_days is None else retention_days
    if days < 1:
        raise AuditError(f"the audit retention must be at least one day, not {days}")
    cutoff = utc(at or now()) - dt.timedelta(days=days)
    with (engine or state_engine()).begin() as conn:
        return conn.execute(audit_events.delete().where(audit_events.c.at < cutoff)).rowcount


def to_csv(frame: pl.DataFrame) -> bytes:
    """The trail as a spreadsheet-safe CSV, times in Asia/Seoul."""
    seoul = pl.col("at").dt.convert_time_zone("Asia/Seoul").dt.strftime("%Y-%m-%d %H:%M:%S")
    return csv_bytes(frame.with_columns(seoul))
