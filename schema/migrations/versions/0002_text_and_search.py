"""text extraction state, page texts, search documents and the FTS5 indexes

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_state",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blob.sha256", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ocr_state", sa.String(16), nullable=False),
        sa.Column("ocr_pages", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ocr_reason", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_text_state_state", "text_state", ["state"])
    op.create_index("ix_text_state_ocr_state", "text_state", ["ocr_state"])
    op.create_table(
        "blob_page",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blob.sha256", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("page", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "search_doc",
        sa.Column("material_id", sa.Integer(),
                  sa.ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("pages", sa.Text(), nullable=False),
        sa.Column("short", sa.Text(), nullable=False),
    )
    op.create_table("search_pending", sa.Column("material_id", sa.Integer(), primary_key=True))
    # Trigrams answer terms of 3+ characters (exact phrase match, bm25); the contentless
    # table of single characters and pairs answers 1-2 character terms (see docs/search.md).
    # A server archive (PostgreSQL) has no FTS5: its engine is the table of every 1- and
    # 2-character gram of each text with a B-tree index (desktop/core/search/grams.py).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_tri USING fts5(body, content='search_doc', "
                   "content_rowid='material_id', tokenize='trigram', detail=full)")
        op.execute("CREATE VIRTUAL TABLE search_bi USING fts5(short, content='', "
                   "tokenize='unicode61 remove_diacritics 0', detail=none)")
    else:
        op.execute("CREATE TABLE search_gram (gram TEXT NOT NULL, material_id INTEGER NOT NULL "
                   "REFERENCES material(id) ON DELETE CASCADE, PRIMARY KEY (gram, material_id))")
        op.execute("CREATE INDEX ix_search_gram_material_id ON search_gram (material_id)")
    # every stored file is waiting for its text
    op.execute("INSERT INTO text_state(sha256, state, ocr_state, ocr_pages, reason, ocr_reason, "
               "chars) SELECT sha256, 'pending', 'none', '[]', '', '', 0 FROM blob")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_bi")
        op.execute("DROP TABLE search_tri")
    else:
        op.execute("DROP TABLE search_gram")
    op.drop_table("search_pending")
    op.drop_table("search_doc")
    op.drop_table("blob_page")
    op.drop_table("text_state")
