"""Concern index, append-only ledger and chain heads.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("reporter_identity", sa.String(128), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.UniqueConstraint("org", "reference", name="uq_concerns_org_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_concerns_idempotency_key"),
    )
    op.create_index("ix_concerns_org", "concerns", ["org"])
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("via", sa.String(64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("org", "seq", name="uq_entries_org_seq"),
    )
    op.create_index("ix_entries_reference", "entries", ["reference"])
    op.create_table(
        "chain_heads",
        sa.Column("org", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chain_heads")
    op.drop_index("ix_entries_reference", "entries")
    op.drop_table("entries")
    op.drop_index("ix_concerns_org", "concerns")
    op.drop_table("concerns")
