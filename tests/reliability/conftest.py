"""Fixtures of the torture suite: ONE flow run over the torture folder serves every bad-input and
injection test (a flow run costs seconds; Prefect's temporary server ~15 s once per process), and
the crash tests' helper process is started early so its imports overlap this process's start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reliability import torture
from whosaid import warehouse

CRASHING_CLI = Path(__file__).with_name("crashing_cli.py")


@dataclass
class TortureRun:
    torture: torture.Torture
    warehouse: Path
    summary: dict

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return warehouse.query(self.warehouse, sql, params)[1]

    def relative(self, uri: str | None) -> str | None:
        """A quarantine/article uri relative to the torture folder (URLs stay as they are)."""
        prefix = str(self.torture.folder) + "/"
        return uri[len(prefix):] if uri and uri.startswith(prefix) else uri


@dataclass
class CrashHelper:
    """A running crashing_cli.py, warmed up (or warming up) and waiting for its plan on stdin."""

    process: subprocess.Popen
    results: Path
    log: Path

    def run(self, plan: dict, timeout: float) -> dict:
        self.process.stdin.write(json.dumps(plan))
        self.process.stdin.close()
        returncode = self.process.wait(timeout=timeout)
        assert returncode == 0, self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        return json.loads(self.results.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def crash_helper(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash_helper")
    log = folder / "helper.log"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    with open(log, "w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(CRASHING_CLI), str(folder / "results.json")],
            stdin=subprocess.PIPE, stdout=log_file, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env,
        )
    yield CrashHelper(process, folder / "results.json", log)
    if process.poll() is None:  # the crash tests were not selected: stop the idle helper
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def torture_run(tmp_path_factory, crash_helper):
    """``crash_helper`` is requested only to start it now: on the 2-core machine its ~18 s of
    imports then run beside this process's own (Prefect server, spaCy, GX)."""
    from flows.etl import etl_flow

    folder = tmp_path_factory.mktemp("torture") / "inputs"
    built = torture.build(folder)
    # A quote in the warehouse's folder name: the path is spliced into ATTACH, so it must be quoted.
    wh = tmp_path_factory.mktemp("wh") / "it's a warehouse" / "whosaid.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        torture.unreadable_by_permission(mp, folder / torture.PERMISSION_DENIED_NAME)
        summary = etl_flow(inputs=[str(folder)], warehouse_path=str(wh))
    yield TortureRun(built, wh, summary)
    (folder / "huge_50mb.txt").unlink()  # don't leave 50 MB in pytest's kept temp dirs
