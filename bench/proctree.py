"""Run a command and measure its whole process tree: wall time, CPU time, peak memory.

Why a sampler and not ``/usr/bin/time -v``: ``time`` reports the largest *single* process's peak
RSS, but a whosaid run is several processes at once (the CLI, spaCy's ``n_process`` workers,
Prefect's temporary API server), and what the machine must hold is their sum. So we poll the tree
(psutil) every ``interval`` seconds (PSS every fourth sample) and keep the peak of the sum, once with and once without the
Prefect server. PSS (proportional set size) is summed too: forked spaCy workers share the parent's
pages, which RSS counts once per process.

CPU seconds (user + system of every process in the tree, from the kernel's child rusage) are
recorded next to wall time because they barely move with machine load, wall time does.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field

import psutil

from whosaid.prefect_server import APP_FACTORY, PREFECT_APP_FACTORY

MB = 1024 * 1024


#: the app factories a temporary API server runs: whosaid's wrapper of Prefect's, and Prefect's own
SERVER_APP_FACTORIES = (APP_FACTORY, PREFECT_APP_FACTORY)


def is_prefect_server(proc: psutil.Process) -> bool:
    """Prefect's temporary API server: ``python -m uvicorn ... --factory <one of SERVER_APP_FACTORIES>``."""
    try:
        cmd = " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return "uvicorn" in cmd and any(factory in cmd for factory in SERVER_APP_FACTORIES)


@dataclass
class TreeUsage:
    wall_s: float
    cpu_s: float  # user + sys of the tree (reaped children), load-independent
    returncode: int
    peak_rss_mb: float  # sum over the tree, Prefect server included
    peak_rss_no_server_mb: float  # the same without Prefect's temporary server
    peak_pss_mb: float  # sum of PSS (shared pages split between processes), server included
    peak_pss_no_server_mb: float
    peak_server_rss_mb: float
    max_processes: int
    stdout: str = ""
    stderr: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    notes: list[str] = field(default_factory=list)


class _Sampler(threading.Thread):
    """Polls the process tree rooted at ``pid`` until stopped; keeps peaks of the sums."""

    #: PSS is read from /proc/<pid>/smaps_rollup, which walks the page tables: only every Nth sample,
    #: so the sampler itself stays a small load on the machine it measures.
    PSS_EVERY = 4

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self._n_samples = 0
        self.root = psutil.Process(pid)
        self.interval = interval
        self.stop_event = threading.Event()
        self.peak = {"rss": 0, "rss_ns": 0, "pss": 0, "pss_ns": 0, "server": 0}
        self.max_processes = 0
        self._pss_ok = True
        self._server_pids: set[int] = set()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        sums = {"rss": 0, "rss_ns": 0, "pss": 0, "pss_ns": 0, "server": 0}
        alive = 0
        self._n_samples += 1
        with_pss = self._n_samples % self.PSS_EVERY == 1
        for proc in procs:
            try:
                server = proc.pid in self._server_pids or is_prefect_server(proc)
                if server:
                    self._server_pids.add(proc.pid)
                rss = proc.memory_info().rss
                pss = self._pss(proc, rss) if with_pss else 0
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            alive += 1
            sums["rss"] += rss
            sums["pss"] += pss
            if server:
                sums["server"] += rss
            else:
                sums["rss_ns"] += rss
                sums["pss_ns"] += pss
        self.max_processes = max(self.max_processes, alive)
        for key, value in sums.items():
            if with_pss or not key.startswith("pss"):
                self.peak[key] = max(self.peak[key], value)

    def _pss(self, proc: psutil.Process, rss: int) -> int:
        """PSS from /proc/<pid>/smaps_rollup; RSS if the kernel or permissions do not allow it."""
        if not self._pss_ok:
            return rss
        try:
            return proc.memory_full_info().pss
        except (psutil.AccessDenied, AttributeError):
            self._pss_ok = False
            return rss


def run_measured(
    cmd: list[str],
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    interval: float = 0.25,
    timeout: float | None = None,
) -> TreeUsage:
    """Run ``cmd`` to completion, sampling its process tree; output is captured, never printed."""
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid, interval)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\n[bench] killed after {timeout} s"
    wall = time.perf_counter() - started
    sampler.stop_event.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    p = sampler.peak
    return TreeUsage(
        wall_s=wall,
        cpu_s=cpu,
        returncode=proc.returncode,
        peak_rss_mb=p["rss"] / MB,
        peak_rss_no_server_mb=p["rss_ns"] / MB,
        peak_pss_mb=p["pss"] / MB,
        peak_pss_no_server_mb=p["pss_ns"] / MB,
        peak_server_rss_mb=p["server"] / MB,
        max_processes=sampler.max_processes,
        stdout=stdout,
        stderr=stderr,
        load_before=load_before,
        load_after=os.getloadavg(),
    )
