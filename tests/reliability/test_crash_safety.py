"""Crash safety: ``kill -9`` the CLI during extraction, during the load and just before publishing;
rerun; the warehouse must equal a clean single run, table by table, row by row, with no duplicates.

The crashes are real SIGKILLs of real CLI runs (``whosaid.cli.app``, what the ``whosaid`` console
script calls), each its own process, forked from a warm helper (see crashing_cli.py for where they
land and why). The runs are chained on one warehouse — crash, crash, crash, then a normal rerun —
so each crash also starts from whatever the previous one left behind (a stale writer lock, working
copies, WALs).

Columns that legitimately differ between two runs over the same input, and are left out of the
comparison: run ids (``run_id``, ``first_run_id``, ``last_run_id``) and wall-clock times
(``started_at``, ``finished_at``, ``quarantined_at``, ``evaluated_at``, ``applied_at``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_ARTICLE
from tests.reliability import torture
from whosaid import warehouse

pytestmark = pytest.mark.slow

VOLATILE_COLUMNS = frozenset(
    {"run_id", "first_run_id", "last_run_id", "started_at", "finished_at", "quarantined_at", "evaluated_at", "applied_at"}
)
CRASH_POINTS = ("extract", "load", "publish")
CRASHING_CLI = Path(__file__).with_name("crashing_cli.py")
SUBPROCESS_TIMEOUT_S = 420


def _write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    shutil.copy(SEED_ARTICLE, folder / "seed.txt")
    (folder / "council.txt").write_text(torture.COUNCIL, encoding="utf-8")
    (folder / "hospital.txt").write_text(torture.HOSPITAL, encoding="utf-8")
    (folder / "copy_of_council.txt").write_text(torture.COUNCIL, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("café au lait".encode("latin-1"))


def _subprocess_env() -> dict[str, str]:
    """Point the subprocesses at this process's Prefect server when it has one: each would
    otherwise boot its own temporary server (15-50 s each on the 2-core machine)."""
    env = dict(os.environ)
    try:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer._instances.get(None)
        if server is not None and server.running and not env.get("PREFECT_API_URL"):
            env["PREFECT_API_URL"] = server.api_url
    except Exception:  # noqa: BLE001 — an optimisation only; without it each run boots a server
        pass
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def _crash_runs(run_args: list[str], watch: Path, logs: Path) -> list[dict]:
    """One crashing_cli.py process forks a CLI run per crash point, then one uninterrupted rerun,
    in order (see its docstring)."""
    plan = [
        {"kill_at": point, "args": run_args, "log": str(logs / f"run_{point or 'rerun'}.log"), "watch": str(watch)}
        for point in (*CRASH_POINTS, None)
    ]
    (logs / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    helper = subprocess.run(
        [sys.executable, str(CRASHING_CLI), str(logs / "plan.json"), str(logs / "results.json")],
        cwd=ROOT, env=_subprocess_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert helper.returncode == 0, helper.stderr[-3000:]
    results = json.loads((logs / "results.json").read_text(encoding="utf-8"))
    for step in results["steps"]:
        step["output"] = Path(step["log"]).read_text(encoding="utf-8", errors="replace")
    return results["steps"]


def table_fingerprints(path: Path) -> dict[str, list[int]]:
    """Every table → the sorted hashes of its rows, volatile columns left out (a multiset: a
    duplicated row shows up as a repeated hash)."""
    with warehouse.connect(path, read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name IN (SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main') ORDER BY table_name, column_index"
        ).fetchall():
            columns.setdefault(table, []).append(column)
        out = {}
        for table, cols in columns.items():
            kept = ", ".join(f'"{c}"' for c in cols if c not in VOLATILE_COLUMNS)
            out[table] = [h for (h,) in con.execute(f"SELECT hash({kept}) AS h FROM {table} ORDER BY h").fetchall()]
        return out


@pytest.fixture(scope="module")
def crash_then_rerun(tmp_path_factory):
    from flows.etl import etl_flow

    root = tmp_path_factory.mktemp("crash")
    inputs = root / "inputs"
    _write_inputs(inputs)
    clean = root / "clean" / "whosaid.duckdb"
    etl_flow(inputs=[str(inputs)], warehouse_path=str(clean))  # also boots the Prefect server the CLI runs share

    crashed = root / "crashed" / "whosaid.duckdb"
    run_args = ["run", "--input", str(inputs), "--warehouse", str(crashed), "--show", "0"]
    *crashes, rerun = _crash_runs(run_args, watch=crashed, logs=root)
    return clean, crashed, {step["kill_at"]: step for step in crashes}, rerun


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_the_run_really_died_by_sigkill_at_the_point(crash_then_rerun, point):
    step = crash_then_rerun[2][point]
    assert step["signal"] == signal.SIGKILL, (
        f"kill point {point!r} was never reached (exit code {step['exit_code']}):\n{step['output'][-3000:]}"
    )
    assert f"SIGKILL at {point!r}" in step["output"]


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_crash_leaves_the_published_warehouse_untouched(crash_then_rerun, point):
    step = crash_then_rerun[2][point]
    assert step["watch_after"] == step["watch_before"]  # no half-written warehouse file either


def test_rerun_after_the_crashes_succeeds(crash_then_rerun):
    rerun = crash_then_rerun[3]
    assert (rerun["signal"], rerun["exit_code"]) == (None, 0), rerun["output"][-3000:]
    assert "completed_with_warnings" in rerun["output"]


def test_warehouse_after_crashes_and_rerun_equals_a_clean_single_run(crash_then_rerun):
    clean, crashed = crash_then_rerun[0], crash_then_rerun[1]
    expected, got = table_fingerprints(clean), table_fingerprints(crashed)
    assert sorted(got) == sorted(expected)
    differing = {t: (len(expected[t]), len(got[t])) for t in expected if got[t] != expected[t]}
    assert not differing, f"tables differing from a clean run (rows clean, rows after crashes): {differing}"
    assert all(len(expected[t]) > 0 for t in ("dim_article", "fact_quote", "quarantine", "etl_run", "dq_result"))


def test_no_duplicate_rows_and_one_finished_run(crash_then_rerun):
    crashed = crash_then_rerun[1]
    for table, hashes in table_fingerprints(crashed).items():
        assert len(hashes) == len(set(hashes)), f"{table} holds duplicate rows"
    runs = warehouse.query(crashed, "SELECT status, finished_at IS NOT NULL FROM etl_run")[1]
    assert runs == [("completed_with_warnings", True)]  # crashed runs were never published
    assert warehouse.query(crashed, "SELECT count(*) FROM article_uri WHERE uri LIKE '%council.txt'")[1] == [(2,)]


def test_no_working_copies_are_left_behind(crash_then_rerun):
    crashed = crash_then_rerun[1]
    leftovers = [p.name for p in crashed.parent.iterdir() if p.name.endswith((".work", ".work.wal", ".wal"))]
    assert leftovers == []
