"""Hostile inputs through the real `zicha` command: zip bombs and a million rows in a task list,
a YAML alias bomb and an oversized profile, sparse and padded files, a document that needs
more memory than extraction may have. Each is refused (or its extraction stopped) in one line
naming the limit, within 60 s and 1 GB peak memory, measured for real (wall clock, and the
ru_maxrss of the command with every process it waited for). The big files are sparse: they
cost no disk. Each command runs under a 3 GB address-space cap so that a regression cannot
take the machine down; going over it fails the test all the same."""

from __future__ import annotations

import io
import os
import random
import resource
import signal
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.conftest import ZichaCli, build_pdf

MAX_SECONDS = 60.0
MAX_PEAK_MB = 1024.0
GB = 1024**3


@dataclass
class Measured:
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: bool


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * GB, 3 * GB))


def measured(cli: ZichaCli, *args: str | Path, timeout: float = 90) -> Measured:
    """Run `zicha ARGS`; its exit code, output, wall-clock seconds and peak resident memory
    (of the command and every child it waited for, e.g. the text-extraction process)."""
    out, err = (cli.cwd / f".out-{time.monotonic_ns()}", cli.cwd / f".err-{time.monotonic_ns()}")
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        proc = subprocess.Popen(cli.command(*args), cwd=cli.cwd, env=cli.env, stdout=stdout,
                                stderr=stderr, stdin=subprocess.DEVNULL, preexec_fn=_cap,
                                start_new_session=True)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    result = Measured(proc.returncode, out.read_text("utf-8", "replace"),
                      err.read_text("utf-8", "replace"), seconds, usage.ru_maxrss / 1024, killed)
    print(f"\n[bounds] {' '.join(str(a) for a in args[:2])} {Path(str(args[-1])).name}: "
          f"{seconds:.1f} s, peak {result.peak_mb:.0f} MB, exit {result.code}: "
          f"{result.stderr.strip()[:160]}")
    return result


def assert_refused(result: Measured, *needles: str) -> None:
    assert not result.killed, f"still running after {result.seconds:.0f} s"
    assert result.seconds <= MAX_SECONDS and result.peak_mb <= MAX_PEAK_MB, result
    assert result.code == 1, result
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and len(line) < 600, line[:600]
    assert "内部错误" not in line and "Traceback" not in line, line
    assert "上限" in line or "不支持" in line, line
    for needle in needles:
        assert needle in line, line


# -- task lists ---------------------------------------------------------------------------------

_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
               b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = b"</sheetData></worksheet>"


