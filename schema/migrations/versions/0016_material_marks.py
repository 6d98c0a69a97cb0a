"""红线标注: a passage of a material's PDF page the clerk marked with a red line under its text
(issue 19, item 1): the stored file it is on (by SHA-256), the page, the text, the rectangles
of its lines in PDF points, who marked it and when. The stored file is never changed.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "material_mark",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blob.sha256"), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rects", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("material_mark")
