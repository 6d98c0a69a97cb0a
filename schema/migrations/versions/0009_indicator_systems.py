"""more than one indicator system in an archive: the city system and those the bureau adds
(未成年人思想道德建设, 文明村镇 …); every 测评项目 and 测评内容 belongs to one, and a task list
may be of one

Revision ID: 0009
Revises: 0008
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DEFAULT_ID = "cn-wmcs-2023-prefecture"


def upgrade() -> None:
    op.create_table(
        "indicator_system",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("prefix", sa.String(8), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("edition", sa.String(32), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
    )
    conn = op.get_bind()
    # an archive being created gets its system from Archive.create; one made before has one
    existing = conn.execute(sa.text("SELECT count(*) FROM archive_info")).scalar()
    info = dict(conn.execute(sa.text(
        "SELECT key, value FROM archive_info WHERE key IN ('system_id', 'system_label')")).all())
    system_id = info.get("system_id") or DEFAULT_ID
    label = info.get("system_label") or "全国文明城市（地级以上）测评体系（2023年版）"
    edition = re.search(r"（(\d{4})年版）$", label)
    name = label[:edition.start()] if edition else label
    if existing:
        conn.execute(sa.text(
            "INSERT INTO indicator_system (id, prefix, name, edition, level, weight, position, "
            "source) VALUES (:id, '', :name, :edition, :level, NULL, 0, 'shipped')"),
            {"id": system_id, "name": name, "edition": edition[1] if edition else "",
             "level": "地级以上城市" if system_id == DEFAULT_ID else ""})
    with op.batch_alter_table("indicator_node") as batch:
        batch.add_column(sa.Column("system_id", sa.String(64), nullable=True))
    conn.execute(sa.text("UPDATE indicator_node SET system_id = :id"), {"id": system_id})
    with op.batch_alter_table("indicator_node") as batch:  # a copy: foreign keys are off
        batch.alter_column("system_id", existing_type=sa.String(64), nullable=False)
        batch.create_foreign_key("fk_indicator_node_system_id", "indicator_system",
                                 ["system_id"], ["id"])
        batch.create_index("ix_indicator_node_system_id", ["system_id"])
    with op.batch_alter_table("task_list") as batch:
        batch.add_column(sa.Column("system_id", sa.String(64), nullable=True))
        batch.create_foreign_key("fk_task_list_system_id", "indicator_system",
                                 ["system_id"], ["id"])


def downgrade() -> None:
    conn = op.get_bind()
    others = conn.execute(sa.text(
        "SELECT count(*) FROM indicator_node n JOIN indicator_system s ON s.id = n.system_id "
        "WHERE s.prefix != ''")).scalar()
    if others:
        raise RuntimeError("档案中有其他测评体系的测评项目，无法降级到只有一个测评体系的版本")
    with op.batch_alter_table("task_list") as batch:
        batch.drop_constraint("fk_task_list_system_id", type_="foreignkey")
        batch.drop_column("system_id")
    with op.batch_alter_table("indicator_node") as batch:
        batch.drop_index("ix_indicator_node_system_id")
        batch.drop_constraint("fk_indicator_node_system_id", type_="foreignkey")
        batch.drop_column("system_id")
    op.drop_table("indicator_system")
