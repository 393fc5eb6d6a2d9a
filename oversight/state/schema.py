"""The state store's tables as SQLAlchemy Core objects; the migrations create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
# SQLite numbers rows only for an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

audit_events = sa.Table(
    "audit_events", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(320), nullable=False),  # an e-mail address, or local:USER
    sa.Column("role", sa.String(20), nullable=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("view", sa.String(2000), nullable=True),  # the page and its query string
    sa.Column("detail", sa.String(2000), nullable=True),
    sa.Index("ix_audit_events_at", "at"),
    sa.Index("ix_audit_events_actor", "actor"),
)

notes = sa.Table(
    "notes", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("panel", sa.String(120), nullable=False),  # Panel.key, e.g. "access.monthly"
    sa.Column("date_from", sa.Date(), nullable=False),
    sa.Column("date_to", sa.Date(), nullable=False),
    sa.Column("text", sa.String(1000), nullable=False),  # notes.MAX_LENGTH characters at most
    sa.Column("author", sa.String(320), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("date_from <= date_to", name="ck_notes_period"),
    sa.Index("ix_notes_panel", "panel"),
)

sign_ins = sa.Table(
    "sign_ins", metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # sha-256 of the identity token's claims
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("ended_why", sa.String(20), nullable=True),  # sign_out | idle
    sa.Index("ix_sign_ins_email", "email"),
)
