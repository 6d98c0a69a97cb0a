"""SIGKILL trials (issue 12 item 10): run the real `zicha` command in a subprocess on a real
archive, kill it with SIGKILL at a seeded moment spread over how long a clean run takes, and
check what a power cut must leave: the archive verifies, nothing committed before is lost, the
lock is free (the next write works at once), no partial file under a final name.

The checks after a kill run `zicha` in this process (desktop.cli.main, the same code as the
command) to keep the suite within its time budget; the command that is killed always runs in
its own process. ZICHA_FAULT_TRIALS and ZICHA_FAULT_SEED change the number of trials per
scenario (default 20) and the seed."""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from tests.conftest import CliResult, ZichaCli

TRIALS = int(os.environ.get("ZICHA_FAULT_TRIALS", "20"))
SEED = int(os.environ.get("ZICHA_FAULT_SEED", "20261202"))


@dataclass
class Outcome:
    """One scenario's trials, for the table in the report."""

    scenario: str
    clean_s: float = 0.0  # a clean run of the command, measured first
    trials: int = 0
    killed: int = 0  # killed while running (the others had finished before the moment came)
    failures: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def fail(self, trial: int, what: str) -> None:
        self.failures.append(f"trial {trial}: {what}")

    def row(self) -> str:
        return (f"| {self.scenario} | {self.trials} | {self.killed} | {len(self.failures)} | "
                f"{len(self.lost)} | {self.clean_s:.2f} s | "
                f"{time.monotonic() - self.started:.0f} s |")

    def assert_clean(self) -> None:
        print(f"\nSIGKILL {self.row()}")
        assert not self.failures and not self.lost, "\n".join(
            [self.row(), *self.failures[:20], *self.lost[:20]])


def moments(duration: float, trials: int = TRIALS, seed: int = SEED,
            start: float = 0.0) -> list[float]:
    """One kill moment per trial, stratified over [start, duration) so the whole run is
    covered (startup, work, commit, cleanup), each at a seeded random place in its stratum."""
    rng = random.Random(seed)
    span = duration - start
    spots = [start + span * (n + rng.random()) / trials for n in range(trials)]
    rng.shuffle(spots)
    return spots


def timeline(cli: ZichaCli, args: Sequence[str | Path], timeout: float = 120
             ) -> tuple[float, list[float]]:
    """A clean run that must succeed: its wall time, and when each line of its output came."""
    start = time.monotonic()
    proc = subprocess.Popen(cli.command(*args), cwd=cli.cwd, env=cli.env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    assert proc.stdout is not None
    times = [time.monotonic() - start for _line in proc.stdout]
    assert proc.wait(timeout=timeout) == 0, f"zicha {args} failed"
    return time.monotonic() - start, times


def clean_run(cli: ZichaCli, args: Sequence[str | Path], timeout: float = 120,
              repeat: int = 1) -> float:
    """Run the command to its end `repeat` times; the shortest wall time (a command is timed
    more than once, so one slow start on a busy machine does not stretch the range past the
    end of most runs). Every run must succeed."""
    times = []
    for _ in range(repeat):
        start = time.monotonic()
        result = cli.run_process(*args, timeout=timeout)  # timed as the killed runs
        times.append(time.monotonic() - start)
        assert result.returncode == 0, str(result)
    return min(times)


@dataclass
class Killed:
    killed: bool  # False: the command had already ended
    returncode: int
    stdout: str
    stderr: str


def run_and_kill(cli: ZichaCli, args: Sequence[str | Path], delay: float,
                 timeout: float = 120, after_line: str | None = None) -> Killed:
    """Run the command and SIGKILL it `delay` seconds after it started or, with `after_line`,
    after it printed the first line starting with that (the moment its work is under way)."""
    proc = subprocess.Popen(cli.command(*args), cwd=cli.cwd, env=cli.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if after_line is not None and line.startswith(after_line):
                seen.set()
        seen.set()  # the output ended: the command is ending

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if after_line is not None:
        seen.wait(timeout)
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        killed = True
    proc.wait(timeout=timeout)
    reader.join(timeout)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    if killed and proc.returncode != -signal.SIGKILL:  # it ended just before the signal
        killed = False
    return Killed(killed, proc.returncode, "".join(lines), err)


def in_process(cli: ZichaCli, *args: str | Path) -> CliResult:
    """`zicha ARGS` through desktop.cli.main() here, with the command's environment."""
    from desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (mock.patch.dict(os.environ, cli.env, clear=True),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception as exc:  # noqa: BLE001 - a crash is a finding of the trial
            code, err = 99, io.StringIO(f"{type(exc).__name__}: {exc}")
    return CliResult([str(a) for a in args], code, out.getvalue(), err.getvalue())


def check_archive(cli: ZichaCli, root: Path, outcome: Outcome, trial: int) -> Any:
    """After a kill: `zicha verify --archive` passes (notes allowed) and a write works at
    once (no stale lock, no pending recovery that refuses it). Returns `zicha list --json`."""
    report = in_process(cli, "verify", "--archive", root, "--json")
    if report.returncode != 0:
        failed = [f"{c['name']}: {c['problems'][:2]}" for c in _json(report).get("checks", [])
                  if not c.get("ok")]
        outcome.fail(trial, f"verify --archive failed ({report.returncode}): "
                            f"{failed or report.stderr.strip()[:300]}")
    code = f"11.{50 + trial}"
    write = in_process(cli, "items", "add", code, f"故障试验 {trial}", "--archive", root)
    if write.returncode != 0:
        outcome.fail(trial, f"the next write failed: {write.stderr.strip()[:300]}")
    listed = in_process(cli, "list", "--archive", root, "--json")
    if listed.returncode != 0:
        outcome.fail(trial, f"list failed: {listed.stderr.strip()[:300]}")
        return []
    return listed.json()


def _json(result: CliResult) -> dict[str, Any]:
    try:
        value = result.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
