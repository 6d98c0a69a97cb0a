"""A real PostgreSQL restart in the middle of an import (issue 17, "What must be shown"): a
cluster of this test's own (the suite's shared server is not restarted under the other
workers), `pg_ctl restart -m fast` while `zicha import` is storing files. The import goes on
after it reconnects or stops saying the connection was lost; nothing it committed is lost,
`zicha verify` is clean, and importing the folder again finishes the job."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ZichaCli
from tests.pg import server_url

FILES = 80


class Cluster:
    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL's programs are not installed (./dev test installs them)")
        self.bin = Path(found[-1]).parent
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # /tmp itself, not pytest's folder: the postgres user must be able to reach it
        self.dir = Path(tempfile.mkdtemp(prefix="zicha-restart-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = self.dir / "data"
        self._run("initdb", "-D", self.data, "-U", "zicha", "--auth=trust", "-E", "UTF8",
                  "--locale=C")
        self.ctl("start", "-l", self.dir / "server.log", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off")
        self.url = f"postgresql://zicha@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str | Path) -> None:
        subprocess.run([*self.as_owner, str(self.bin / program), *map(str, args)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def ctl(self, action: str, *args: str | Path) -> None:
        self._run("pg_ctl", "-w", "-t", "60", "-D", self.data, *args, action)

    def stop(self) -> None:
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data),
                        "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    server_url()  # skips, saying how to run it, where the server tests do
    made = Cluster()
    try:
        yield made
    finally:
        made.stop()


def test_the_server_restarts_mid_import(zicha_cli: ZichaCli, tmp_path: Path,
                                        cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute('CREATE DATABASE "restart"')
    database = cluster.url.rsplit("/", 1)[0] + "/restart"
    root = tmp_path / "市档案"
    zicha_cli.ok("init", "--archive", root, "--server", database)
    src = tmp_path / "src"
    src.mkdir()
    for n in range(FILES):
        (src / f"材料{n:02d}.txt").write_text(f"第 {n} 份文明城市创建材料", encoding="utf-8")
    importing = zicha_cli.popen("import", src, "--item", "08", "--no-ocr", "--archive", root)
    committed = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and importing.poll() is None:
        with psycopg.connect(database, autocommit=True) as watch:
            committed = watch.execute("SELECT count(*) FROM material").fetchone()[0]  # type: ignore[index]
        if committed >= 5:
            break
        time.sleep(0.05)
    restarted = importing.poll() is None
    if restarted:
        cluster.ctl("restart", "-m", "fast")
    out, err = importing.communicate(timeout=180)
    assert "Traceback" not in err and "内部错误" not in err, err
    if importing.returncode != 0:
        assert "连接中断" in err or "无法连接" in err, err
        assert len(err.strip().splitlines()) <= 2, err  # one message (and its hint)
    listed = zicha_cli.ok_json("list", "--archive", root)
    assert len(listed) >= committed  # nothing committed before the restart was lost
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
    zicha_cli.ok("import", src, "--item", "08", "--no-ocr", "--archive", root)
    assert len(zicha_cli.ok_json("list", "--archive", root)) == FILES
    assert zicha_cli.ok_json("verify", "--archive", root)["ok"]
    print(f"\nrestart {'during' if restarted else 'after'} the import "
          f"({committed} materials committed before it); import exit {importing.returncode}: "
          f"{err.strip()}")
