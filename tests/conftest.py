"""Shared fixtures.

Core and CLI tests (tests/unit, tests/e2e) use:
  - `file_builder`  : a FileBuilder that makes small real files (PDF, DOCX, XLSX, images, bad
                      files) under tmp_path/src; every file it makes has distinct content.
  - `core_archive`  : a fresh writable desktop.core Archive in tmp_path (closed afterwards).
  - `zicha_cli`     : runs the real `zicha` command (`python -m desktop`) in a subprocess with
                      ZICHA_HOME, ZICHA_ARCHIVE and the platform data dirs pointed into tmp_path.
  - `cli_archive`   : a path to a fresh archive made by `zicha init` (copied from one made once
                      per session, so each test does not pay for `init`).
GUI fixtures, if any, belong in their own clearly named section below.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# -- file builders (core and CLI tests) --------------------------------------------------------

_serial = itertools.count(1)


def build_pdf(path: Path, text: str = "文明城市创建工作材料", pages: int = 1) -> Path:
    """A real PDF with Chinese text on every page (unique per call)."""
    import pymupdf

    path.parent.mkdir(parents=True, exist_ok=True)
    n = next(_serial)
    with pymupdf.open() as doc:
        for page_no in range(pages):
            page = doc.new_page()
            page.insert_text((72, 72), f"{text}（第 {page_no + 1} 页，#{n}）", fontname="china-s")
        doc.save(path)
    return path


def build_encrypted_pdf(path: Path, text: str = "内部资料") -> Path:
    import pymupdf

    path.parent.mkdir(parents=True, exist_ok=True)
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), f"{text} #{next(_serial)}", fontname="china-s")
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="yonghu",
                 owner_pw="guanli")
    return path


def build_corrupt_pdf(path: Path) -> Path:
    """Starts like a PDF, then garbage: no objects, no xref, nothing MuPDF can repair."""
    path.parent.mkdir(parents=True, exist_ok=True)
    garbage = bytes((i * 73 + next(_serial)) % 251 for i in range(600))
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + garbage.replace(b"obj", b"xxx"))
    return path


def build_docx(path: Path, text: str = "关于开展文明交通志愿服务活动的通知") -> Path:
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_heading(text, level=1)
    document.add_paragraph(f"各责任单位：请按要求报送佐证材料。编号 {next(_serial)}")
    document.save(str(path))
    return path


def build_xlsx(path: Path, rows: Sequence[Sequence[Any]] | None = None) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows or [("序号", "测评内容", "责任单位"), (next(_serial), "01.01", "市委宣传部")]:
        ws.append(list(row))
    wb.save(str(path))
    return path


def build_image(path: Path, fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> Path:
    """A small image in `fmt` (JPEG, PNG, TIFF) whose pixels differ per call."""
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    n = next(_serial)
    img = Image.new("RGB", size, ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    ImageDraw.Draw(img).rectangle((4, 4, 4 + n % 40, 20), fill=(255, 255, 255))
    img.save(path, format=fmt)
    return path


def build_unreadable(path: Path) -> tuple[Path, str]:
    """A file that cannot be read, and how it was made.

    A normal user gets a real file with mode 000. root reads through mode bits, so as root the
    file is a symlink to /proc/self/mem, which exists but whose read fails with EIO.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not IS_ROOT:
        path.write_bytes(b"%PDF-1.7 unreadable")
        path.chmod(0)
        return path, "mode 000"
    path.symlink_to("/proc/self/mem")
    return path, "symlink to /proc/self/mem (running as root)"


