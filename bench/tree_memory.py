"""Peak memory of a command's process tree, split by process: the run's own, spaCy's parse worker,
Prefect's temporary server.

Figures, not a timed test. ``bench/proctree`` gives the peak of the tree's sum; this says which
process held what at that moment, and each one's own peak:

    PYTHONPATH=. .venv/bin/python bench/tree_memory.py -- .venv/bin/whosaid run --input DIR --warehouse W.duckdb --show 0
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proctree import MB, is_prefect_server  # noqa: E402


def kind_of(proc: psutil.Process, root_pid: int) -> str:
    if proc.pid == root_pid:
        return "main"
    if is_prefect_server(proc):
        return "server"
    try:
        return "worker" if "whosaid.nlp.parse_worker" in " ".join(proc.cmdline()) else "other"
    except psutil.Error:
        return "other"


def main(command: list[str], interval: float = 0.25) -> None:
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    root = psutil.Process(process.pid)
    peaks: dict[str, float] = {}
    top, top_parts, top_at = 0.0, {}, 0.0
    while process.poll() is None:
        parts: dict[str, float] = {}
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for proc in tree:
            try:
                rss = proc.memory_info().rss / MB
            except psutil.Error:
                continue
            kind = kind_of(proc, process.pid)
            parts[kind] = parts.get(kind, 0.0) + rss
        for kind, rss in parts.items():
            peaks[kind] = max(peaks.get(kind, 0.0), rss)
        if sum(parts.values()) > top:
            top, top_parts, top_at = sum(parts.values()), parts, time.monotonic() - started
        time.sleep(interval)
    print(f"exit code {process.returncode}, {time.monotonic() - started:.1f} s")
    print(f"peak RSS of the tree: {top:.0f} MB at {top_at:.0f} s: " + ", ".join(f"{k} {v:.0f}" for k, v in top_parts.items()))
    print("each process's own peak: " + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[1:] if args[:1] == ["--"] else args)
