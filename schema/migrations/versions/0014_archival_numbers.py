"""档号 register (issue 19, item 4): one line per number given at 终审通过 (全宗号, 年度,
保管期限, 件号), the material it went to, when and by whom, and, once the material is deleted
or withdrawn, when, by whom and why; numbers are never reused or renumbered

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archival_number",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fonds", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(8), nullable=False),
        sa.Column("piece", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="SET NULL",
                                name="fk_archival_number_material"), nullable=True),
        sa.Column("material_uid", sa.String(36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(200), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=False),
        sa.UniqueConstraint("fonds", "year", "retention", "piece", name="uq_archival_number"),
    )
    op.create_index("ix_archival_number_active", "archival_number", ["material_id"],
                    unique=True, sqlite_where=sa.text("withdrawn_at IS NULL"),
                    postgresql_where=sa.text("withdrawn_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_archival_number_active", table_name="archival_number")
    op.drop_table("archival_number")
