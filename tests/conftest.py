"""Shared fixtures.

Core and CLI tests (tests/unit, tests/e2e) use:
  - `file_builder`  : a FileBuilder that makes small real files (PDF, DOCX, XLSX, images, bad
                      files) under tmp_path/src; every file it makes has distinct content.
  - `core_archive`  : a fresh writable desktop.core Archive in tmp_path (closed afterwards).
  - `zicha_cli`     : runs `zicha` in this process (desktop.cli.main) or, where the process
                      matters, as a real `python -m desktop` (see ZichaCli), with
                      ZICHA_HOME, ZICHA_ARCHIVE and the platform data dirs pointed into tmp_path.
  - `cli_archive`   : a path to a fresh archive made by `zicha init` (copied from one made once
                      per session, so each test does not pay for `init`).
  - `review_office` : an archive with a roster of clerks and reviewers, each with their own key
                      store, and materials submitted for 初审 (built once per session through
                      the CLI; copy it with ReviewOffice.copy()). ZichaCli.as_person() runs the
                      command as one of them; db_snapshot() is what a refused command must leave.
GUI fixtures, if any, belong in their own clearly named section below.
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import traceback
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

REPO = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PASSPHRASE = "口令-甲乙丙丁"  # every test person's key store passphrase (ZichaCli.as_person)

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


# -- a reviewed archive (export tests) -------------------------------------------

REVIEW_PASS = "export-pass-1"
REVIEWED_ITEMS = {"01.01": "深入学习贯彻习近平新时代中国特色社会主义思想",
         "01.02": "加强爱国主义教育：弘扬“长征精神”?",  # characters Windows refuses
         "03.01": "规范市民文明行为",
         "08.02": "推进生活垃圾分类"}


def build_reviewed_archive(root: Path, home: Path, files: Path, *,
                           server_url: str | None = None) -> dict[str, int]:
    """An archive whose material went through 初审/复审/终审 with real signatures (keys in
    `home`), plus one material still waiting for 初审; returns title → id. With `server_url`
    (an empty PostgreSQL database, tests/pg.py) it is a server archive."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.export.model import DEFAULT_FORMATS, ExportRules
    from desktop.core.export.plan import save_rules
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster

    files.mkdir()
    made = {
        "文明交通劝导行动方案": ("01.01", build_pdf(files / "方案.pdf", "文明交通劝导行动方案", 2)),
        "志愿服务活动通知": ("01.01", build_docx(files / "通知.docx", "志愿服务活动通知")),
        "爱国主义教育基地名录": ("01.02", build_xlsx(files / "名录.xlsx")),
        "文明劝导活动照片": ("03.01", build_image(files / "照片.jpg", size=(400, 300))),
        "垃圾分类宣传照片": ("08.02", build_image(files / "宣传.png", fmt="PNG")),
        "尚在初审的工作总结": ("08.02", build_pdf(files / "总结.pdf", "工作总结")),
    }
    env = {"ZICHA_HOME": str(home), "ZICHA_USER": "经办人甲"}
    with mock.patch.dict(os.environ, env), Archive.create(root, server_url=server_url) as archive:
        for code, name in REVIEWED_ITEMS.items():
            add_item(archive, code, name)
        # this bureau's platform takes Word and Excel files as well as PDF, JPG and MP4 (the
        # defaults): the exports of the tests built on it are about the bag, not the formats
        save_rules(archive, ExportRules(allowed_formats=(*DEFAULT_FORMATS, "docx", "xlsx")))
        people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
                  ("终审丁", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, REVIEW_PASS))
        ids = {}
        for title, (code, path) in made.items():
            [row] = import_paths(archive, [path], ImportOptions(codes=[code]))
            ids[title] = row.id
            update_material(archive, row.id, {
                "title": title, "department": "市文明办", "material_date": "2024-05-20",
                "caption": {"地点": "人民广场"} if "照片" in title else {}})
        decisions.submit(archive, list(ids.values()), "经办人甲")
        signers = [(name, keys.load_private(name, REVIEW_PASS)) for name, _ in people[1:]]
        for title, material_id in ids.items():
            if title.startswith("尚在"):
                continue
            for name, key in signers:
                decisions.decide(archive, material_id, name, "approve", "同意", key)
    return ids



