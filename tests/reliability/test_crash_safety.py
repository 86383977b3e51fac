"""Crash safety: ``kill -9`` the CLI during extraction, during the load and just before publishing;
rerun; the warehouse must equal a clean single run, table by table, row by row, with no duplicates.

The crashes are real SIGKILLs of real CLI runs (``whosaid.cli.app``, what the ``whosaid`` console
script calls), each its own process, forked from a warm helper (see crashing_cli.py for where they
land and why), as is the clean single run the result is compared with. The runs are chained on one
warehouse — crash, crash, crash, then a normal rerun — so each crash also starts from whatever the
previous one left behind (a stale writer lock, working copies, WALs).

Columns that legitimately differ between two runs over the same input, and are left out of the
comparison: run ids (``run_id``, ``first_run_id``, ``last_run_id``) and wall-clock times
(``started_at``, ``finished_at``, ``quarantined_at``, ``evaluated_at``, ``applied_at``).
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE
from tests.reliability import torture
from whosaid import warehouse

pytestmark = pytest.mark.slow

VOLATILE_COLUMNS = frozenset(
    {"run_id", "first_run_id", "last_run_id", "started_at", "finished_at", "quarantined_at", "evaluated_at", "applied_at"}
)
CRASH_POINTS = ("extract", "load", "publish")
SUBPROCESS_TIMEOUT_S = 420


def _write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    shutil.copy(SEED_ARTICLE, folder / "seed.txt")
    (folder / "council.txt").write_text(torture.COUNCIL, encoding="utf-8")
    (folder / "hospital.txt").write_text(torture.HOSPITAL, encoding="utf-8")
    (folder / "copy_of_council.txt").write_text(torture.COUNCIL, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("café au lait".encode("latin-1"))


def _shared_prefect_api_url() -> str | None:
    """A temporary Prefect server in this process (the one the torture run booted, or a new one)
    for the CLI runs to share: each would otherwise boot its own (15-50 s each on 2 cores)."""
    if os.environ.get("PREFECT_API_URL"):
        return None  # a real server is configured: the runs use it as they are
    try:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()  # a no-op when this process already runs it
        return server.api_url
    except Exception:  # noqa: BLE001 — an optimisation only; without it each run boots a server
        return None


def _cli_runs(helper, clean_args: list[str], crash_args: list[str], crashed: Path, logs: Path) -> list[dict]:
    """The helper forks, in order: the clean run, a run per crash point, the uninterrupted rerun.
    The clean run goes through the same helper so both sides of the comparison run the same code
    snapshot (in a tree being edited, a module can change between two imports)."""
    steps = [{"kill_at": None, "args": clean_args, "log": str(logs / "run_clean.log"), "watch": None}]
    steps += [
        {"kill_at": point, "args": crash_args, "log": str(logs / f"run_{point or 'rerun'}.log"), "watch": str(crashed)}
        for point in (*CRASH_POINTS, None)
    ]
    results = helper.run({"prefect_api_url": _shared_prefect_api_url(), "steps": steps}, timeout=SUBPROCESS_TIMEOUT_S)
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
def crash_then_rerun(tmp_path_factory, crash_helper):
    root = tmp_path_factory.mktemp("crash")
    inputs = root / "inputs"
    _write_inputs(inputs)
    clean, crashed = root / "clean" / "whosaid.duckdb", root / "crashed" / "whosaid.duckdb"
    clean_args, crash_args = (
        ["run", "--input", str(inputs), "--warehouse", str(path), "--show", "0"] for path in (clean, crashed)
    )
    clean_run, *crashes, rerun = _cli_runs(crash_helper, clean_args, crash_args, crashed, logs=root)
    assert (clean_run["signal"], clean_run["exit_code"]) == (None, 0), clean_run["output"][-3000:]
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
