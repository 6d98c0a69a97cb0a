"""The command line's face of the one long-work protocol: the text pass after `zicha import`
reports through the core's Progress, drawn as one counter line on a terminal only (a real
process whose stderr is a pseudo-terminal), and never with --json or on a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FileBuilder, ZichaCli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _on_a_terminal(cli: ZichaCli, *args: str | Path) -> tuple[int, str, str]:
    """`zicha ARGS` with stderr on a pseudo-terminal: (exit code, stdout, what the terminal
    showed)."""
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(cli.command(*args), cwd=cli.cwd, env=cli.env,
                                stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            shown += chunk
        out = proc.stdout.read() if proc.stdout else b""
        code = proc.wait(timeout=120)
    finally:
        os.close(master)
    return code, out.decode("utf-8"), shown.decode("utf-8").replace("\r\n", "\n")


def test_the_text_pass_after_an_import_draws_one_counter_line_on_a_terminal(
        zicha_cli: ZichaCli, tmp_path: Path, file_builder: FileBuilder) -> None:
    zicha_cli.env["ZICHA_ARCHIVE"] = str(tmp_path / "档案")
    zicha_cli.ok("init")
    for n in range(3):
        file_builder.docx(f"材料/{n} 通知.docx", f"第 {n} 份通知")
    folder = file_builder.base / "材料"

    code, out, shown = _on_a_terminal(zicha_cli, "import", folder, "--item", "01")
    assert code == 0, shown
    assert "保存 3，重复 0，拒绝 0" in out
    assert "\r提取文字 0/3" in shown and shown.endswith("\r提取文字 3/3\n"), repr(shown)

    for n in range(3, 5):
        file_builder.docx(f"更多/{n} 通知.docx", f"第 {n} 份通知")
    code, out, shown = _on_a_terminal(zicha_cli, "import", file_builder.base / "更多",
                                      "--item", "01", "--json")
    assert code == 0 and shown == "", repr(shown)  # --json: no progress, even on a terminal
    assert out.lstrip().startswith(("[", "{"))

    piped = zicha_cli.run_process("import", folder, "--item", "01")  # stderr a pipe
    assert piped.returncode == 0 and "\r" not in piped.stderr