class FileBuilder:
    """Makes files under `base` (paths may be relative to it, or absolute)."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def _at(self, name: str | Path) -> Path:
        path = Path(name)
        return path if path.is_absolute() else self.base / path

    def pdf(self, name: str | Path, text: str = "文明城市创建工作材料", pages: int = 1) -> Path:
        return build_pdf(self._at(name), text, pages)

    def encrypted_pdf(self, name: str | Path) -> Path:
        return build_encrypted_pdf(self._at(name))

    def corrupt_pdf(self, name: str | Path) -> Path:
        return build_corrupt_pdf(self._at(name))

    def docx(self, name: str | Path, text: str = "关于开展文明交通志愿服务活动的通知") -> Path:
        return build_docx(self._at(name), text)

    def xlsx(self, name: str | Path, rows: Sequence[Sequence[Any]] | None = None) -> Path:
        return build_xlsx(self._at(name), rows)

    def image(self, name: str | Path, fmt: str = "JPEG") -> Path:
        return build_image(self._at(name), fmt)

    def bytes(self, name: str | Path, data: bytes) -> Path:
        path = self._at(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def zip(self, name: str | Path, members: dict[str, str]) -> Path:
        """A plain ZIP archive (not an Office file) holding `members` (name -> text)."""
        path = self._at(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w") as zf:
            for member, content in members.items():
                zf.writestr(member, content)
        return path

    def unreadable(self, name: str | Path) -> tuple[Path, str]:
        return build_unreadable(self._at(name))


@pytest.fixture
def file_builder(tmp_path: Path) -> Iterator[FileBuilder]:
    builder = FileBuilder(tmp_path / "src")
    yield builder
    # let pytest remove mode-000 files left by build_unreadable
    if builder.base.is_dir():
        for path in builder.base.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)


# -- core archive (unit tests) -----------------------------------------------------------------


@pytest.fixture
def core_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # -> Archive
    from desktop.core.archive import Archive

    monkeypatch.setenv("ZICHA_USER", "测试员")
    archive = Archive.create(tmp_path / "档案")
    yield archive
    archive.close()


# -- the zicha command (e2e tests) -------------------------------------------------------------


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def succeeded(self) -> CliResult:
        """Assert the exit-code rule for success (exit 0, nothing on stderr); return self."""
        assert self.returncode == 0, str(self)
        assert self.stderr == "", str(self)
        return self

    def __str__(self) -> str:  # shown when an assertion about a run fails
        return (f"zicha {' '.join(self.args)} -> {self.returncode}\n"
                f"stdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}")


class ZichaCli:
    """Runs `python -m desktop ARGS` as a user would run `zicha ARGS`."""

    def __init__(self, home: Path, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZICHA_")}
        env.update({
            "ZICHA_HOME": str(home / "zicha-home"),
            "ZICHA_USER": "经办人甲",
            "XDG_DATA_HOME": str(home / "xdg-data"),
            "XDG_CONFIG_HOME": str(home / "xdg-config"),
            "PYTHONPATH": str(REPO),
            "PYTHONIOENCODING": "utf-8",
            "QT_QPA_PLATFORM": "offscreen",
        })
        self.env = env
        self.cwd = cwd

    def command(self, *args: str | Path) -> list[str]:
        return [sys.executable, "-m", "desktop", *map(str, args)]

    def run(self, *args: str | Path, timeout: float = 120) -> CliResult:
        proc = subprocess.run(self.command(*args), cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=timeout, check=False)
        return CliResult([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)

    def run_all(self, *calls: Sequence[str | Path], timeout: float = 120) -> list[CliResult]:
        """Run several commands at once (only ones that do not compete for the writer lock)."""
        procs = [subprocess.Popen(self.command(*args), cwd=self.cwd, env=self.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  encoding="utf-8") for args in calls]
        results = []
        for args, proc in zip(calls, procs, strict=True):
            out, err = proc.communicate(timeout=timeout)
            results.append(CliResult([str(a) for a in args], proc.returncode, out, err))
        return results

    def ok(self, *args: str | Path) -> CliResult:
        return self.run(*args).succeeded()

    def ok_json_all(self, *calls: Sequence[str | Path]) -> list[Any]:
        """run_all() of commands that must succeed, each with --json; their parsed output."""
        return [r.succeeded().json() for r in self.run_all(*([*c, "--json"] for c in calls))]

    def ok_json(self, *args: str | Path) -> Any:
        return self.ok(*args, "--json").json()

    def popen(self, *args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), cwd=self.cwd, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8")


@pytest.fixture
def zicha_cli(tmp_path: Path) -> ZichaCli:
    return ZichaCli(tmp_path, tmp_path)


@pytest.fixture(scope="session")
def _pristine_cli_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pristine")
    root = base / "档案"
    result = ZichaCli(base, base).run("init", "--archive", root)
    assert result.returncode == 0, str(result)
    return root


@pytest.fixture
def cli_archive(tmp_path: Path, _pristine_cli_archive: Path) -> Path:
    root = tmp_path / "档案"
    shutil.copytree(_pristine_cli_archive, root, symlinks=True)
    return root


def archive_snapshot(cli: ZichaCli, root: Path) -> dict[str, Any]:
    """What a failed command must leave unchanged: the materials as `zicha list --json` shows
    them, the audit log (read straight from the database, read-only) and the stored files."""
    materials = cli.ok_json("list", "--archive", root)
    conn = sqlite3.connect((root / "zicha.db").as_uri() + "?mode=ro", uri=True)
    try:
        audit = conn.execute("SELECT seq, hash FROM audit_entry ORDER BY seq").fetchall()
    finally:
        conn.close()
    blobs = sorted(p.relative_to(root).as_posix() for p in (root / "files").rglob("*")
                   if p.is_file())
    return {"materials": materials, "audit": audit, "blobs": blobs}
