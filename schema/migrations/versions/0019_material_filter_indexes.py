"""indexes on the material columns that filters and the material table select by: 责任单位
(department_id), 材料类型 (material_type), state and material_date. A search with a 责任单位 read
every material's row to find the allowed ones (7 ms of CPU at 50,000 materials, for 2,000);
by index it reads those only.

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

COLUMNS = ("department_id", "material_type", "state", "material_date")


def upgrade() -> None:
    for column in COLUMNS:
        op.create_index(f"ix_material_{column}", "material", [column])


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_index(f"ix_material_{column}", table_name="material")
