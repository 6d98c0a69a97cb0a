"""An import of many files parses them in extraction children (ingest.parse): the same rows as
parsing in the main process (titles, notes, refusals with their reasons), the text stored with
the material, and a cancelled import keeps what it reported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core.admin.fsck import verify_archive
from desktop.core.archive.archive import Archive
from desktop.core.archive.models import TextState
from desktop.core.common.progress import Cancelled, Progress
from desktop.core.materials import importer
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import list_materials
from tests.conftest import FileBuilder


def _damaged_docx(good: Path, path: Path) -> Path:
    """`good` repacked without compression, one byte of its text changed: the directory is
    whole (sniffing sees a DOCX), the member fails its CRC (only inflating it shows that)."""
    with zipfile.ZipFile(good) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    data = bytearray(path.read_bytes())
    at = data.index("文明交通".encode())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    return path


def _batch(file_builder: FileBuilder) -> Path:
    folder = file_builder.base / "批次"
    for n in range(8):
        file_builder.pdf(f"批次/{n:02d}-关于印发第{n}号工作方案的通知.pdf",
                         f"第{n}号方案正文，垃圾分类")
    file_builder.encrypted_pdf("批次/10-加密.pdf")
    file_builder.corrupt_pdf("批次/11-损坏.pdf")
    good = file_builder.docx("批次/12-通知.docx")
    _damaged_docx(good, folder / "13-内部损坏.docx")
    file_builder.xlsx("批次/14-台账.xlsx", [["序号", "事项"], [1, "志愿服务台账"]])
    file_builder.image("批次/15-现场.png", "PNG")
    file_builder.bytes("批次/16-说明.txt", "桶边督导说明".encode())
    return folder


def _rows(archive: Archive, folder: Path, workers: int) -> list[tuple]:
    rows = list(import_paths(archive, [folder], ImportOptions(codes=["01"], workers=workers)))
    return [(Path(r.path).name, r.status, r.title, r.reason, r.kind) for r in rows]


def test_children_give_the_rows_the_main_process_gives(tmp_path: Path,
                                                       file_builder: FileBuilder) -> None:
    folder = _batch(file_builder)
    assert len(list(folder.iterdir())) >= importer.PARSE_FROM
    with Archive.create(tmp_path / "本进程") as here, Archive.create(tmp_path / "子进程") as kids:
        in_main = _rows(here, folder, workers=0)
        in_children = _rows(kids, folder, workers=2)
        assert in_children == in_main
        status = {name: (state, reason) for name, state, _t, reason, _k in in_children}
        assert status["10-加密.pdf"][0] == "refused" and "加密" in status["10-加密.pdf"][1]
        assert status["11-损坏.pdf"][0] == "refused" and "损坏" in status["11-损坏.pdf"][1]
        assert status["13-内部损坏.docx"][0] == "refused"
        assert "document.xml" in status["13-内部损坏.docx"][1]
        assert status["00-关于印发第0号工作方案的通知.pdf"][0] == "stored"
        # the page counts the deep check found, as detect() finds them in the main process
        assert sorted(f.page_count or 0 for m in list_materials(kids) for f in m.files) == \
            sorted(f.page_count or 0 for m in list_materials(here) for f in m.files)
        with kids.read() as session:
            states = dict(session.execute(select(TextState.sha256, TextState.state)).all())
        with here.read() as session:
            waiting = set(session.scalars(select(TextState.state)))
        assert waiting == {"pending"}  # the main process leaves the text to the text pass
        assert set(states.values()) <= {"done", "no_text"}  # the children extracted it
        assert verify_archive(kids).ok


def test_text_is_searchable_right_after_the_import(core_archive: Archive,
                                                   file_builder: FileBuilder) -> None:
    from desktop.core.search import search

    folder = _batch(file_builder)
    list(import_paths(core_archive, [folder], ImportOptions(codes=["01"])))
    titles = {hit.title for hit in search(core_archive, "第3号方案正文").hits}
    assert titles == {"03-关于印发第3号工作方案的通知"}
    assert {hit.title for hit in search(core_archive, "志愿服务台账").hits} == {"14-台账"}


def test_a_cancelled_import_keeps_what_it_reported(core_archive: Archive,
                                                   file_builder: FileBuilder) -> None:
    for n in range(40):
        file_builder.pdf(f"多/{n:02d}.pdf", f"第{n}份材料")
    def step(done: int, total: int, _name: str) -> None:
        if done == 5:  # five files read, some still with the children: cancelled now
            progress.cancel()

    progress = Progress(step)
    rows = []
    with pytest.raises(Cancelled):
        for row in import_paths(core_archive, [file_builder.base / "多"],
                                ImportOptions(codes=["01"]), progress):
            rows.append(row)
    assert len(rows) == 5  # the files read before the cancel: committed and reported
    assert all(r.status == "stored" for r in rows)
    assert sorted(m.id for m in list_materials(core_archive)) == sorted(r.id for r in rows)
    report = verify_archive(core_archive)
    assert report.ok
    staging = core_archive.store.tmp
    assert not staging.is_dir() or not any(staging.iterdir())  # no copy left behind
