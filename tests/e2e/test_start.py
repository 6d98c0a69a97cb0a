"""The ways a user starts the window, exactly as they type them, each from a fresh HOME with no
screen: the README's `./dev start`, plain `zicha`, `zicha gui DIR`, the installed `zicha-gui`
and `python -m desktop`. Each must bring the window up on an archive and leave cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

VENV_BIN = Path(sys.executable).parent


def fresh_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZICHA_", "XDG_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", LANG="zh_CN.UTF-8")
    return env


def start(command: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(command, cwd=REPO, env=fresh_env(home), capture_output=True,
                          text=True, timeout=300)


def came_up(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr[-2000:]
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert "zicha gui:" in result.stdout and "(11 测评项目)" in result.stdout, result.stdout


def default_archive(home: Path) -> Path:
    return home / ".local" / "share" / "zicha" / "archive"


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "zicha").exists(),
                    reason="./dev start uses the repository's .venv")
def test_dev_start_opens_the_window_on_the_default_archive(tmp_path: Path) -> None:
    home = tmp_path / "新用户"
    result = start(["./dev", "start", "--quit-after", "2"], home)
    came_up(result)
    assert (default_archive(home) / "zicha.db").is_file()


def test_plain_zicha_opens_the_window(tmp_path: Path) -> None:
    home = tmp_path / "home"
    came_up(start([str(VENV_BIN / "zicha"), "--quit-after", "2"], home))
    assert (default_archive(home) / "zicha.db").is_file()


def test_zicha_gui_on_a_folder(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "我的档案"
    subprocess.run([str(VENV_BIN / "zicha"), "init", "--archive", str(folder)], check=True,
                   env=fresh_env(home), capture_output=True)
    result = start([str(VENV_BIN / "zicha"), "gui", str(folder), "--quit-after", "2"], home)
    came_up(result)
    assert "我的档案" in result.stdout


def test_installed_zicha_gui(tmp_path: Path) -> None:
    gui = VENV_BIN / "zicha-gui"
    assert gui.exists(), "pip install puts zicha-gui next to zicha"
    came_up(start([str(gui), "--quit-after", "2"], tmp_path / "home"))


def test_python_m_desktop(tmp_path: Path) -> None:
    came_up(start([sys.executable, "-m", "desktop", "--quit-after", "2"], tmp_path / "home"))
