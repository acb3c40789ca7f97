"""Keep a digest of each entry's payload, so retention can erase content and the chain still verifies.

Revision ID: 0002
Revises: 0001
"""
import hashlib

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("sealed_digest", sa.String(64), nullable=True))
    conn = op.get_bind()
    entries = sa.table("entries", sa.column("id", sa.Integer), sa.column("sealed", sa.LargeBinary),
                       sa.column("sealed_digest", sa.String))
    for row_id, sealed in conn.execute(sa.select(entries.c.id, entries.c.sealed).where(entries.c.sealed.isnot(None))):
        conn.execute(entries.update().where(entries.c.id == row_id)
                     .values(sealed_digest=hashlib.sha256(bytes(sealed)).hexdigest()))


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("sealed_digest")
