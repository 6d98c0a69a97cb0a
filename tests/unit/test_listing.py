"""The material table's pages (desktop.core.materials.listing) list exactly what the whole-row
listing (service.list_materials) lists, in the order a stable sort of its rows by the shown
text would give, filtered as the old table filter did (any cell containing the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.archive.systems import systems
from desktop.core.common.errors import ZichaError
from desktop.core.materials import listing
from desktop.core.materials.service import (
    MaterialView,
    incomplete_fields,
    list_incomplete,
    list_materials,
)
from desktop.core.review.workflow import STATE_LABELS
from tests.bulk_archive import fill


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = fill(tmp_path_factory.mktemp("listing") / "档案", 240)
    with Archive.open(root, writable=False) as opened:
        yield opened


def shown(view: MaterialView, sort: str) -> object:
    """The text the table shows for `sort` (numbers for 编号 and 页数)."""
    return {"id": view.id, "title": view.title, "type": view.material_type,
            "state": STATE_LABELS[view.state],  # type: ignore[index]
            "doc_number": view.doc_number, "date": view.material_date or "",
            "department": view.department, "items": "、".join(view.items),
            "pages": view.page_count or 0, "archival": view.archival_number or ""}[sort]


def every(archive: Archive, scope: listing.Scope, **kw) -> list[listing.Row]:  # type: ignore[no-untyped-def]
    """The whole listing, read page by page."""
    rows: list[listing.Row] = []
    offset = 0
    while True:
        page = listing.page(archive, scope, offset=offset, limit=37, **kw)
        rows += page.rows
        offset += 37
        if offset >= page.total:
            assert len(rows) == page.total
            return rows


@pytest.mark.parametrize("sort", listing.SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_a_stable_sort_of_the_shown_text(archive, sort, descending) -> None:  # type: ignore[no-untyped-def]
    views = list_materials(archive)
    expected = sorted(views, key=lambda v: shown(v, sort), reverse=descending)
    if sort not in ("id",):  # equal keys keep the id order in both directions
        groups: dict[object, list[int]] = {}
        for v in expected:
            groups.setdefault(shown(v, sort), []).append(v.id)
        expected_ids = [i for key in dict.fromkeys(shown(v, sort) for v in expected)
                        for i in sorted(groups[key])]
    else:
        expected_ids = [v.id for v in expected]
    got = every(archive, listing.Scope(), sort=sort, descending=descending)
    assert [r.id for r in got] == expected_ids


def test_a_row_carries_what_the_table_shows(archive) -> None:  # type: ignore[no-untyped-def]
    views = {v.id: v for v in list_materials(archive)}
    for row in every(archive, listing.Scope()):
        view = views[row.id]
        assert (row.title, row.state, row.material_type, row.doc_number, row.material_date,
                row.department, list(row.items), row.page_count, row.archival_number) == (
            view.title, view.state, view.material_type, view.doc_number, view.material_date,
            view.department, view.items, view.page_count, view.archival_number)
        assert [(f.filename, f.sha256, f.kind) for f in row.files] == [
            (f.filename, f.sha256, f.kind) for f in view.files]
        assert listing.incomplete(row) == incomplete_fields(view)


@pytest.mark.parametrize("text", ["方案", "alpha", "BETA", "2024", "01.02", "待初审", "市城管",
                                  "_0001", "%", "7", "Z001-2023-D30", "-0004"])
def test_the_filter_matches_any_cell_containing_the_text(archive, text) -> None:  # type: ignore[no-untyped-def]
    def cells(v: MaterialView) -> list[str]:
        return [str(v.id), v.title, v.doc_number, v.material_type, v.material_date or "",
                v.department, *v.items, STATE_LABELS[v.state],  # type: ignore[index]
                v.archival_number or ""]

    expected = [v.id for v in list_materials(archive)
                if any(text.lower() in c.lower() for c in cells(v))]
    assert [r.id for r in every(archive, listing.Scope(text=text))] == expected


def test_scopes_match_the_whole_row_listing(archive) -> None:  # type: ignore[no-untyped-def]
    for code in ("01", "01.01", "03"):
        for state in (None, "draft", "final_approved"):
            assert [r.id for r in every(archive, listing.Scope(code=code, state=state))] == [
                v.id for v in list_materials(archive, code=code, state=state)]
            assert [r.id for r in every(archive, listing.Scope(
                code=code, state=state, incomplete=True))] == [
                v.id for v in list_incomplete(archive, code=code, state=state)]
    system = systems(archive)[0].id
    assert [r.id for r in every(archive, listing.Scope(system=system, text="方案"))] == [
        v.id for v in list_materials(archive, system=system) if "方案" in v.title]


def test_given_ids_locate_and_ids_at(archive) -> None:  # type: ignore[no-untyped-def]
    views = sorted(list_materials(archive), key=lambda v: v.title)
    hits = tuple(v.id for v in views[::5])
    rows = every(archive, listing.Scope(ids=hits), sort="title")
    assert sorted(r.id for r in rows) == sorted(hits)
    assert [r.title for r in rows] == sorted(r.title for r in rows)
    target = rows[len(rows) // 2].id
    page = listing.page(archive, listing.Scope(ids=hits), sort="title", offset=-1, limit=10,
                        locate=target)
    assert page.position == len(rows) // 2
    assert target in [r.id for r in page.rows]
    assert listing.page(archive, listing.Scope(), locate=10**6).position is None
    all_rows = every(archive, listing.Scope(), sort="title", descending=True)
    found = listing.ids_at(archive, listing.Scope(), [(3, 5), (100, 100)], sort="title",
                           descending=True)
    picked = [all_rows[n] for n in (3, 4, 5, 100)]
    assert found == sorted((r.id, r.state) for r in picked)


def test_counts_by_state(archive) -> None:  # type: ignore[no-untyped-def]
    views = list_materials(archive)
    assert listing.state_counts(archive) == {
        s: sum(v.state == s for v in views) for s in {v.state for v in views}}


def test_bad_input_is_refused_clearly(archive) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ZichaError, match="未知的测评内容编号 99"):
        listing.page(archive, listing.Scope(code="99"))
    with pytest.raises(ZichaError, match="未知的审核状态"):
        listing.page(archive, listing.Scope(state="lost"))
    with pytest.raises(ZichaError, match="不能按"):
        listing.page(archive, listing.Scope(), sort="colour")


def test_a_large_listing_is_read_a_page_at_a_time(tmp_path: Path) -> None:
    with Archive.open(fill(tmp_path / "档案", 3000), writable=False) as archive:
        page = listing.page(archive, listing.Scope(), sort="department", offset=2990, limit=50)
        assert page.total == 3000 and page.offset == 2990 and len(page.rows) == 10


def test_the_listing_on_either_database(tmp_path: Path, server_or_none: str | None) -> None:
    """The same pages on SQLite and PostgreSQL: filters and scopes exactly; sorts by the
    columns whose order no collation changes (numbers, ISO dates)."""
    root = fill(tmp_path / "档案", 120, server_url=server_or_none)
    with Archive.open(root, writable=False) as archive:
        views = list_materials(archive)
        for text in ("方案", "alpha", "01.02", "待复审", "2023-0", "Z001-2024-Y-00"):
            assert [r.id for r in every(archive, listing.Scope(text=text))] == [
                v.id for v in views if any(text.lower() in c.lower() for c in (
                    str(v.id), v.title, v.doc_number, v.material_type, v.material_date or "",
                    v.department, *v.items, STATE_LABELS[v.state],  # type: ignore[index]
                    v.archival_number or ""))]
        assert [r.id for r in every(archive, listing.Scope(code="01", state="draft"))] == [
            v.id for v in list_materials(archive, code="01", state="draft")]
        for sort in ("id", "pages", "date", "archival"):
            for descending in (False, True):
                got = every(archive, listing.Scope(), sort=sort, descending=descending)
                keys = [(shown(v, sort), v.id) for v in sorted(
                    views, key=lambda v: shown(v, sort), reverse=descending)]
                assert [r.id for r in got] == [i for _, i in sorted(
                    keys, key=lambda k: (k[0], -k[1] if descending else k[1]),
                    reverse=descending)]
        assert sum(listing.state_counts(archive).values()) == len(views)
