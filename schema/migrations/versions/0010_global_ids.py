"""global ids that survive transfers between archives: every material, task list, task,
problem and 负面清单 line gets a UUID; a material brought from another archive keeps the
archive it was made in and its number there (both empty for one made here)

Revision ID: 0010
Revises: 0009
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("material", "task_list", "task", "problem", "negative_item")


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("uid", sa.String(36), nullable=True))
        ids = [row[0] for row in conn.execute(sa.text(f"SELECT id FROM {table}"))]
        for row_id in ids:
            conn.execute(sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"),
                         {"uid": str(uuid.uuid4()), "id": row_id})
        with op.batch_alter_table(table) as batch:  # a copy: foreign keys are off
            batch.alter_column("uid", existing_type=sa.String(36), nullable=False)
            batch.create_index(f"ix_{table}_uid", ["uid"], unique=True)
    with op.batch_alter_table("material") as batch:
        batch.add_column(sa.Column("origin_archive", sa.String(36), nullable=True))
        batch.add_column(sa.Column("origin_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("material") as batch:
        batch.drop_column("origin_id")
        batch.drop_column("origin_archive")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_uid")
            batch.drop_column("uid")
