"""Publishing: BI tools hold the warehouse file while runs replace it, whole, underneath them.

The headline test runs the real flow (via `whosaid run`) while a second process holds a read-only
DuckDB connection on the file, as Metabase, Superset (duckdb-engine) or DBeaver do, and polls it.
The others exercise the working copy directly: a second writer, a client holding the file
read-write, a run killed with SIGKILL, a failed run, a symlinked warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEED_ARTICLE
from whosaid import normalize, stages, warehouse
from whosaid.ingest import RawArticle, article_key
from whosaid.nlp.records import ArticleExtraction, Mention, Sentence

STATE_SQL = (
    "SELECT (SELECT count(*) FROM dim_article), (SELECT count(*) FROM fact_quote), "
    "(SELECT count(*) FROM fact_mention), (SELECT string_agg(status, ',' ORDER BY started_at) FROM etl_run)"
)

# A BI tool in miniature: opens the file read-only and keeps the connection; meanwhile opens a fresh
# connection every few milliseconds. Reports every state each one saw when the stop file appears.
READER = r"""
import json, os, sys, time
import duckdb
path, stop, sql = sys.argv[1], sys.argv[2], sys.argv[3]
held = duckdb.connect(path, read_only=True)
first = tuple(held.execute(sql).fetchone())
print(json.dumps(first), flush=True)
held_seen, fresh_seen, polls = {first}, set(), 0
while not os.path.exists(stop):
    held_seen.add(tuple(held.execute(sql).fetchone()))
    fresh = duckdb.connect(":memory:")  # a new database instance: duckdb.connect(path) would reuse `held`
    fresh.execute(f"ATTACH '{path}' AS w (READ_ONLY)")
    fresh.execute("USE w")
    fresh_seen.add(tuple(fresh.execute(sql).fetchone()))
    fresh.close()
    polls += 1
    time.sleep(0.02)
held_seen.add(tuple(held.execute(sql).fetchone()))
print(json.dumps({"held": sorted(held_seen), "fresh": sorted(fresh_seen), "polls": polls}), flush=True)
"""


def _state(path) -> tuple:
    with warehouse.connect(path, read_only=True) as con:
        return tuple(con.execute(STATE_SQL).fetchone())


@pytest.mark.slow
def test_run_publishes_atomically_while_a_bi_reader_holds_the_file(tmp_path):
    from typer.testing import CliRunner

    from whosaid.cli import app

    wh = tmp_path / "warehouse" / "whosaid.duckdb"
    _publish_run(wh, "run-1", "Ann Lee said the plan was fine.")  # the previous run (no NLP needed)
    before = _state(wh)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)

    (inputs / "second.txt").write_text(
        "Senator Ann Lee accused the mayor of hiding the audit. \"We will not stay silent,\" Lee said.",
        encoding="utf-8",
    )
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(wh), str(stop), STATE_SQL],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert tuple(json.loads(reader.stdout.readline())) == before
        with pytest.raises(duckdb.IOException, match="lock"):  # the reader really holds the file:
            duckdb.connect(str(wh)).close()  # writing FILE in place, as runs used to, would fail here
        result = CliRunner().invoke(app, ["run", "--input", str(inputs), "--warehouse", str(wh), "--show", "0"])
        assert result.exit_code == 0, result.output
        time.sleep(0.3)  # let the reader poll the published file a few times
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    seen = json.loads(out.strip().splitlines()[-1])
    held = {tuple(s) for s in seen["held"]}
    fresh = {tuple(s) for s in seen["fresh"]}
    after = _state(wh)  # a new connection after the run

    assert after[0] == before[0] + 2 and after[1] > before[1]  # the seed and the new article
    assert after[3] == "completed,completed"  # the published file says how the run ended
    assert held == {before}  # the open connection kept the previous run, whole
    assert fresh <= {before, after} and after in fresh  # new connections: old or new, never half
    assert seen["polls"] > 5
    printed = result.output.replace("\n", "")  # rich wraps long paths
    assert str(wh) in printed and f"data quality (GX Data Docs): {(wh.parent / 'data_docs' / 'index.html').as_uri()}" in printed
    assert (wh.parent / "data_docs" / "index.html").is_file()
    assert sorted(p.name for p in wh.parent.iterdir()) == [
        ".whosaid.duckdb.lock", "data_docs", "whosaid.duckdb"
    ]  # no working copy or WAL left beside the file


# ---- the working copy, without the flow --------------------------------------------------------
def _frames(body: str, run_id: str):
    key = article_key(body)
    art = RawArticle(key, f"mem://{key}", body, "t", None, None, None, None, None, "txt", "mem")
    ex = ArticleExtraction(key, [Sentence(0, 0, len(body))], [Mention(0, 0, 7, body[:7], "PERSON", 0)], n_tokens=5)
    return normalize.build_frames([art], [ex], run_id, "sm", "0.1.0").tables


def _run(run_id: str) -> dict:
    return {"run_id": run_id, "started_at": datetime.now(), "inputs": "x", "extractor_version": "0.1.0", "spacy_model": "sm"}


def _publish_run(path, run_id: str, body: str) -> None:
    work = stages.open_run(path, _run(run_id))
    stages.load_run(str(work.path), _frames(body, run_id), [], [])
    stages.close_run(work, run_id, "completed", {}, None)


def _table_hashes(path) -> dict:
    with warehouse.connect(path, read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone()
            for t in ("etl_run", "dim_article", "dim_entity", "fact_mention", "schema_version")
        }


@pytest.fixture
def published(tmp_path) -> Path:
    path = tmp_path / "wh" / "w.duckdb"
    _publish_run(path, "run-1", "Ann Lee said the plan was fine.")
    return path


def test_first_publish_creates_the_file_in_the_compatible_format_without_a_wal(published):
    with warehouse.connect(published, read_only=True) as con:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'wh'").fetchone()[0]
    assert tags["storage_version"] == warehouse.STORAGE_VERSION + "+"
    assert not Path(str(published) + ".wal").exists()
    assert _state(published)[3] == "completed"


def test_a_second_run_is_refused_while_one_holds_the_lock(published):
    work = warehouse.WorkingCopy.open(published, "run-2")
    try:
        with pytest.raises(warehouse.WarehouseBusyError, match=r"another whosaid run is writing .*run-2"):
            warehouse.WorkingCopy.open(published, "run-3")
    finally:
        work.close()
    assert not work.path.exists()  # an unpublished copy is dropped
    warehouse.WorkingCopy.open(published, "run-4").close()  # and the lock is free again


def test_a_client_holding_the_file_read_write_makes_the_run_busy_not_torn(published):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.read()",
         str(published)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(warehouse.WarehouseBusyError, match="locked by another process"):
            stages.open_run(published, _run("run-2"))
    finally:
        holder.communicate("", timeout=30)
    assert warehouse.stale_working_copies(warehouse.published_path(published)) == []
    _publish_run(published, "run-2", "Bo Chan said the plan was late.")  # works once the client is gone
    assert _state(published)[0] == 2


# What stages.open_run does, without importing the NLP stack (a run's cost is not the point here).
CRASHER = r"""
import os, signal, sys
from datetime import datetime
from whosaid import warehouse
work = warehouse.WorkingCopy.open(sys.argv[1], "killed-run")
with warehouse.connect(work.path) as con:
    warehouse.ensure_schema(con)
    warehouse.start_run(con, {"run_id": "killed-run", "started_at": datetime.now(), "inputs": "x",
                              "extractor_version": "0.1.0", "spacy_model": "sm"})
    con.execute("DELETE FROM fact_mention")  # half of a load
    con.execute("DELETE FROM dim_entity")
