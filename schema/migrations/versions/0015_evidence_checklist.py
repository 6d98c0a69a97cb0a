"""Evidence checklist per 测评内容 (issue 19, item 2): the admin's own 材料要求 of an item
(item_checklist), the checklist's gaps recorded when a material is submitted for 初审 despite
them (submission_gap), and a photo caption's 背景 and 事由 beside 时间/地点/人物/主题

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("material") as batch:  # ALTER TABLE ADD COLUMN, no copy
        batch.add_column(sa.Column("caption_background", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("caption_reason", sa.Text(), nullable=False,
                                   server_default=""))
    op.create_table(
        "item_checklist",
        sa.Column("code", sa.String(32), sa.ForeignKey("indicator_node.code", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "submission_gap",
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("round", sa.Integer(), primary_key=True),
        sa.Column("gaps", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("submission_gap")
    op.drop_table("item_checklist")
    with op.batch_alter_table("material") as batch:
        for column in ("caption_reason", "caption_background"):
            batch.drop_column(column)
