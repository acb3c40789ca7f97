"""Where to tell the worker when no lead acknowledges: their chat, encrypted.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alert_chains") as batch:
        batch.add_column(sa.Column("worker_sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_chains") as batch:
        batch.drop_column("worker_sealed")
