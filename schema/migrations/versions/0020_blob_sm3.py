"""blob.sm3: the SM3 (GB/T 32905) of a stored file, computed as it is copied into the store,
beside its SHA-256. An export writes a copied file's manifest-sm3 line from it instead of
computing SM3 again over every byte it writes (243 MB/s here, a quarter of SHA-256's speed):
the bytes written are checked to be the blob's by their SHA-256, so the SM3 of the blob is
theirs. Files stored before this revision have none; an export computes theirs as before.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blob") as batch:
        batch.add_column(sa.Column("sm3", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("blob") as batch:
        batch.drop_column("sm3")
