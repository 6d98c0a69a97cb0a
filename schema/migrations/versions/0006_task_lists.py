"""task lists (任务清单): each list a bureau receives is a record of its own, with its kind
(材料自查 / 省级部门评价项目 / 创新特色 …) and the mapping of its own headings to 测评项目;
tasks belong to a list, and a task is unique per list

Revision ID: 0006
Revises: 0005
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DEFAULT_KIND = "材料自查"
# 0004 left the task's unique constraint unnamed; batch mode finds it by this convention
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    op.create_table(
        "task_list",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        sa.Column("imported_by", sa.String(200), nullable=False),
    )
    conn = op.get_bind()
    has_tasks = conn.execute(sa.text("SELECT count(*) FROM task")).scalar()
    if has_tasks:  # the tasks imported before lists had kinds were the 材料自查 list
        conn.execute(sa.text(
            "INSERT INTO task_list (id, kind, name, source_file, mapping, imported_at, "
            "imported_by) VALUES (1, :kind, :kind, '', '{}', :at, '')"),
            {"kind": DEFAULT_KIND, "at": dt.datetime.now(dt.UTC).replace(tzinfo=None)})
        if conn.dialect.name == "postgresql":  # the id given above: the next one is 2
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('task_list', 'id'), 1)"))
    with op.batch_alter_table("task") as batch:  # ALTER TABLE ADD COLUMN, no copy
        batch.add_column(sa.Column("list_id", sa.Integer(), nullable=True))
    conn.execute(sa.text("UPDATE task SET list_id = 1"))
    # the copy below drops the old table, and dropping it nulls problem.task_id (ON DELETE
    # SET NULL with foreign keys on): keep the links and put them back
    links = conn.execute(sa.text(
        "SELECT id, task_id FROM problem WHERE task_id IS NOT NULL")).fetchall()
    old_unique = _old_unique(conn)
    with op.batch_alter_table("task", naming_convention=NAMING) as batch:
        batch.alter_column("list_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint(old_unique, type_="unique")
        batch.create_foreign_key("fk_task_list_id", "task_list", ["list_id"], ["id"])
        batch.create_unique_constraint("uq_task_list_node_department",
                                       ["list_id", "node_code", "department_id"])
        batch.create_index("ix_task_list_id", ["list_id"])
    for problem_id, task_id in links:
        conn.execute(sa.text("UPDATE problem SET task_id = :t WHERE id = :p"),
                     {"t": task_id, "p": problem_id})


def _old_unique(conn: sa.Connection) -> str:
    """The name of the task's unique constraint on (node_code, department_id): on SQLite the
    one NAMING gives it; PostgreSQL named 0004's itself (task_node_code_department_id_key),
    while a downgrade of this script names it uq_task_node_code, so it is looked up."""
    if conn.dialect.name == "sqlite":
        return "uq_task_node_code"
    for unique in sa.inspect(conn).get_unique_constraints("task"):
        if unique["column_names"] == ["node_code", "department_id"] and unique["name"]:
            return str(unique["name"])
    raise RuntimeError("表 task 上没有 (node_code, department_id) 唯一约束，无法迁移到任务清单")


def downgrade() -> None:
    conn = op.get_bind()
    # keep one task per item and department (the first list's) so the old constraint holds
    conn.execute(sa.text(
        "DELETE FROM task WHERE id NOT IN (SELECT min(id) FROM task "
        "GROUP BY node_code, department_id)"))
    links = conn.execute(sa.text(
        "SELECT id, task_id FROM problem WHERE task_id IS NOT NULL")).fetchall()
    with op.batch_alter_table("task") as batch:
        batch.drop_index("ix_task_list_id")
        batch.drop_constraint("uq_task_list_node_department", type_="unique")
        batch.drop_constraint("fk_task_list_id", type_="foreignkey")
        batch.drop_column("list_id")
        batch.create_unique_constraint("uq_task_node_code", ["node_code", "department_id"])
    for problem_id, task_id in links:
        conn.execute(sa.text("UPDATE problem SET task_id = :t WHERE id = :p"),
                     {"t": task_id, "p": problem_id})
    op.drop_table("task_list")
