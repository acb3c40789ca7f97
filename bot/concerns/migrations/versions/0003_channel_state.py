"""Channel state: organisation per chat user, one-time web form links, long button payloads.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_members",
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("area", sa.String(64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "user_key", name="pk_channel_members"),
    )
    op.create_table(
        "form_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("reporter_key", sa.String(64), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_form_links"),
    )
    op.create_table(
        "button_payloads",
        sa.Column("key", sa.String(24), nullable=False),
        sa.Column("payload", sa.String(1024), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_button_payloads"),
    )


def downgrade() -> None:
    op.drop_table("button_payloads")
    op.drop_table("form_links")
    op.drop_table("channel_members")
