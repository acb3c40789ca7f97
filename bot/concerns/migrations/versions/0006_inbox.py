"""The leads' inbox: accounts, sessions, sign-in events, concerns hidden from named staff.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("roles", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=True),
        sa.Column("totp_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("enrol_hash", sa.String(64), nullable=True),
        sa.Column("enrol_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_accounts"),
        sa.UniqueConstraint("username", name="uq_inbox_accounts_username"),
    )
    op.create_index("ix_inbox_accounts_org", "inbox_accounts", ["org"])
    op.create_index("ix_inbox_accounts_enrol_hash", "inbox_accounts", ["enrol_hash"])
    op.create_table(
        "inbox_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_inbox_sessions"),
    )
    op.create_index("ix_inbox_sessions_account_id", "inbox_sessions", ["account_id"])
    op.create_table(
        "inbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.String(256), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_events"),
    )
    op.create_index("ix_inbox_events_org", "inbox_events", ["org"])
    op.create_table(
        "concern_hidden",
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_by", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("org", "reference", "account_id", name="pk_concern_hidden"),
    )


def downgrade() -> None:
    op.drop_table("concern_hidden")
    op.drop_index("ix_inbox_events_org", "inbox_events")
    op.drop_table("inbox_events")
    op.drop_index("ix_inbox_sessions_account_id", "inbox_sessions")
    op.drop_table("inbox_sessions")
    op.drop_index("ix_inbox_accounts_enrol_hash", "inbox_accounts")
    op.drop_index("ix_inbox_accounts_org", "inbox_accounts")
    op.drop_table("inbox_accounts")
