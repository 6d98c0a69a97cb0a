"""Keeping search_doc and the FTS5 tables (on a server archive: the gram table) in step with the
data, inside the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from desktop.core.archive.models import BlobPage, Material, SearchDoc
from desktop.core.search import grams
from desktop.core.search.textnorm import normalize, short_text


@dataclass(frozen=True)
class PageRef:
    offset: int  # where the page's text starts in the body
    file: str  # file name
    position: int  # file position within the material
    page: int  # 0-based page within the file


def build_body(material: Material, pages_of: dict[str, list[BlobPage]]) -> tuple[str, list]:
    """The material's searchable text: its metadata, then every page of every file."""
    meta = [material.title, material.doc_number, material.description,
            material.department.name if material.department else "", material.caption_time,
            material.caption_place, material.caption_people, material.caption_subject,
            material.caption_background, material.caption_reason,
            *(f.filename for f in material.files)]
    body = normalize(" ".join(p for p in meta if p))
    refs: list[list] = []
    for f in material.files:
        for page in pages_of.get(f.sha256, []):
            piece = normalize(page.text)
            if not piece:
                continue
            body += " "
            refs.append([len(body), f.filename, f.position, page.page])
            body += piece
    return body, refs


def refresh(session: Session, material_ids: Iterable[int], *, pending: bool = False) -> None:
    """Rebuild the search documents of these materials (deleted ones are dropped from the
    indexes). `pending` also queues them for an out-of-database engine. Set-at-a-time: a batch
    of extraction results costs a few statements, not a few per material."""
    ids = sorted(set(material_ids))
    if not ids:
        return
    drop(session, ids, pending=pending)
    materials = list(session.scalars(select(Material).where(Material.id.in_(ids))))
    shas = {f.sha256 for m in materials for f in m.files}
    pages_of: dict[str, list[BlobPage]] = {}
    for page in session.scalars(select(BlobPage).where(BlobPage.sha256.in_(shas))
                                .order_by(BlobPage.sha256, BlobPage.page)):
        pages_of.setdefault(page.sha256, []).append(page)
    rows = []
    conn = session.connection()
    on_server = conn.dialect.name != "sqlite"  # a server archive: the gram table (grams.py)
    for material in materials:
        body, refs = build_body(material, pages_of)
        rows.append({"id": material.id, "body": body,
                     "short": "" if on_server else short_text(body, material.title),
                     "pages": json.dumps(refs, ensure_ascii=False)})
    if not rows:
        return
    conn.execute(text("INSERT INTO search_doc(material_id, body, pages, short) "
                      "VALUES(:id, :body, :pages, :short)"), rows)
    if on_server:
        grams.add(conn, rows)
        return
    conn.execute(text("INSERT INTO search_tri(rowid, body) VALUES(:id, :body)"), rows)
    conn.execute(text("INSERT INTO search_bi(rowid, short) VALUES(:id, :short)"), rows)


def drop(session: Session, material_ids: Iterable[int], *, pending: bool = False) -> None:
    """Remove materials from the indexes; call before deleting the materials themselves."""
    ids = sorted(set(material_ids))
    session.flush()
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        grams.drop(conn, ids)
        conn.execute(delete(SearchDoc).where(SearchDoc.material_id.in_(ids)))
        return
    old = [{"id": r[0], "body": r[1], "short": r[2]} for r in conn.execute(
        select(SearchDoc.material_id, SearchDoc.body, SearchDoc.short)
        .where(SearchDoc.material_id.in_(ids)))]
    if old:
        conn.execute(text("INSERT INTO search_tri(search_tri, rowid, body) "
                          "VALUES('delete', :id, :body)"), old)
        conn.execute(text("INSERT INTO search_bi(search_bi, rowid, short) "
                          "VALUES('delete', :id, :short)"), old)
        conn.execute(delete(SearchDoc).where(SearchDoc.material_id.in_([r["id"] for r in old])))
    if pending:
        conn.execute(text("INSERT OR IGNORE INTO search_pending(material_id) VALUES(:id)"),
                     [{"id": i} for i in ids])


def page_at(refs: list, offset: int) -> PageRef | None:
    """The file page that holds `offset` of the body (None: the metadata part)."""
    found = None
    for ref in refs:
        if ref[0] > offset:
            break
        found = ref
    return PageRef(*found) if found else None
