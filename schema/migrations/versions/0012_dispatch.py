"""下发包 and receipts (docs/transfers.md): which way a package went (transfer_out.kind,
transfer_in.kind: report = 报送包 department → city, dispatch = 下发包 city → department) and when
the city acknowledged a 报送包 this archive sent (transfer_out.acknowledged_at, from the receipt
a 下发包 carries)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer_out") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False,
                                   server_default="report"))
        batch.add_column(sa.Column("acknowledged_at", sa.String(40), nullable=True))
    with op.batch_alter_table("transfer_in") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False,
                                   server_default="report"))


def downgrade() -> None:
    with op.batch_alter_table("transfer_in") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("transfer_out") as batch:
        batch.drop_column("acknowledged_at")
        batch.drop_column("kind")
