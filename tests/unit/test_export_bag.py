"""Writing the bag: cancelling leaves nothing, a failed DOCX conversion keeps the original."""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress
from desktop.core.export import bag, convert
from desktop.core.export.plan import FORM_NAME, archive_rules, make_plan
from desktop.core.export.verify import verify_export
from tests.conftest import build_reviewed_archive


@pytest.fixture
def reviewed(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "档案"
    build_reviewed_archive(root, tmp_path / "home", tmp_path / "files")
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(tmp_path / "home")}), \
            Archive.open(root) as archive:
        yield archive


def test_cancelling_leaves_no_export_and_no_partial_file(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(reviewed, archive_rules(reviewed))
    out = tmp_path / "导出.zip"
    calls = iter(range(100))
    with pytest.raises(bag.ExportCancelled):
        bag.write_export(reviewed, plan, out,
                         progress=Progress(cancelled=lambda: next(calls) >= 3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_a_failed_docx_conversion_keeps_the_original(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(docx: Path, work_dir: Path, timeout_s: float = 120) -> Path:
        raise convert.ConversionError(f"未能把 {docx.name} 转为 PDF（测试）；将保留 DOCX 原件")

    monkeypatch.setattr(convert, "docx_to_pdf", refuse)
    plan = make_plan(reviewed, replace(archive_rules(reviewed), docx_to_pdf=True),
                     soffice="/usr/bin/soffice")
    planned = [f for m in plan.materials for f in m.files if f.source_kind == "docx"]
    assert planned and all(f.action == "docx_pdf" and f.path.endswith(".pdf") for f in planned)
    out = tmp_path / "导出.zip"
    result = bag.write_export(reviewed, plan, out)
    assert any("通知.docx" in note and "保留 DOCX 原件" in note for note in result.notes)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert any(n.endswith("002_志愿服务活动通知.docx") for n in names)
    assert not any(n.endswith("002_志愿服务活动通知.pdf") for n in names)
    assert verify_export(out).ok


def test_the_export_is_logged_in_the_audit_log(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from desktop.core.archive.models import AuditEntry

    bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), tmp_path / "导出.zip",
                     actor="经办人甲")
    with reviewed.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "export.write" and entry.actor == "经办人甲"
    assert "导出.zip" in entry.detail


def test_the_exports_digests_are_those_of_the_bytes_written(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ExportResult.digests: each payload file's SHA-256 and SM3, as a reader computes them."""
    out = tmp_path / "导出"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                              as_zip=False)
    assert result.digests and len(result.digests) == result.files
    for path, (sha, sm3) in result.digests.items():
        data = (out / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        assert hashlib.new("sm3", data).hexdigest() == sm3
    assert "digests" not in result.to_json()


def test_a_copy_takes_the_sm3_recorded_when_it_was_stored(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file copied as it is gets the SM3 its blob recorded at import (no SM3 computed over its
    bytes); a blob stored before that was recorded (migration 0020) has it computed as written.
    Either way each manifest line is the SM3 of the bytes in the bag."""
    from sqlalchemy import text

    plan = make_plan(reviewed, archive_rules(reviewed))
    copies = [f for m in plan.materials for f in m.files if f.action == "copy"]
    assert copies and all(f.source_sm3 for f in copies)
    fed: list[str] = []
    begin = bag._DigestPipe.begin

    def counted(self, path: str, expected=None):  # type: ignore[no-untyped-def]
        if expected is None or expected[1] is None:
            fed.append(path)  # its SM3 computed from the bytes written
        return begin(self, path, expected)

    with mock.patch.object(bag._DigestPipe, "begin", counted):
        result = bag.write_export(reviewed, plan, tmp_path / "导出", as_zip=False)
    assert not {f"data/{f.path}" for f in copies} & set(fed)  # none of them hashed again
    for f in copies:
        data = (tmp_path / "导出" / "data" / f.path).read_bytes()
        assert result.digests[f"data/{f.path}"][1] == hashlib.new("sm3", data).hexdigest()
    with reviewed.write("测试") as (session, _log):
        session.execute(text("UPDATE blob SET sm3 = NULL"))  # as stored before 0020
    older = make_plan(reviewed, archive_rules(reviewed))
    assert not any(f.source_sm3 for m in older.materials for f in m.files)
    again = bag.write_export(reviewed, older, tmp_path / "导出2.zip")
    copied = [f"data/{f.path}" for f in copies]
    assert [again.digests[p] for p in copied] == [result.digests[p] for p in copied]
    assert verify_export(tmp_path / "导出2.zip").ok


def test_verify_takes_a_known_sm3_only_for_the_bytes_it_was_computed_of(reviewed,  # type: ignore[no-untyped-def]
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "导出.zip"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out)
    assert verify_export(out, known=result.digests).ok
    path = next(p for p in result.digests if p.endswith(".pdf"))
    sha, _sm3 = result.digests[path]
    # the file read back has the SHA-256 the export computed: its SM3 is the export's (here a
    # wrong one, which the SM3 manifest then contradicts)
    wrong = verify_export(out, known={**result.digests, path: (sha, "0" * 64)})
    assert not wrong.ok
    [manifest] = [c for c in wrong.checks if c.code == "2-7"]
    assert any(path in p and "SM3" in p for p in manifest.problems)
    # a known SHA-256 that is not the file's: the SM3 is computed from the file again
    assert verify_export(out, known={**result.digests, path: ("f" * 64, "0" * 64)}).ok


def _without_time(report):  # type: ignore[no-untyped-def]
    data = report.to_json()
    data.pop("checked_at")
    return data


@pytest.mark.parametrize("as_zip", [True, False])
def test_the_streaming_check_reads_back_every_payload_file(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           as_zip: bool) -> None:
    """write_export(check=True) reads each payload file back as it is written; the final check
    with what it found gives the report a full check of the bag gives."""
    out = tmp_path / ("导出.zip" if as_zip else "导出")
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                              as_zip=as_zip, check=True)
    assert sorted(result.checked) == sorted(result.digests)
    for path, found in result.checked.items():
        assert found.sha256 == result.digests[path][0]
    report = verify_export(out, known=result.digests, checked=result.checked)
    assert report.ok
    assert _without_time(report) == _without_time(verify_export(out))
    assert "checked" not in result.to_json()


def test_a_copy_damaged_in_a_folder_refuses_the_export(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes on the disk are not those written: the SHA-256 the streaming check reads back
    is not the stored file's, and the stored file is sound, so the export says the copy was
    written wrong and leaves nothing."""
    from desktop.core.export import verify

    damaged: list[str] = []
    handed = verify.StreamCheck.file

    def damage(self, name: str, path: Path) -> None:  # type: ignore[no-untyped-def]
        if not damaged and name.endswith(".pdf"):
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0xFF
            path.write_bytes(bytes(data))
            damaged.append(name)
        handed(self, name, path)

    monkeypatch.setattr(verify.StreamCheck, "file", damage)
    out = tmp_path / "导出"
    with pytest.raises(ZichaError) as caught:
        bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                         as_zip=False, check=True)
    [name] = damaged
    assert name in str(caught.value) and "读回" in str(caught.value)
    assert "已损坏" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_a_converted_file_damaged_as_written_is_caught(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the export made itself (a 提交表) whose bytes on the disk are not those hashed
    while writing: the final check reads it and finds it changed."""
    from desktop.core.export import verify

    damaged: list[str] = []
    handed = verify.StreamCheck.file

    def damage(self, name: str, path: Path) -> None:  # type: ignore[no-untyped-def]
        if not damaged and name.endswith(FORM_NAME):
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0xFF
            path.write_bytes(bytes(data))
            damaged.append(name)
        handed(self, name, path)

    monkeypatch.setattr(verify.StreamCheck, "file", damage)
    out = tmp_path / "导出"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                              as_zip=False, check=True)
    [name] = damaged
    found = result.checked.get(name)  # kept only if its format checks passed
    assert found is None or found.sha256 != result.digests[name][0]
    report = verify_export(out, known=result.digests, checked=result.checked)
    assert not report.ok
    [manifest] = [c for c in report.checks if c.code == "2-7"]
    assert any(name in p and "文件被改动" in p for p in manifest.problems)


def test_a_zip_member_damaged_refuses_the_export(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A copied member whose bytes in the ZIP are not those written: the streaming check's
    CRC-32 differs, the member read back again is still wrong and the stored file is sound:
    the export says so and leaves nothing."""
    from desktop.core.export import verify

    damaged: list[str] = []
    handed = verify.StreamCheck.member

    def damage(self, name: str, zip_path: Path, info: zipfile.ZipInfo,  # type: ignore[no-untyped-def]
               same: tuple[Path, str] | None = None) -> None:
        if not damaged and name.endswith(".pdf") and info.compress_type == zipfile.ZIP_STORED:
            with open(zip_path, "r+b") as fh:  # a byte of its data, past the local header
                fh.seek(info.header_offset + 30 + len(info.filename.encode()) + 20 + 100)
                byte = fh.read(1)
                fh.seek(-1, os.SEEK_CUR)
                fh.write(bytes([byte[0] ^ 0xFF]))
            damaged.append(name)
        handed(self, name, zip_path, info, same)

    monkeypatch.setattr(verify.StreamCheck, "member", damage)
    out = tmp_path / "导出.zip"
    with pytest.raises(ZichaError) as caught:
        bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                         check=True)
    [name] = damaged
    assert name in str(caught.value) and "读回" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_the_streaming_check_keeps_only_files_that_passed(tmp_path: Path) -> None:
    """A file with any finding is left to the final check, which checks it as any other."""
    import pymupdf

    from desktop.core.export.verify import StreamCheck

    good = tmp_path / "好.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "text")
        doc.save(good)
    cut = tmp_path / "截断.pdf"
    cut.write_bytes(good.read_bytes()[:-40])
    script = tmp_path / "run.sh"
    script.write_bytes(b"#!/bin/sh\necho hi\n")
    check = StreamCheck()
    for path in (good, cut, script):
        check.file(f"data/{path.name}", path)
    found = check.close()
    assert sorted(found) == ["data/好.pdf"]
    assert found["data/好.pdf"].kind == "pdf"
    assert found["data/好.pdf"].sha256 == hashlib.sha256(good.read_bytes()).hexdigest()


def test_cancelling_with_the_streaming_check_leaves_nothing(reviewed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import threading

    plan = make_plan(reviewed, archive_rules(reviewed))
    for as_zip, out in ((True, tmp_path / "导出.zip"), (False, tmp_path / "导出")):
        calls = iter(range(100))
        with pytest.raises(bag.ExportCancelled):
            bag.write_export(reviewed, plan, out, as_zip=as_zip, check=True,
                             progress=Progress(cancelled=lambda c=calls: next(c) >= 5))
        assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]
    assert not [t for t in threading.enumerate() if t.name == "zicha-export-check"]


@pytest.mark.parametrize(("as_zip", "check"), [(True, True), (False, True), (True, False),
                                               (False, False)])
def test_a_stored_file_changed_since_import_is_not_exported(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             as_zip: bool, check: bool) -> None:
    """A draft takes every material as it is; a file copied as it is whose stored bytes are no
    longer those imported (same size, one byte changed) refuses the export, naming the file,
    and leaves nothing behind. (Its SHA-256 is the one the streaming check reads back, or
    without a check the one computed on the pipe's thread as it is copied.)"""
    import stat

    from desktop.core.common.errors import ZichaError

    plan = make_plan(reviewed, archive_rules(reviewed), all_stages=True)
    copy = next(f for m in plan.materials for f in m.files if f.action == "copy")
    stored = reviewed.store.path_for(copy.source_sha256)
    stored.chmod(stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    out = tmp_path / ("导出.zip" if as_zip else "导出")
    with pytest.raises(ZichaError) as caught:
        bag.write_export(reviewed, plan, out, as_zip=as_zip, check=check)
    assert copy.source_name in str(caught.value) and "已损坏" in str(caught.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_a_zip_is_flushed_to_the_disk_while_it_is_written(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The ZIP is flushed on a thread as it grows (every EVERY bytes), not only at its commit;
    the export is whole and passes its check."""
    synced: list[int] = []
    fsync = os.fsync

    def counted(fd: int) -> None:
        if threading.current_thread().name.startswith("zicha-export-fsync"):
            synced.append(fd)
        fsync(fd)

    monkeypatch.setattr(bag._EarlySync, "EVERY", 1)
    monkeypatch.setattr(bag.os, "fsync", counted)
    out = tmp_path / "导出.zip"
    result = bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                              check=True)
    assert len(synced) >= 2  # along the way, besides the commit's own flush
    assert verify_export(out, known=result.digests, checked=result.checked).ok


def test_a_failed_flush_while_writing_a_zip_leaves_nothing(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk refuses a flush started while the ZIP is written: the export fails with the
    write's message and no ZIP, complete or not, is left."""
    import errno

    from desktop.core.common.atomic import WriteFailed

    fsync = os.fsync

    def refused(fd: int) -> None:  # only the flushes started while writing
        if threading.current_thread().name.startswith("zicha-export-fsync"):
            raise OSError(errno.EIO, "Input/output error")
        fsync(fd)

    monkeypatch.setattr(bag._EarlySync, "EVERY", 1)
    monkeypatch.setattr(bag.os, "fsync", refused)
    out = tmp_path / "导出.zip"
    with pytest.raises(WriteFailed) as caught:
        bag.write_export(reviewed, make_plan(reviewed, archive_rules(reviewed)), out,
                         check=True)
    assert "导出.zip" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_the_streaming_check_takes_a_copied_member_as_its_stored_file(tmp_path: Path) -> None:
    """A member read back as the bytes of the file it was copied from is checked as that file
    (the format checks go by the member's name: a stored file has none); one whose bytes are
    not that file's is hashed and not kept, for the final check."""
    from desktop.core.export.verify import StreamCheck

    stored = tmp_path / "ab12cd"  # a store's file: no suffix
    stored.write_bytes(b"\xe5\xba\x8f\xe5\x8f\xb7,\xe4\xba\x8b\xe9\xa1\xb9\n1,\xe6\xb5\x8b\n")
    other = tmp_path / "other"
    other.write_bytes(b"something else\n")
    out = tmp_path / "bag.zip"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("bag/data/名单.csv", stored.read_bytes())
        z.writestr("bag/data/另一份.csv", stored.read_bytes())
    with zipfile.ZipFile(out) as z:
        infos = {i.filename: i for i in z.infolist()}
    sha = hashlib.sha256(stored.read_bytes()).hexdigest()
    check = StreamCheck()
    check.member("data/名单.csv", out, infos["bag/data/名单.csv"], (stored, sha))
    check.member("data/另一份.csv", out, infos["bag/data/另一份.csv"],
                 (other, hashlib.sha256(other.read_bytes()).hexdigest()))
    hashed = dict(check.read_back())
    found = check.close()
    assert hashed == {"data/名单.csv": sha, "data/另一份.csv": sha}
    assert sorted(found) == ["data/名单.csv"]
    assert found["data/名单.csv"].kind == "csv" and found["data/名单.csv"].sha256 == sha
    assert not [p for p in tmp_path.iterdir() if p.is_symlink()]


@pytest.mark.parametrize("as_zip", [True, False])
def test_a_stored_photo_changed_since_import_is_not_set_on_a_page(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  as_zip: bool) -> None:
    """A photo made into a page is read once and hashed while its page is made: one whose
    stored bytes are no longer those imported refuses the export, naming the file, and leaves
    nothing behind."""
    import stat

    plan = make_plan(reviewed, archive_rules(reviewed), all_stages=True)
    photo = next(f for m in plan.materials for f in m.files if f.action == "image_pdf")
    stored = reviewed.store.path_for(photo.source_sha256)
    stored.chmod(stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(stored.read_bytes())
    data[-3] ^= 0xFF  # in the JPEG's last scan data: it still opens
    stored.write_bytes(bytes(data))
    out = tmp_path / ("导出.zip" if as_zip else "导出")
    with pytest.raises(ZichaError) as caught:
        bag.write_export(reviewed, plan, out, as_zip=as_zip, check=True)
    assert photo.source_name in str(caught.value) and "已损坏" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "home", "档案"]


def test_a_kernel_copy_that_fails_midway_leaves_nothing_for_the_plain_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel stops copying with an error (not a full disk), what it wrote is taken
    away and None returned: the plain copy then writes the whole file."""
    import errno

    source = tmp_path / "源"
    source.write_bytes(os.urandom(3 << 20))
    sendfile = os.sendfile
    calls: list[int] = []

    def once_then_refuse(out: int, in_: int, offset: int | None, count: int) -> int:
        calls.append(count)
        if len(calls) == 1:
            return sendfile(out, in_, offset, min(count, 1 << 20))
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(bag, "_SENDFILE", True)
    monkeypatch.setattr(bag.os, "sendfile", once_then_refuse)
    with open(tmp_path / "副本", "w+b") as dst:
        assert bag._kernel_copy(source, dst) is None
        dst.seek(0, os.SEEK_END)
        assert dst.tell() == 0
    assert len(calls) == 2


@pytest.mark.skipif(not bag._SENDFILE, reason="the kernel copies only on Linux")
def test_a_folder_export_copies_stored_files_in_the_kernel(reviewed, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Verbatim copies whose SM3 was recorded go through sendfile; the folder holds the stored
    bytes and passes its check."""
    copied: list[int] = []
    sendfile = os.sendfile

    def counted(out: int, in_: int, offset: int | None, count: int) -> int:
        copied.append(count)
        return sendfile(out, in_, offset, count)

    monkeypatch.setattr(bag.os, "sendfile", counted)
    plan = make_plan(reviewed, archive_rules(reviewed))
    copies = [f for m in plan.materials for f in m.files if f.action == "copy"]
    out = tmp_path / "导出"
    result = bag.write_export(reviewed, plan, out, as_zip=False, check=True)
    assert len(copied) >= len(copies) > 0
    for f in copies:
        assert (out / "data" / f.path).read_bytes() == \
            reviewed.store.path_for(f.source_sha256).read_bytes()
    assert verify_export(out, known=result.digests, checked=result.checked).ok
