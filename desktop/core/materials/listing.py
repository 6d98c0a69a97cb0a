"""The material table one page at a time: what a window shows of tens of thousands of
materials without reading them all. Sorting, filtering and counting happen in the database;
a page is a list of light rows (plain tuples, no ORM objects), read by four set-at-a-time
statements whatever the page's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NamedTuple

from sqlalchemy import String, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop.core.archive.archive import Archive
from desktop.core.archive.kinds import ReviewState
from desktop.core.archive.models import (
    ArchivalNumber,
    Blob,
    Department,
    Filing,
    IndicatorNode,
    Material,
    MaterialFile,
)
from desktop.core.archive.systems import system_of
from desktop.core.common.errors import ZichaError
from desktop.core.materials.service import missing_fields, title_weakness
from desktop.core.review import archival

# the table's columns a page can be sorted by
SORTS = ("id", "title", "state", "type", "doc_number", "date", "department", "items", "pages",
         "archival")
PAGE = 200  # rows a window asks for at a time


class RowFile(NamedTuple):
    filename: str
    sha256: str
    kind: str


class Row(NamedTuple):
    """One line of the material table (the attribute names are MaterialView's)."""

    id: int
    title: str
    state: str
    material_type: str
    doc_number: str
    material_date: str | None  # ISO date
    department: str
    items: tuple[str, ...]
    page_count: int | None
    files: tuple[RowFile, ...]
    archival_number: str | None = None  # 档号 in force (review/archival.py)


@dataclass(frozen=True)
class Scope:
    """Which materials a table lists: those filed under `code` (a 测评项目 includes its 测评内容)
    or anywhere in the 测评体系 `system`; in one review `state`; only the 待完善 ones
    (`incomplete`); only those in `person`'s queue; whose fields contain `text`; only the
    materials `ids` (e.g. the hits of a search)."""

    code: str | None = None
    system: str | None = None
    state: str | None = None
    incomplete: bool = False
    person: str | None = None
    text: str = ""
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int  # rows in the whole listing
    offset: int  # the listing's row number of rows[0]
    position: int | None = None  # the row number of the material asked to be located


def page(archive: Archive, scope: Scope, *, sort: str = "id", descending: bool = False,
         offset: int = 0, limit: int = PAGE, locate: int | None = None) -> Page:
    """Rows `offset` .. `offset + limit` of the listing, with its row count. With `locate` (a
    material id) also its row number (None when it is not listed), and the page is the one
    around it when `offset` is negative."""
    if sort not in SORTS:
        raise ZichaError(f"不能按“{sort}”排序；可用: {'、'.join(SORTS)}")
    with archive.read() as session:
        where = _conditions(session, scope)
        order = _order(sort, descending)
        chosen = _chosen(archive, session, scope, where)
        if chosen is None and locate is None:
            total = int(session.scalar(select(func.count()).select_from(Material)
                                       .where(*where)) or 0)
            offset = max(0, min(offset, max(total - 1, 0)))
            ids = list(session.scalars(select(Material.id).where(*where).order_by(*order)
                                       .offset(offset).limit(limit)))
            return Page(_rows(session, ids), total, offset)
        ordered = list(session.scalars(select(Material.id).where(*where).order_by(*order)))
        if chosen is not None:
            ordered = [i for i in ordered if i in chosen]
        position = None
        if locate is not None:
            position = next((n for n, i in enumerate(ordered) if i == locate), None)
        if offset < 0:
            offset = max(0, (position or 0) - limit // 2)
        offset = max(0, min(offset, max(len(ordered) - 1, 0)))
        return Page(_rows(session, ordered[offset:offset + limit]), len(ordered), offset,
                    position)


def ids_at(archive: Archive, scope: Scope, rows: Sequence[tuple[int, int]], *,
           sort: str = "id", descending: bool = False) -> list[tuple[int, str]]:
    """(id, state) of the materials at these row ranges ([first, last] inclusive) of the
    listing: what a selection of rows not read yet stands for."""
    if sort not in SORTS:
        raise ZichaError(f"不能按“{sort}”排序；可用: {'、'.join(SORTS)}")
    with archive.read() as session:
        where = _conditions(session, scope)
        chosen = _chosen(archive, session, scope, where)
        ordered = list(session.execute(select(Material.id, Material.state).where(*where)
                                       .order_by(*_order(sort, descending))))
        listed = [(i, str(s)) for i, s in ordered if chosen is None or i in chosen]
        found: dict[int, str] = {}
        for first, last in rows:
            found.update(listed[max(first, 0):last + 1])
        return sorted(found.items())


def rows_of(archive: Archive, material_ids: Sequence[int]) -> list[Row]:
    """The rows of these materials (those that still exist), in id order."""
    with archive.read() as session:
        return _rows(session, sorted(set(material_ids)))


def state_counts(archive: Archive) -> dict[str, int]:
    """How many materials are in each review state (one aggregate statement)."""
    with archive.read() as session:
        return {str(state): int(n) for state, n in session.execute(
            select(Material.state, func.count()).group_by(Material.state))}


# -- what is listed ----------------------------------------------------------------------------

def _conditions(session: Session, scope: Scope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    dialect = session.get_bind().dialect.name
    if scope.system is not None:
        record = system_of(session, scope.system)
        where.append(Material.id.in_(
            select(Filing.material_id)
            .join(IndicatorNode, IndicatorNode.code == Filing.node_code)
            .where(IndicatorNode.system_id == record.id)))
    if scope.code:
        if session.get(IndicatorNode, scope.code) is None:
            raise ZichaError(f"未知的测评内容编号 {scope.code}",
                             hint="用 zicha items 查看本档案的编号")
        below = select(IndicatorNode.code).where(IndicatorNode.parent_code == scope.code)
        where.append(Material.id.in_(select(Filing.material_id).where(
            or_(Filing.node_code == scope.code, Filing.node_code.in_(below)))))
    if scope.state:
        try:
            ReviewState(scope.state)
        except ValueError:
            allowed = "、".join(s.value for s in ReviewState)
            raise ZichaError(f"未知的审核状态 {scope.state}；可用: {allowed}") from None
        where.append(Material.state == scope.state)
    text = scope.text.strip()
    if text:
        where.append(_matches(text, dialect))
    return where


def _archival_text(dialect: str) -> Any:
    """The 档号 as shown (全宗号-年度-保管期限-件号, year and 件号 of four digits), in SQL."""
    def four(column: Any) -> Any:
        if dialect == "sqlite":
            return func.substr(literal("0000") + cast(column, String), -4)
        return func.lpad(cast(column, String), 4, "0")

    return (ArchivalNumber.fonds + "-" + four(ArchivalNumber.year) + "-"
            + ArchivalNumber.retention + "-" + four(ArchivalNumber.piece))


def _matches(text: str, dialect: str) -> ColumnElement[bool]:
    """A material any of whose table cells contains `text` (case-insensitive for Latin
    letters): 编号, title, 文号, type, date, 责任单位, 测评内容 codes, state label or 档号."""
    from desktop.core.review.workflow import STATE_LABELS

    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def like(column: Any) -> ColumnElement[bool]:
        return column.ilike(pattern, escape="\\")

    states = [str(s) for s, label in STATE_LABELS.items() if text.lower() in label.lower()]
    return or_(
        like(cast(Material.id, String)), like(Material.title), like(Material.doc_number),
        like(Material.material_type), like(cast(Material.material_date, String)),
        Material.department_id.in_(select(Department.id).where(like(Department.name))),
        Material.id.in_(select(Filing.material_id).where(like(Filing.node_code))),
        Material.id.in_(select(ArchivalNumber.material_id).where(
            ArchivalNumber.withdrawn_at.is_(None), like(_archival_text(dialect)))),
        Material.state.in_(states) if states else literal(False))


def _chosen(archive: Archive, session: Session, scope: Scope,
            where: list[ColumnElement[bool]]) -> set[int] | None:
    """The ids the listing is limited to by what SQL cannot say (the queue, 待完善, given
    ids); None when nothing limits it so."""
    chosen: set[int] | None = set(scope.ids) if scope.ids is not None else None
    if scope.person is not None:
        from desktop.core.review.worklist import my_queue

        mine = set(my_queue(archive, scope.person))
        chosen = mine if chosen is None else chosen & mine
    if scope.incomplete:
        lacking = _incomplete(session, where)
        chosen = lacking if chosen is None else chosen & lacking
    return chosen


def _incomplete(session: Session, where: list[ColumnElement[bool]]) -> set[int]:
    """The 待完善 materials among those listed (as service.missing_fields decides): the
    missing date, type or 责任单位 in SQL, then the titles of the others, and the file names
    only of those whose title looks generated."""
    lacking = set(session.scalars(select(Material.id).where(*where, or_(
        Material.material_date.is_(None), Material.material_type == "其他",
        Material.department_id.is_(None)))))
    maybe: dict[int, str] = {}
    for material_id, title in session.execute(select(Material.id, Material.title)
                                              .where(*where)):
        if material_id in lacking:
            continue
        weak = title_weakness(title)
        if weak == "missing":
            lacking.add(material_id)
        elif weak:
            maybe[material_id] = title.strip()
    if maybe:
        for material_id, filename in session.execute(
                select(MaterialFile.material_id, MaterialFile.filename)
                .where(MaterialFile.material_id.in_(select(Material.id).where(*where)))):
            if maybe.get(material_id) == PurePath(filename).stem.strip():
                lacking.add(material_id)
    return lacking


def _order(sort: str, descending: bool) -> list[Any]:
    from desktop.core.review.workflow import STATE_LABELS

    key: Any
    if sort == "id":
        return [Material.id.desc() if descending else Material.id.asc()]
    if sort == "title":
        key = Material.title
    elif sort == "state":
        key = case({str(s): label for s, label in STATE_LABELS.items()},
                   value=Material.state, else_=Material.state)
    elif sort == "type":
        key = Material.material_type
    elif sort == "doc_number":
        key = Material.doc_number
    elif sort == "date":
        key = func.coalesce(cast(Material.material_date, String), "")
    elif sort == "department":
        key = func.coalesce(select(Department.name).where(
            Department.id == Material.department_id).scalar_subquery(), "")
    elif sort == "items":  # as the joined codes read: the first, then fewer, then the last
        def codes(aggregate: Any) -> Any:
            return select(aggregate).where(Filing.material_id == Material.id).scalar_subquery()

        first, last = codes(func.min(Filing.node_code)), codes(func.max(Filing.node_code))
        count = codes(func.count())
        if descending:
            return [func.coalesce(first, "").desc(), count.desc(),
                    func.coalesce(last, "").desc(), Material.id.asc()]
        return [func.coalesce(first, "").asc(), count.asc(), func.coalesce(last, "").asc(),
                Material.id.asc()]
    elif sort == "archival":  # as the 档号 reads; none first
        def part(column: Any, empty: Any) -> Any:
            return func.coalesce(select(column).where(
                ArchivalNumber.material_id == Material.id,
                ArchivalNumber.withdrawn_at.is_(None)).scalar_subquery(), empty)

        parts = [part(ArchivalNumber.fonds, ""), part(ArchivalNumber.year, -1),
                 part(ArchivalNumber.retention, ""), part(ArchivalNumber.piece, -1)]
        return [p.desc() if descending else p.asc() for p in parts] + [Material.id.asc()]
    else:  # pages
        key = func.coalesce(select(func.sum(Blob.page_count))
                            .join(MaterialFile, MaterialFile.sha256 == Blob.sha256)
                            .where(MaterialFile.material_id == Material.id)
                            .scalar_subquery(), 0)
    # equal keys keep the id order, as a stable sort of the id-ordered rows would
    return [key.desc() if descending else key.asc(), Material.id.asc()]


# -- the rows of a page --------------------------------------------------------------------------

def _rows(session: Session, ids: list[int]) -> list[Row]:
    if not ids:
        return []
    items: dict[int, list[str]] = {}
    for material_id, code in session.execute(
            select(Filing.material_id, Filing.node_code).where(Filing.material_id.in_(ids))):
        items.setdefault(material_id, []).append(code)
    files: dict[int, list[RowFile]] = {}
    pages: dict[int, int] = {}
    for material_id, filename, sha, kind, count in session.execute(
            select(MaterialFile.material_id, MaterialFile.filename, MaterialFile.sha256,
                   Blob.kind, Blob.page_count)
            .join(Blob, Blob.sha256 == MaterialFile.sha256)
            .where(MaterialFile.material_id.in_(ids))
            .order_by(MaterialFile.material_id, MaterialFile.position)):
        files.setdefault(material_id, []).append(RowFile(filename, sha, kind))
        if count:
            pages[material_id] = pages.get(material_id, 0) + count
    numbers = archival.numbers_of(session, ids)
    found: dict[int, Row] = {}
    for material_id, title, state, kind, number, day, department in session.execute(
            select(Material.id, Material.title, Material.state, Material.material_type,
                   Material.doc_number, Material.material_date, Department.name)
            .outerjoin(Department, Department.id == Material.department_id)
            .where(Material.id.in_(ids))):
        found[material_id] = Row(
            material_id, title, str(state), kind, number or "",
            day.isoformat() if isinstance(day, dt.date) else None, department or "",
            tuple(sorted(items.get(material_id, ()))), pages.get(material_id),
            tuple(files.get(material_id, ())),
            given.text if (given := numbers.get(material_id)) else None)
    return [found[i] for i in ids if i in found]


def incomplete(row: Row) -> list[str]:
    """What a row still lacks (desktop.core.materials.service.INCOMPLETE_FIELDS keys)."""
    return missing_fields(row.title, row.material_date is not None, row.material_type,
                          bool(row.department), [f.filename for f in row.files])
