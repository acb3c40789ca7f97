"""Alerts to leads: escalation chains, sends, acknowledgement links, leads' Telegram chats.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("escalate_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(128), nullable=True),
        sa.Column("exhausted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alert_chains"),
        sa.UniqueConstraint("org", "reference", name="uq_alert_chains_org_reference"),
    )
    op.create_index("ix_alert_chains_escalate_at", "alert_chains", ["escalate_at"])
    op.create_table(
        "alert_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(128), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alert_sends"),
    )
    op.create_index("ix_alert_sends_chain_id", "alert_sends", ["chain_id"])
    op.create_index("ix_alert_sends_due_at", "alert_sends", ["due_at"])
    op.create_table(
        "alert_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_alert_tokens"),
    )
    op.create_table(
        "lead_chats",
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("chat_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org", "recipient", name="pk_lead_chats"),
    )
    op.create_table(
        "lead_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name="pk_lead_codes"),
    )


def downgrade() -> None:
    op.drop_table("lead_codes")
    op.drop_table("lead_chats")
    op.drop_table("alert_tokens")
    op.drop_index("ix_alert_sends_due_at", table_name="alert_sends")
    op.drop_index("ix_alert_sends_chain_id", table_name="alert_sends")
    op.drop_table("alert_sends")
    op.drop_index("ix_alert_chains_escalate_at", table_name="alert_chains")
    op.drop_table("alert_chains")
