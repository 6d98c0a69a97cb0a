"""创新特色 / 加分 evidence: a material may be marked as bonus evidence, with the recognition
it shows (level 国家级/省级/市级, issuing body, date; each optional but the mark)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("material") as batch:  # ALTER TABLE ADD COLUMN, no copy
        batch.add_column(sa.Column("bonus", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("bonus_level", sa.String(16), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("bonus_issuer", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("bonus_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("material") as batch:
        for column in ("bonus_date", "bonus_issuer", "bonus_level", "bonus"):
            batch.drop_column(column)
