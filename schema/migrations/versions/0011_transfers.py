"""报送包 between archives (docs/transfers.md): the packages this archive sent (transfer_out)
and what each carried of every material, task and problem (transfer_out_item), the packages it
applied with their merge reports (transfer_in), and the conflicts a merge left for a person to
settle (transfer_conflict), and which signed decisions came in a package (transfer_decision:
their audit-log anchors name the archive they were signed in)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer_out",
        sa.Column("package_id", sa.String(36), primary_key=True),
        sa.Column("to_archive", sa.String(36), nullable=False, index=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("since", sa.Integer(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
    )
    op.create_table(
        "transfer_out_item",
        sa.Column("package_id", sa.String(36),
                  sa.ForeignKey("transfer_out.package_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("uid", sa.String(36), primary_key=True, index=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(64), nullable=False),
    )
    op.create_table(
        "transfer_in",
        sa.Column("package_id", sa.String(36), primary_key=True),
        sa.Column("from_archive", sa.String(36), nullable=False, index=True),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.String(40), nullable=False),
        sa.Column("applied_by", sa.String(200), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
    )
    op.create_table(
        "transfer_conflict",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("package_id", sa.String(36), sa.ForeignKey("transfer_in.package_id"),
                  nullable=False, index=True),
        sa.Column("material_uid", sa.String(36), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("resolved_at", sa.String(40), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=False),
        sa.Column("resolution", sa.String(16), nullable=False),
    )
    op.create_table(
        "transfer_decision",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("package_id", sa.String(36), sa.ForeignKey("transfer_in.package_id"),
                  nullable=False, index=True),
        sa.Column("from_archive", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("transfer_decision")
    op.drop_table("transfer_conflict")
    op.drop_table("transfer_in")
    op.drop_table("transfer_out_item")
    op.drop_table("transfer_out")