def _xlsx_with_sheet(path: Path, sheet_xml: Iterator[bytes]) -> Path:
    """A workbook made by openpyxl whose first sheet's XML is streamed from `sheet_xml`."""
    book = openpyxl.Workbook()
    book.active.title = "任务清单"
    book.active["A1"] = "测评内容"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                package.writestr(info, source.read(info.filename))
                continue
            member = zipfile.ZipInfo(info.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with package.open(member, "w", force_zip64=True) as handle:
                for chunk in sheet_xml:
                    handle.write(chunk)
    return path


def _bomb_rows(megabytes: int) -> Iterator[bytes]:
    """Cells without addresses: each costs openpyxl a Cell object, and compresses ~400:1."""
    yield _SHEET_HEAD
    block = b'<row><c t="n"><v>1</v></c></row>' * 32768
    for _ in range(megabytes * 1024 * 1024 // len(block)):
        yield block
    yield _SHEET_TAIL


def _million_rows() -> Iterator[bytes]:
    yield _SHEET_HEAD
    yield ('<row r="1"><c r="A1" t="inlineStr"><is><t>测评内容</t></is></c><c r="B1" '
           't="inlineStr"><is><t>牵头单位</t></is></c></row>').encode()
    for start in range(2, 1_000_001, 10_000):
        yield "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>'
                      for r in range(start, min(start + 10_000, 1_000_001))).encode()
    yield _SHEET_TAIL


@pytest.mark.slow
def test_a_task_list_zip_bomb_is_refused_before_it_inflates(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    bomb = _xlsx_with_sheet(tmp_path / "清单.xlsx", _bomb_rows(300))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    result = measured(zicha_cli, "tasks", "import", bomb, "--archive", cli_archive)
    assert_refused(result, "清单.xlsx", "解压后", "100 MB")


@pytest.mark.slow
def test_a_million_row_task_list_is_refused_at_the_row_limit(
        zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    listed = _xlsx_with_sheet(tmp_path / "百万行.xlsx", _million_rows())
    result = measured(zicha_cli, "tasks", "import", listed, "--archive", cli_archive)
    assert_refused(result, "百万行.xlsx", "20000 行上限")
    assert zicha_cli.ok_json("tasks", "list", "--archive", cli_archive) == []


# -- profiles -----------------------------------------------------------------------------------

_PROFILE_HEAD = "format: zicha-bureau-profile/1\nbureau:\n  name: 吴州市文明办\n  code: WZ-01\n"


def _alias_bomb(path: Path) -> Path:
    lines = [_PROFILE_HEAD, "departments:\n", '  - &a ["市", "市", "市", "市", "市", "市", "市", '
             '"市", "市", "市"]\n']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  - &{name} [{', '.join([f'*{previous}'] * 10)}]\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_yaml_alias_bomb_in_a_profile_is_refused(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    profile = _alias_bomb(tmp_path / "单位配置.yaml")
    result = measured(zicha_cli, "init", "--archive", tmp_path / "新档案", "--profile", profile)
    assert_refused(result, "单位配置.yaml", "别名")
    assert not (tmp_path / "新档案" / "zicha.db").exists()


def test_an_oversized_profile_is_refused(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(_PROFILE_HEAD.replace("吴州市文明办", "吴" * 3_000_000), "utf-8")
    result = measured(zicha_cli, "init", "--archive", tmp_path / "新档案", "--profile", profile)
    assert_refused(result, "单位配置.yaml", "2 MB 上限")


def test_a_long_bureau_name_gives_a_short_message(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(_PROFILE_HEAD.replace("吴州市文明办", "x" * 1_500_000), "utf-8")
    result = zicha_cli.run("init", "--archive", tmp_path / "新档案", "--profile", profile)
    line = result.stderr.strip()
    assert result.returncode == 1 and len(line) < 400, (result.returncode, len(line))
    assert "bureau/name" in line and "1500000" in line and "内部错误" not in line, line


@pytest.mark.parametrize("written", ["2024-13-45", '"2024-13-45"', '"明年六月"', "2024-06-31",
                                     '"2024-06-30T08:00"'])
def test_a_bad_evaluation_date_is_a_clear_message(zicha_cli: ZichaCli, tmp_path: Path,
                                                  written: str) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(f"{_PROFILE_HEAD}export:\n  evaluation_date: {written}\n", "utf-8")
    result = zicha_cli.run("init", "--archive", tmp_path / "新档案", "--profile", profile)
    line = result.stderr.strip()
    assert result.returncode == 1 and len(line.splitlines()) == 1, result
    assert "内部错误" not in line and "evaluation_date" in line and "YYYY-MM-DD" in line, line
    assert not (tmp_path / "新档案" / "zicha.db").exists()


def test_a_good_evaluation_date_still_applies(zicha_cli: ZichaCli, tmp_path: Path) -> None:
    profile = tmp_path / "单位配置.yaml"
    profile.write_text(f"{_PROFILE_HEAD}export:\n  evaluation_date: 2024-06-30\n", "utf-8")
    zicha_cli.ok("init", "--archive", tmp_path / "新档案", "--profile", profile)


# -- imported files -----------------------------------------------------------------------------

def _sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def _imported(cli: ZichaCli, archive: Path) -> list[object]:
    return cli.ok_json("list", "--archive", archive)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "head", "size", "needle"), [
    ("扫描件.pdf", b"%PDF-1.7\n", 20 * GB, "2 GB 上限"),
    ("说明.txt", "关于开展文明创建工作的说明\n".encode() * 400, 20 * GB, "2 GB 上限"),
    ("扫描件2.pdf", b"%PDF-1.7\n", 1536 * 1024 * 1024, "startxref"),
], ids=["sparse-20GB-pdf", "sparse-20GB-txt", "sparse-1.5GB-pdf"])
def test_a_huge_sparse_file_is_refused_quickly(zicha_cli: ZichaCli, cli_archive: Path,
                                               tmp_path: Path, name: str, head: bytes,
                                               size: int, needle: str) -> None:
    hostile = _sparse(tmp_path / name, head, size)
    result = measured(zicha_cli, "import", hostile, "--item", "01", "--archive", cli_archive)
    assert_refused(result, name, needle)
    assert _imported(zicha_cli, cli_archive) == []


def _padded_pdf(path: Path, size: int) -> Path:
    """A real PDF, then zeros up to `size`: its trailer is at the start, not at the end."""
    build_pdf(path)
    with path.open("r+b") as handle:
        handle.truncate(size)
    return path


@pytest.mark.slow
def test_a_padded_pdf_is_refused(zicha_cli: ZichaCli, cli_archive: Path, tmp_path: Path) -> None:
    padded = _padded_pdf(tmp_path / "填充.pdf", 300 * 1024 * 1024)
    result = measured(zicha_cli, "import", padded, "--item", "01", "--archive", cli_archive)
    assert_refused(result, "填充.pdf", "startxref", "100 MB 上限")
    assert _imported(zicha_cli, cli_archive) == []


@pytest.mark.slow
def test_a_text_header_then_zeros_is_not_stored_as_text(zicha_cli: ZichaCli, cli_archive: Path,
                                                        tmp_path: Path) -> None:
    padded = _sparse(tmp_path / "说明.txt", "关于开展文明创建工作的说明\n".encode() * 400,
                     300 * 1024 * 1024)
    result = measured(zicha_cli, "import", padded, "--item", "01", "--archive", cli_archive)
    assert not result.killed and result.seconds <= MAX_SECONDS, result
    assert result.code == 1 and "空字节" in result.stderr and "内部错误" not in result.stderr
    assert _imported(zicha_cli, cli_archive) == []


def _memory_hungry_docx(path: Path, megabytes: int) -> Path:
    """A DOCX whose document.xml is `megabytes` of short paragraphs: no bomb (it compresses
    about 9:1) but its parsed tree needs several times that in memory."""
    doc = Document()
    doc.add_paragraph("x")
    buffer = io.BytesIO()
    doc.save(buffer)
    numbers = random.Random(7)
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                package.writestr(info.filename, source.read(info.filename))
                continue
            head = source.read(info.filename).decode("utf-8").split("<w:body>")[0]
            member = zipfile.ZipInfo(info.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with package.open(member, "w", force_zip64=True) as handle:
                handle.write(f"{head}<w:body>".encode())
                written = 0
                while written < megabytes * 1024 * 1024:
                    chunk = "".join(f"<w:p><w:r><w:t>{numbers.randrange(10**6)}</w:t></w:r></w:p>"
                                    for _ in range(20_000)).encode()
                    handle.write(chunk)
                    written += len(chunk)
                handle.write(b"</w:body></w:document>")
    return path


@pytest.mark.slow
def test_extraction_stops_at_its_memory_limit(zicha_cli: ZichaCli, cli_archive: Path,
                                              tmp_path: Path) -> None:
    hungry = _memory_hungry_docx(tmp_path / "大文档.docx", 150)
    result = measured(zicha_cli, "import", hungry, "--item", "01", "--no-ocr",
                      "--archive", cli_archive)
    assert not result.killed and result.seconds <= MAX_SECONDS, result
    assert result.peak_mb <= MAX_PEAK_MB, result
    assert result.code == 0, result  # the file is kept; only its text could not be read
    failed = zicha_cli.ok("texts", "--failed", "--archive", cli_archive).stdout
    assert "大文档.docx" in failed and "内存超过 768 MB 上限" in failed, failed
