"""the server engine's folded texts (PostgreSQL only): search_fold holds each search document's
lower-cased text, its lower-cased title and its length, so that the check of a long term's
candidates and the ranking run inside the database (desktop/core/search/grams.py); a SQLite
archive is unchanged

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CHUNK = 500


def _fold(value: str) -> str:
    # the same folding as grams.fold at the time of this script
    return value.lower()


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        return
    op.execute("CREATE TABLE search_fold (material_id INTEGER PRIMARY KEY "
               "REFERENCES material(id) ON DELETE CASCADE, title TEXT NOT NULL, "
               "chars INTEGER NOT NULL, body TEXT NOT NULL)")
    # out of line and not compressed: a row stays narrow (the titles of many hits are read
    # without their texts) and a text is read without decompressing it
    op.execute("ALTER TABLE search_fold ALTER COLUMN body SET STORAGE EXTERNAL")
    # a longer list of the most common grams for the planner (which grams are rare)
    op.execute("ALTER TABLE search_gram ALTER COLUMN gram SET STATISTICS 1000")
    last = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT s.material_id, s.body, m.title FROM search_doc AS s "
            "JOIN material AS m ON m.id = s.material_id WHERE s.material_id > :last "
            "ORDER BY s.material_id LIMIT :n"), {"last": last, "n": CHUNK}).all()
        if not rows:
            break
        conn.execute(sa.text("INSERT INTO search_fold (material_id, title, chars, body) "
                             "VALUES (:id, :title, :chars, :body)"),
                     [{"id": i, "title": _fold(title or ""), "chars": len(body),
                       "body": _fold(body)} for i, body, title in rows])
        last = rows[-1][0]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_gram ALTER COLUMN gram SET STATISTICS -1")
    op.execute("DROP TABLE search_fold")