# -- PostgreSQL (server archives, team mode): pg_databases, pg_database, engine_kind and
# server_or_none, from tests/pg.py, for every test module
from tests.pg import engine_kind, pg_database, pg_databases, server_or_none  # noqa: E402, F401

# -- core archive (unit tests) -----------------------------------------------------------------


@pytest.fixture
def core_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # -> Archive
    from desktop.core.archive.archive import Archive

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
    """`zicha ARGS` as a user runs it: ZICHA_HOME, ZICHA_USER and the platform data dirs point
    into the test's folder, the working folder is `cwd`.

    Two ways to run a command, with the same environment and the same CliResult:
      - run() / ok() / ok_json() / run_all() / ok_json_all(): in this process, through
        `desktop.cli.main(argv)` (environment, working folder, stdin/stdout/stderr and warning
        filters set as a fresh `python -m desktop` would have them; SystemExit and an escaping
        exception become an exit code and a traceback on stderr, as Python's own top level
        does). Use these for what a command does: its output, its exit code, what it changes.
      - run_process() / popen() / command(): a real `python -m desktop` process. Use these where
        the process itself is what is tested: SIGKILL in mid-work, another process holding the
        archive's writer lock, a closed pipe (SIGPIPE), resource limits, top-level crashes,
        start-up time and imports, the installed console script.
    """

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
        """`zicha ARGS` in this process (`timeout` is only for run_process())."""
        argv = [str(a) for a in args]
        out, err = io.StringIO(), io.StringIO()
        with (mock.patch.dict(os.environ, self.env, clear=True), _working_folder(self.cwd),
              _std_streams(io.StringIO(), out, err), _fresh_warning_filters()):
            code = _run_main(argv, err)
        return CliResult(argv, code, out.getvalue(), err.getvalue())

    def run_process(self, *args: str | Path, timeout: float = 120) -> CliResult:
        """`zicha ARGS` in a real `python -m desktop` process."""
        proc = subprocess.run(self.command(*args), cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=timeout, check=False)
        return CliResult([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)

    def run_all(self, *calls: Sequence[str | Path]) -> list[CliResult]:
        """Several commands, one after the other, in this process."""
        return [self.run(*args) for args in calls]

    def run_all_processes(self, *calls: Sequence[str | Path],
                          timeout: float = 120) -> list[CliResult]:
        """Several real processes at once (only ones that do not compete for the writer lock)."""
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

    def as_person(self, name: str, home: Path, *, cwd: Path | None = None,
                  passphrase: str = PASSPHRASE) -> ZichaCli:
        """The same command as run by `name` on their own PC: their own key store
        (ZICHA_HOME=home), their passphrase (ZICHA_PASSPHRASE) and, if given, working folder."""
        other = copy.copy(self)
        other.env = {**self.env, "ZICHA_HOME": str(home), "ZICHA_USER": name,
                     "ZICHA_PASSPHRASE": passphrase}
        other.cwd = cwd or self.cwd
        return other

    def in_process(self, *args: str | Path) -> str:
        """`zicha ARGS` in this process, which must succeed with exit 0; its stdout (for
        fixtures that set up a lot)."""
        result = self.run(*args)
        assert result.returncode == 0, str(result)
        return result.stdout

    def popen(self, *args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), cwd=self.cwd, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8")


def _run_main(argv: list[str], err: io.StringIO) -> int:
    """desktop.cli.main(argv) with what Python's top level does around it: SystemExit becomes
    the exit code, an exception that escapes main() a traceback on stderr and exit 1."""
    from desktop.cli import main

    try:
        return main(argv)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=err)
        return 1
    except Exception:  # noqa: BLE001 - shown as the interpreter would show it
        traceback.print_exc(file=err)
        return 1


@contextlib.contextmanager
def _working_folder(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _std_streams(stdin: io.StringIO, stdout: io.StringIO, stderr: io.StringIO) -> Iterator[None]:
    """stdin empty and not a terminal (as /dev/null under subprocess), stdout/stderr captured."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _fresh_warning_filters() -> Iterator[None]:
    """Python's default warning filters (pytest's are stricter), warnings shown on the
    captured stderr as a fresh process would print them."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning,
                         DeprecationWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = _show_on_stderr
        yield


