"""Run extraction in a child process, one file at a time, with a time limit per file.

PDF, Office and image libraries are C code that real-world files can send into endless loops
or crash outright.  The runner keeps one long-lived child (the 'spawn' start method, the same
on every platform) and sends it one job at a time over a pipe; a job that outlives its limit
gets the child killed, a child that dies takes only its current job with it.  Either way the
job is reported as failed with a Chinese reason and a fresh child is started.

The child lowers its own CPU priority the first time it runs OCR and stays low after that;
an application that wants text extraction at normal priority while OCR runs uses two runners.
Frozen applications (PyInstaller) must call ``multiprocessing.freeze_support()`` first thing
in their entry point, or the child would start the application again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop.core.common import limits
from desktop.core.extract.base import ExtractError, Extraction, describe, one_line

__all__ = ["ExtractJob", "ExtractRunner", "renew_memory_limit"]

PHASES = ("text", "ocr")
_DEBUG_ENV = "ZICHA_EXTRACT_DEBUG"  # set to keep the child's stdout/stderr (for debugging)
try:
    _CLOCK_TICKS = float(os.sysconf("SC_CLK_TCK"))
except (AttributeError, ValueError, OSError):
    _CLOCK_TICKS = 100.0


@dataclass(frozen=True)
class ExtractJob:
    """One file to extract: phase "text" (fast, no OCR) or "ocr" of the given pages."""

    key: str  # e.g. the file's sha256; the caller's handle, not used by the runner
    path: Path
    kind: str
    phase: str  # "text" or "ocr"
    pages: tuple[int, ...] = ()  # for phase "ocr"
    # another task of the text phase's kind, run in the child instead of extract_text: a
    # module-level function (pickled by its name) called with the job; its result is returned
    # as it is by ExtractRunner.call (a failure of the child still comes as a failed Extraction)
    task: Callable[[ExtractJob], Any] | None = None
    args: tuple[Any, ...] = ()  # for the task


# --------------------------------------------------------------------------- child side


def _silence_child() -> None:
    """No tracebacks, library warnings or Ctrl+C noise from the child on the user's terminal."""
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    if os.environ.get(_DEBUG_ENV):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os.dup2(null, 1)  # C libraries (MuPDF, ONNX Runtime) write to the descriptors directly
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _lower_priority() -> None:
    """Nice the process so that OCR only uses CPU time nobody else wants."""
    try:
        if hasattr(os, "nice"):
            os.nice(10)
        elif sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            below_normal = 0x00004000
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
    except (OSError, AttributeError):
        pass


def _do_job(job: ExtractJob) -> Extraction:
    from desktop.core.extract.documents import extract_text
    from desktop.core.extract.ocr import ocr_file

    if job.task is not None:
        return job.task(job)
    if job.phase == "text":
        return extract_text(job.path, job.kind)
    return Extraction(state="done", pages=ocr_file(job.path, job.kind, job.pages))


def _mapped(field: bytes = b"VmSize") -> int | None:
    """Bytes of address space this process has mapped now (VmSize) or at most so far
    (VmPeak), on Linux; else None."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(field + b":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _limit_memory(allowance_mb: int) -> int | None:
    """Let this process map at most `allowance_mb` more than it has now (RLIMIT_AS), so that a
    hostile file ends in a failed allocation instead of taking the machine's memory. The limit
    in bytes, or None where none can be set (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    used = _mapped()
    if used is None or allowance_mb <= 0:
        return None
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = used + allowance_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):
        return None
    return soft


def _hit_limit(limit: int, peak_before: int | None) -> bool:
    """The job that just failed reached the memory limit: libraries report a failed allocation
    in their own words (lxml: "unknown error"), so the peak tells."""
    peak = _mapped(b"VmPeak")
    return (peak is not None and peak_before is not None and peak > peak_before
            and peak >= limit - 64 * 1024 * 1024)


def _memory_reason(allowance_mb: int) -> str:
    return (f"内存超过 {allowance_mb} MB 上限，文件过大或疑似恶意文件，已停止提取文字")


def _out_of_memory(exc: BaseException) -> bool:
    """MuPDF, lxml and ONNX Runtime report a failed allocation in their own words."""
    text = str(exc).lower()
    return isinstance(exc, MemoryError) or any(
        word in text for word in ("out of memory", "malloc", "cannot allocate", "bad_alloc",
                                  "memory allocation", "memoryerror"))


_allowance_mb = 0  # in a child: what the job being run may map beyond where it began


def renew_memory_limit() -> None:
    """In a child, for a task that handles several files in one job: the next file may map the
    job's whole allowance again, counted from what the process maps now, as it could in a job
    of its own (what earlier files left mapped is not held against it)."""
    if _allowance_mb:
        _limit_memory(_allowance_mb)


