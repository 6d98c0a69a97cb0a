"""负面清单: risks and events that cost points or the nomination, each with its 测评项目, the
responsible department, its 防范措施, whether (and when) it occurred, and the 处置 record with
evidence materials

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "negative_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("node_code", sa.String(32), sa.ForeignKey("indicator_node.code"),
                  nullable=True, index=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"),
                  nullable=True),
        sa.Column("prevention", sa.Text(), nullable=False),
        sa.Column("occurred", sa.Boolean(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("disposal", sa.Text(), nullable=False),
        sa.Column("disposed_at", sa.DateTime(), nullable=True),
        sa.Column("disposed_by", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "negative_evidence",
        sa.Column("negative_id", sa.Integer(),
                  sa.ForeignKey("negative_item.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("negative_evidence")
    op.drop_table("negative_item")
