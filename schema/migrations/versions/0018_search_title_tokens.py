"""the short-term table also indexes each title's characters and pairs, marked ("zt" + token),
so that ranking a 1-2 character query finds the materials whose title holds a term by index
(desktop/core/search/fts.py), and keeps no per-row token counts (columnsize=0: nothing ranks by
it). search_bi is made again from search_doc and material; search_doc.short is what it was
given (the tokens are given again to delete a row). A server archive is unchanged.

Revision ID: 0018
Revises: 0017
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

CHUNK = 500
MARK = "zt"

# the text forms of desktop/core/search/textnorm.py at the time of this script
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_RUN = re.compile(r"[^\W_]+")


def _normalize(value: str) -> str:
    value = _CJK_GAP.sub("", unicodedata.normalize("NFKC", value))
    return _SPACES.sub(" ", value).strip()


def _tokens(value: str) -> list[str]:
    found: set[str] = set()
    for run in _RUN.findall(value.lower()):
        found.update(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    return sorted(found)


def _with_titles(body: str, title: str) -> str:
    return " ".join(_tokens(body) + [MARK + t for t in _tokens(_normalize(title))])


def _body_only(body: str, _title: str) -> str:
    return " ".join(_tokens(body))


def _remake(options: str, short) -> None:  # type: ignore[no-untyped-def]
    conn = op.get_bind()
    op.execute("DROP TABLE search_bi")
    op.execute("CREATE VIRTUAL TABLE search_bi USING fts5(short, content='', "
               f"tokenize='unicode61 remove_diacritics 0', detail=none{options})")
    last = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT s.material_id, s.body, m.title FROM search_doc AS s "
            "JOIN material AS m ON m.id = s.material_id WHERE s.material_id > :last "
            "ORDER BY s.material_id LIMIT :n"), {"last": last, "n": CHUNK}).all()
        if not rows:
            break
        values = [{"id": i, "short": short(body, title or "")} for i, body, title in rows]
        conn.execute(sa.text("UPDATE search_doc SET short = :short WHERE material_id = :id"),
                     values)
        conn.execute(sa.text("INSERT INTO search_bi(rowid, short) VALUES(:id, :short)"), values)
        last = rows[-1][0]
    op.execute("INSERT INTO search_bi(search_bi) VALUES('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake(", columnsize=0", _with_titles)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake("", _body_only)