def _child_main(conn: multiprocessing.connection.Connection, low_priority: bool = False,
                memory_mb: int = limits.EXTRACT_MEMORY_MB,
                ocr_memory_mb: int = limits.EXTRACT_OCR_MEMORY_MB) -> None:
    """Child process: answer jobs until told to stop (None) or the pipe closes. Each job may
    map `memory_mb` (OCR jobs `ocr_memory_mb`) beyond what the child had when it began."""
    _silence_child()
    from desktop.core.extract import documents

    documents._quiet_mupdf()
    conn.send(("ready", os.getpid()))
    niced = low_priority
    if low_priority:
        _lower_priority()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.phase == "ocr" and not niced:
            _lower_priority()
            niced = True
        allowance = ocr_memory_mb if job.phase == "ocr" else memory_mb
        global _allowance_mb
        _allowance_mb = allowance
        limit = _limit_memory(allowance)
        peak_before = _mapped(b"VmPeak")
        try:
            result = _do_job(job)
        except ExtractError as exc:
            result = Extraction(state="failed", reason=exc.reason)
        except Exception as exc:
            reason = ("内存不足，文件过大无法提取文字" if _out_of_memory(exc)
                      else one_line(f"提取文字时出错（{describe(exc)}）"))
            result = Extraction(state="failed", reason=reason)
        if limit is not None and isinstance(result, Extraction) and result.state == "failed" \
                and _hit_limit(limit, peak_before):
            result = Extraction(state="failed", reason=_memory_reason(allowance))
        try:
            conn.send(result)
        except (EOFError, OSError):
            return


# --------------------------------------------------------------------------- parent side


def _cpu_seconds(pid: int | None) -> float | None:
    """CPU time (all threads, user + system) used so far by process ``pid``; Linux only."""
    if pid is None or not sys.platform.startswith("linux"):
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"信号 {-exitcode}"
        return f"提取进程崩溃（{name}），该文件可能触发了解析库的缺陷"
    if exitcode is not None and exitcode > 255:  # Windows: NTSTATUS such as 0xC0000005
        return f"提取进程崩溃（0x{exitcode & 0xFFFFFFFF:08X}），该文件可能触发了解析库的缺陷"
    return f"提取进程意外退出（退出码 {exitcode}），该文件可能触发了解析库的缺陷"


