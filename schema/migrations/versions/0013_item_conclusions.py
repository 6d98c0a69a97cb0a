"""结论性说明: what the clerk concludes for one 测评内容, printed in its 测评材料提交表 (issue 19,
item 3): the text, who wrote it and when

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_conclusion",
        sa.Column("code", sa.String(32), sa.ForeignKey("indicator_node.code", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(200), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("item_conclusion")
