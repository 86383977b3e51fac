"""The published warehouse opens in the DuckDB 1.5 engine BI drivers bundle, not only in ours.

Uses the real `duckdb` CLI 1.5.6 (PyPI package duckdb-cli, a dev dependency) as a separate process:
the file written by this project's DuckDB (2.x) through the publish path must open read-only there,
every table and view must answer, including after an upgrade by migrations. A control shows the
check is real: a file in DuckDB 2's default storage format does not open in that CLI.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import normalize, stages, warehouse
from whosaid.settings import Settings

CLI_VERSION = "v1.5."


@pytest.fixture(scope="module")
def duckdb_cli() -> Path:
    cli = Path(sys.executable).parent / "duckdb"
    if not cli.exists():
        found = shutil.which("duckdb")
        if not found:
            pytest.skip("duckdb CLI not installed: `make install` adds duckdb-cli==1.5.6 (dev dependency)")
        cli = Path(found)
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith(CLI_VERSION), f"{cli} is {version!r}, expected DuckDB {CLI_VERSION}x"
    return cli


def _cli(cli: Path, path: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli), "-readonly", "-csv", str(path), "-c", sql], capture_output=True, text=True, timeout=120)


def _rows(result: subprocess.CompletedProcess) -> list[list[str]]:
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


@pytest.fixture(scope="module")
def seed_frames():
    settings = Settings()
    ingested = stages.ingest_inputs([str(SEED_ARTICLE)], settings)
    plan = stages.plan_extraction(ingested.articles, {}, settings.extractor_version)
    extractions, _ = stages.extract_batch([(a.article_key, a.body) for a in plan.to_extract], settings)
    return plan, extractions


def _publish(path: Path, run_id: str, plan, extractions) -> None:
    run = {"run_id": run_id, "started_at": datetime.now(), "inputs": "x", "extractor_version": "0.1.0", "spacy_model": "sm"}
    frames = normalize.build_frames(plan.to_extract, extractions, run_id, "sm", "0.1.0").tables
    work = stages.open_run(path, run)
    stages.load_run(str(work.path), frames, [], [])
    stages.close_run(work, run_id, "completed", {}, None)


def _check_everything_answers(cli: Path, path: Path) -> None:
    with warehouse.connect(path, read_only=True) as con:
        relations = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE database_name = 'wh' AND NOT internal ORDER BY 1"
        ).fetchall()]
        expected = {r: con.execute(f"SELECT count(*) FROM {r}").fetchone()[0] for r in relations}
    assert any(name.startswith("v_") for name in relations)
    sql = " UNION ALL ".join(f"SELECT '{r}', count(*) FROM {r}" for r in relations)
    got = {name: int(n) for name, n in _rows(_cli(cli, path, sql))}
    assert got == expected


def test_published_warehouse_opens_in_duckdb_1_5(tmp_path, duckdb_cli, seed_frames):
    path = tmp_path / "whosaid.duckdb"
    _publish(path, "run-1", *seed_frames)  # a new file
    _publish(path, "run-2", *seed_frames)  # rewritten from a copy of the published one
    assert _rows(_cli(duckdb_cli, path, "SELECT version()"))[0][0].startswith(CLI_VERSION)
    _check_everything_answers(duckdb_cli, path)
    accusations = _rows(_cli(duckdb_cli, path, "SELECT accuser, accused FROM v_accusations"))
    assert ["Guo Jiakun", "NATO"] in accusations


def test_warehouse_upgraded_by_migrations_opens_in_duckdb_1_5(tmp_path, duckdb_cli, seed_frames):
    path = tmp_path / "old.duckdb"
    with warehouse.connect(path) as con:  # as the first release left it: 0001 tables, no schema_version
        con.execute(warehouse.migrations()[0].sql())
    _publish(path, "run-1", *seed_frames)  # migrates (ALTER TABLE, backfills) in the working copy
    assert _rows(_cli(duckdb_cli, path, "SELECT max(version) FROM schema_version"))[0][0] == str(warehouse.latest_version())
    _check_everything_answers(duckdb_cli, path)


def test_control_duckdb_2_default_format_does_not_open_in_1_5(tmp_path, duckdb_cli):
    path = tmp_path / "default_format.duckdb"
    con = duckdb.connect(str(path))  # no STORAGE_VERSION: DuckDB 2's own format
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    result = _cli(duckdb_cli, path, "SELECT * FROM t")
    assert result.returncode != 0 and "version" in result.stderr.lower()
