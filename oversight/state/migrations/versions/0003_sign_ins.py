"""Sign-ins: one row per signed-in browser session, so idle time and sign-out hold on every replica.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_ins",
        sa.Column("key", sa.String(64), primary_key=True),  # sha-256 of the identity token's claims
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_why", sa.String(20), nullable=True),  # sign_out | idle
    )
    op.create_index("ix_sign_ins_email", "sign_ins", ["email"])


def downgrade() -> None:
    op.drop_table("sign_ins")