def _show_on_stderr(message: Warning | str, category: type[Warning], filename: str,
                    lineno: int, file: Any = None, line: str | None = None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


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


def db_snapshot(root: Path) -> dict[str, Any]:
    """Everything a refused review command must leave as it was, read straight from the
    database (read-only): materials with their state and round, decisions, roster, the audit
    log, and the stored files. (Like archive_snapshot(), without spawning `zicha list`.)"""
    conn = sqlite3.connect((root / "zicha.db").as_uri() + "?mode=ro", uri=True)
    try:
        tables = {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                  for table in ("material", "material_file", "decision", "person",
                                "role_grant", "audit_entry")}
    finally:
        conn.close()
    tables["blobs"] = sorted(p.relative_to(root).as_posix() for p in (root / "files").rglob("*")
                             if p.is_file())
    return tables


# -- the review office: roster, key stores, submitted materials (review e2e tests) ------------

# name -> (department, roles); everyone gets their own key store
STAFF: dict[str, tuple[str, tuple[str, ...]]] = {
    "经办人甲": ("市委宣传部", ("clerk",)),
    "王经办": ("市文明办", ("clerk", "first")),  # may do 初审 everywhere, submits too
    "初审甲": ("市委宣传部", ("first@市委宣传部",)),
    "初审乙": ("市文明办", ("first@市文明办",)),
    "复审人": ("市文明办", ("second",)),
    "终审人": ("市文明办", ("final",)),
    "全能人": ("市文明办", ("first", "second")),
}
OUTSIDER = "冒充者"  # has a key, is in no roster


@dataclass
class ReviewOffice:
    """A template archive (never modified by tests: copy() it) with STAFF in its roster and
    materials: `ids["方案"]`, `ids["通知"]` (市委宣传部, submitted by 经办人甲), `ids["记录"]`
    (市文明办, submitted by 王经办), `ids["草稿"]` (市委宣传部, a draft). `homes[name]` is each
    person's key store (OUTSIDER included); `sources[title]` the file each material came from."""

    root: Path
    homes: dict[str, Path]
    ids: dict[str, int]
    sources: dict[str, Path]
    public_keys: dict[str, str]

    def copy(self, dest: Path) -> Path:
        shutil.copytree(self.root, dest, symlinks=True)
        return dest


@pytest.fixture(scope="session")
def review_office(tmp_path_factory: pytest.TempPathFactory,
                  _pristine_cli_archive: Path) -> ReviewOffice:
    base = tmp_path_factory.mktemp("review-office")
    root = base / "档案"
    shutil.copytree(_pristine_cli_archive, root, symlinks=True)
    cli = ZichaCli(base, base)
    homes = {name: base / "keys" / name for name in [*STAFF, OUTSIDER]}
    public_keys = {name: cli.as_person(name, home).in_process("key", "new", name).strip()
                   for name, home in homes.items()}
    for name, (department, roles) in STAFF.items():
        cli.in_process("user", "add", name, "--department", department,
                       *[a for r in roles for a in ("--role", r)],
                       "--public-key", public_keys[name], "--archive", root)
    files = FileBuilder(base / "src")
    sources = {"方案": files.pdf("方案.pdf", "文明交通行动方案"),
               "通知": files.docx("通知.docx", "关于开展志愿服务活动的通知"),
               "草稿": files.pdf("草稿.pdf", "尚未提交的草稿"),
               "记录": files.pdf("记录.pdf", "文明实践活动记录")}
    rows = cli.ok_json("import", *sources.values(), "--item", "01", "--department", "市委宣传部",
                       "--no-ocr", "--archive", root)
    ids = {Path(r["path"]).stem: r["id"] for r in rows}
    cli.in_process("edit", ids["记录"], "--department", "市文明办", "--item", "03",
                   "--archive", root)
    cli.in_process("submit", ids["方案"], ids["通知"], "--as", "经办人甲", "--archive", root)
    cli.in_process("submit", ids["记录"], "--as", "王经办", "--archive", root)
    return ReviewOffice(root, homes, ids, sources, public_keys)
