"""Scale-out: the flow on a Dask LocalCluster (2 worker processes) through prefect-dask must build
the same warehouse as the local thread runner — extraction is a pure function of the article, and
keys derive from content, so where a batch runs must not change a single row."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import POLNEAR, SEED_ARTICLE
from whosaid import warehouse

pytestmark = pytest.mark.slow

#: Columns that name the run, which legitimately differ between two runs; so do clock columns
#: (every TIMESTAMP but the articles' own published_at).
VOLATILE = {"run_id", "first_run_id", "last_run_id"}
#: Bookkeeping, not content.
SKIPPED_TABLES = {"etl_run", "schema_version"}
N_POLNEAR = 5


def _inputs(folder):
    """The seed plus some real PolNeAR dev articles when the corpus is there (the seed alone is
    still split into batches across both workers, but more articles make the comparison stronger)."""
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    texts = sorted((POLNEAR / "dev" / "text").glob("*.txt"))[:N_POLNEAR] if (POLNEAR / "dev" / "text").is_dir() else []
    for text in texts:
        shutil.copy(text, folder / text.name)
    (folder / "empty.txt").write_text("")  # a quarantine row must match too
    return 1 + len(texts)


def _content_hashes(path) -> dict[str, tuple[int, int]]:
    """(row count, order-independent hash of the rows) per table, volatile columns left out."""
    with warehouse.connect(path, read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        hashes = {}
        for table in tables:
            if table in SKIPPED_TABLES:
                continue
            columns = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
            ).fetchall()
            kept = ", ".join(
                f'"{name}"' for name, dtype in columns
                if name not in VOLATILE and (not dtype.startswith("TIMESTAMP") or name == "published_at")
            )
            hashes[table] = con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM (SELECT {kept} FROM {table}) x").fetchone()
        return hashes


def test_dask_local_cluster_builds_the_same_warehouse_as_the_local_runner(tmp_path):
    from distributed import Client, LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.etl import etl_flow, prefect_api_for_workers

    folder = tmp_path / "inputs"
    folder.mkdir()
    n_articles = _inputs(folder)
    local_wh, dask_wh = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"

    local = etl_flow(inputs=[str(folder)], warehouse_path=str(local_wh))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = etl_flow.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        with prefect_api_for_workers():
            distributed = on_dask(inputs=[str(folder)], warehouse_path=str(dask_wh))
        with Client(cluster) as client:
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)

    assert local["n_articles_new"] == distributed["n_articles_new"] == n_articles
    assert local["status"] == distributed["status"] == "completed_with_warnings"  # the empty file
    assert sorted(n > 0 for n in executed.values()) == [True, True]  # both workers extracted batches
    local_hashes, dask_hashes = _content_hashes(local_wh), _content_hashes(dask_wh)
    assert local_hashes["fact_accusation"][0] > 0 and local_hashes["quarantine"][0] == 1
    assert dask_hashes == local_hashes
