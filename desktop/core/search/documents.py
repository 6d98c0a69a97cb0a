"""Keeping search_doc and the FTS5 tables in step with the data, inside the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.core.models import BlobPage, Material, SearchDoc, SearchPending
from desktop.core.search.textnorm import normalize, short_tokens


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
    indexes). `pending` also queues them for an out-of-database engine."""
    ids = sorted(set(material_ids))
    if not ids:
        return
    session.flush()
    materials = {m.id: m for m in session.scalars(select(Material).where(Material.id.in_(ids)))}
    shas = {f.sha256 for m in materials.values() for f in m.files}
    pages_of: dict[str, list[BlobPage]] = {}
    for page in session.scalars(select(BlobPage).where(BlobPage.sha256.in_(shas))
                                .order_by(BlobPage.sha256, BlobPage.page)):
        pages_of.setdefault(page.sha256, []).append(page)
    drop(session, ids, pending=pending)
    conn = session.connection()
    for material_id in ids:
        material = materials.get(material_id)
        if material is None:
            continue
        body, refs = build_body(material, pages_of)
        short = short_tokens(body)
        session.add(SearchDoc(material_id=material_id, body=body, short=short,
                              pages=json.dumps(refs, ensure_ascii=False)))
        session.flush()
        conn.execute(text("INSERT INTO search_tri(rowid, body) VALUES(:id, :body)"),
                     {"id": material_id, "body": body})
        conn.execute(text("INSERT INTO search_bi(rowid, short) VALUES(:id, :short)"),
                     {"id": material_id, "short": short})


def drop(session: Session, material_ids: Iterable[int], *, pending: bool = False) -> None:
    """Remove materials from the indexes; call before deleting the materials themselves."""
    conn = session.connection()
    for material_id in sorted(set(material_ids)):
        old = session.get(SearchDoc, material_id)
        if old is not None:
            conn.execute(text("INSERT INTO search_tri(search_tri, rowid, body) "
                              "VALUES('delete', :id, :body)"),
                         {"id": material_id, "body": old.body})
            conn.execute(text("INSERT INTO search_bi(search_bi, rowid, short) "
                              "VALUES('delete', :id, :short)"),
                         {"id": material_id, "short": old.short})
            session.delete(old)
        if pending and session.get(SearchPending, material_id) is None:
            session.add(SearchPending(material_id=material_id))
    session.flush()


def page_at(refs: list, offset: int) -> PageRef | None:
    """The file page that holds `offset` of the body (None: the metadata part)."""
    found = None
    for ref in refs:
        if ref[0] > offset:
            break
        found = ref
    return PageRef(*found) if found else None
