"""The ``whosaid`` console script (whosaid.cli.main) ends without the interpreter's teardown, but
only after everything registered at exit has run, and with the CLI's exit code."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import atexit, sys, threading
atexit.register(lambda: print("exit handler ran", flush=True))
# where Prefect's log and event workers drain: before atexit, as at an ordinary interpreter exit
threading._register_atexit(lambda: print("threading exit hook ran", flush=True))
sys.argv = ["whosaid", *sys.argv[1:]]
from whosaid.cli import main
main()
print("not reached")
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120)


def test_success_runs_exit_handlers_and_exits_zero(tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    done = _run("sql", "-w", str(db), "SELECT 40 + 2 AS answer")
    assert done.returncode == 0, done.stderr
    assert "42" in done.stdout and done.stdout.rstrip().endswith("exit handler ran")
    assert "not reached" not in done.stdout


def test_threading_exit_hooks_run_before_atexit_handlers(tmp_path):
    """Prefect drains its log and event queues in threading's exit hooks; run after the atexit
    handler that stops the temporary server, the drain waited 5 s on a server that was gone."""
    done = _run("run", "-i", str(tmp_path / "missing"))
    lines = done.stdout.splitlines()
    assert lines.index("threading exit hook ran") < lines.index("exit handler ran"), done.stdout


def test_an_error_keeps_its_exit_code(tmp_path):
    done = _run("run", "-i", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "input not found" in done.stderr and "exit handler ran" in done.stdout