print(work.path, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_run_leaves_the_published_file_intact_and_the_next_run_cleans_up(published):
    before = _table_hashes(published)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHER, str(published)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    leftover = Path(crashed.stdout.strip())
    assert leftover.exists() and leftover.parent == published.parent
    assert _table_hashes(published) == before  # readers never saw the half load or the 'running' row

    _publish_run(published, "run-2", "Bo Chan said the plan was late.")  # the lock died with the process
    assert not leftover.exists()
    assert _state(published)[3] == "completed,completed"


def test_a_failed_run_is_published_as_failed_with_the_previous_data(published):
    before = _table_hashes(published)
    work = stages.open_run(published, _run("run-2"))
    try:
        raise ValueError("spaCy ran out of memory")
    except ValueError as exc:
        stages.abandon_run(work, "run-2", {}, exc)
    after = _table_hashes(published)
    assert {t: h for t, h in after.items() if t != "etl_run"} == {t: h for t, h in before.items() if t != "etl_run"}
    rows = warehouse.query(published, "SELECT run_id, status, message FROM etl_run ORDER BY started_at")[1]
    assert rows[-1] == ("run-2", "failed", "ValueError: spaCy ran out of memory")
    assert not work.path.exists()


def test_a_copy_whose_run_is_not_finished_is_never_published(published):
    before = _table_hashes(published)
    work = stages.open_run(published, _run("run-2"))
    with pytest.raises(RuntimeError, match="not recorded as finished"):
        work.publish("run-2")
    assert _table_hashes(published) == before
    assert not work.path.exists()
    warehouse.WorkingCopy.open(published, "run-3").close()  # the lock was released


def test_a_symlinked_warehouse_keeps_its_link_and_the_copy_lives_beside_the_target(tmp_path, published):
    link = tmp_path / "bi" / "current.duckdb"
    link.parent.mkdir()
    link.symlink_to(published)
    _publish_run(link, "run-2", "Bo Chan said the plan was late.")
    assert link.is_symlink() and os.path.realpath(link) == str(published)
    assert _state(link)[0] == 2
    assert sorted(p.name for p in link.parent.iterdir()) == ["current.duckdb"]


@pytest.mark.slow
def test_cli_run_on_a_busy_warehouse_says_so_and_exits_3(published):
    from typer.testing import CliRunner

    from whosaid.cli import app

    before = _table_hashes(published)
    other = warehouse.WorkingCopy.open(published, "other-run")  # as another run would hold it
    try:
        result = CliRunner().invoke(app, ["run", "--input", str(SEED_ARTICLE), "--warehouse", str(published), "--show", "0"])
    finally:
        other.close()
    printed = result.output.replace("\n", "")
    assert result.exit_code == 3, printed
    assert "error: another whosaid run is writing" in printed and "other-run" in printed
    assert _table_hashes(published) == before
