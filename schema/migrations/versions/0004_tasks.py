"""task list (任务分解清单) tasks, problems found and their rectification (问题整改)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("node_code", sa.String(32), sa.ForeignKey("indicator_node.code"),
                  nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("material_requirement", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("deadline_kind", sa.String(16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_period", sa.String(16), nullable=True),
        sa.Column("deadline_text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(200), nullable=False),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("node_code", "department_id"),
    )
    op.create_index("ix_task_node_code", "task", ["node_code"])
    op.create_table(
        "problem",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("node_code", sa.String(32), sa.ForeignKey("indicator_node.code"),
                  nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("found_at", sa.Date(), nullable=False),
        sa.Column("found_by", sa.String(200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rectification", sa.Text(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_problem_node_code", "problem", ["node_code"])
    op.create_table(
        "problem_evidence",
        sa.Column("problem_id", sa.Integer(), sa.ForeignKey("problem.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("problem_evidence")
    op.drop_table("problem")
    op.drop_table("task")