class ExtractRunner:
    """Runs jobs in one child process (multiprocessing, 'spawn' context), one at a time.

    A job that takes longer than its limit gets the child killed and restarted and is reported
    as failed ('超时：… 秒内未完成'); a child that crashes (segfault in a C library) is
    reported as failed too and restarted.

    Where the child's CPU time can be read (Linux) the limits are CPU seconds, with a wall-clock
    cap of ``wall_factor`` times the limit for a job that is blocked rather than computing: the
    child runs OCR at low priority, and a busy machine must not turn a slow page into a
    "timeout".  Elsewhere the limits are wall-clock seconds.

    Each job may map ``memory_mb`` (OCR: ``ocr_memory_mb``) of address space beyond what the
    child had when the job began (RLIMIT_AS, where the platform has it): a file that needs more
    fails with '内存超过 … MB 上限' instead of exhausting the machine.

    The child stays alive between jobs (starting one costs about half a second).  Context
    manager; close() stops the child.  Thread-safe: jobs from several threads run one after
    the other; cancel() aborts the running one.
    """

    def __init__(
        self,
        *,
        text_timeout: float = 60.0,
        ocr_timeout_per_page: float = 60.0,
        start_timeout: float = 120.0,
        low_priority: bool = False,
        wall_factor: float = 3.0,
        memory_mb: int = limits.EXTRACT_MEMORY_MB,
        ocr_memory_mb: int = limits.EXTRACT_OCR_MEMORY_MB,
    ) -> None:
        self.memory_mb = memory_mb  # address space a job may add to the child's (0: no limit)
        self.ocr_memory_mb = ocr_memory_mb
        self.text_timeout = text_timeout
        self.ocr_timeout_per_page = ocr_timeout_per_page
        self.wall_factor = wall_factor
        self.start_timeout = start_timeout  # the child's own start (imports) is not a job's time
        self.low_priority = low_priority  # nice from the start: a window must stay responsive
        self._ctx = multiprocessing.get_context("spawn")
        self._proc: Any = None
        self._conn: multiprocessing.connection.Connection | None = None
        self._ready = False
        self._lock = threading.Lock()
        self._busy = False
        self._cancelled = False
        self.restarts = 0  # children replaced after a timeout or crash

    # -- lifecycle

    def __enter__(self) -> ExtractRunner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def child_pid(self) -> int | None:
        """Process id of the current child, if one is running."""
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def _start(self) -> None:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_child_main,
            args=(child_conn, self.low_priority, self.memory_mb, self.ocr_memory_mb),
            name="zicha-extract",
            daemon=True
        )
        proc.start()
        child_conn.close()
        self._proc, self._conn, self._ready = proc, parent_conn, False

    def _kill(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc, self._conn, self._ready = None, None, False
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            with contextlib.suppress(Exception):
                proc.close()
        if conn is not None:
            conn.close()

    def _ensure_ready(self) -> multiprocessing.connection.Connection:
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            self._start()
        conn = self._conn
        assert conn is not None
        if not self._ready:
            message: Any = None
            try:
                if conn.poll(self.start_timeout):
                    message = conn.recv()
            except (EOFError, OSError):
                message = None
            if not (isinstance(message, tuple) and message and message[0] == "ready"):
                exitcode = self._proc.exitcode if self._proc is not None else None
                self._kill()
                raise RuntimeError(f"无法启动文字提取进程（退出码 {exitcode}）")
            self._ready = True
        return conn

    def close(self) -> None:
        """Stop the child (politely, then by force).  The runner may be used again later."""
        with self._lock:
            proc, conn = self._proc, self._conn
            if proc is not None and conn is not None and proc.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    conn.send(None)
                proc.join(2)
            self._kill()

    # -- jobs

    def _limit(self, job: ExtractJob) -> float:
        if job.phase == "ocr":
            return self.ocr_timeout_per_page * max(1, len(job.pages))
        return self.text_timeout

    def start(self) -> None:
        """Start the child now, without waiting for it (its imports overlap the caller's work);
        the first job waits for it to be ready."""
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._kill()
                self._start()

    def run(self, job: ExtractJob) -> Extraction:
        """Run ``job`` and wait for it.  Phase "ocr" returns Extraction(state="done",
        pages=<the OCR pages>) or a failed one.  Raises RuntimeError only if no child process
        can be started at all."""
        result = self.call(job)
        if not isinstance(result, Extraction):
            return Extraction(state="failed", reason="提取进程返回了无法识别的结果")
        return result

    def call(self, job: ExtractJob) -> Any:
        """run() for a job with a `task`: the task's result, or a failed Extraction when the
        child failed it (timeout, crash, memory limit, an exception in the task)."""
        if job.phase not in PHASES:
            raise ValueError(f"unknown extraction phase: {job.phase!r}")
        if job.phase == "ocr" and not job.pages:
            return Extraction(state="done")
        with self._lock:
            self._cancelled = False
            self._busy = True
            try:
                return self._run(job)
            except BaseException:  # e.g. KeyboardInterrupt: the child's answer would be stale
                self._kill()
                raise
            finally:
                self._busy = False

    def cancel(self) -> None:
        """From another thread: abort the job that is running now (it ends "failed", 已取消)."""
        proc = self._proc
        if self._busy and proc is not None:
            self._cancelled = True
            with contextlib.suppress(Exception):
                proc.kill()

    def _run(self, job: ExtractJob) -> Any:
        conn = self._ensure_ready()
        try:
            conn.send(job)
        except (OSError, ValueError):  # the child died while idle: one fresh attempt
            self._kill()
            conn = self._ensure_ready()
            conn.send(job)
        limit = self._limit(job)
        pid = self._proc.pid if self._proc is not None else None
        cpu_start = _cpu_seconds(pid)
        wall_limit = limit * (self.wall_factor if cpu_start is not None else 1.0)
        deadline = time.monotonic() + wall_limit
        step = min(1.0, max(0.05, limit / 10))
        while True:
            remaining = deadline - time.monotonic()
            try:
                ready = remaining > 0 and conn.poll(min(remaining, step))
            except (EOFError, OSError):
                ready = True
            if ready:
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    return self._crashed()
                if isinstance(result, Extraction) or job.task is not None:
                    return result
                self._replace()
                return Extraction(state="failed", reason="提取进程返回了无法识别的结果")
            cpu_now = _cpu_seconds(pid) if cpu_start is not None else None
            if cpu_start is not None and cpu_now is not None and cpu_now - cpu_start > limit:
                remaining = 0.0
            if remaining <= 0:
                self._replace()
                what = f"（文字识别 {len(job.pages)} 页）" if job.phase == "ocr" else ""
                return Extraction(state="failed", reason=f"超时：{limit:g} 秒内未完成{what}")
            if self._proc is not None and not self._proc.is_alive():
                return self._crashed()

    def _crashed(self) -> Extraction:
        if self._cancelled:
            self._kill()
            return Extraction(state="failed", reason="已取消：提取被中止")
        proc = self._proc
        exitcode = None
        if proc is not None:
            proc.join(5)
            exitcode = proc.exitcode
        self._replace()
        return Extraction(state="failed", reason=_exit_reason(exitcode))

    def _replace(self) -> None:
        """Kill the current child and start the next one now (its imports overlap our work)."""
        self._kill()
        self.restarts += 1
        self._start()
