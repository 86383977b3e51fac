"""`whosaid export`: every table and view as Parquet, facts partitioned by publication month."""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.test_queries import SYNTHETIC, load_synthetic
from whosaid import warehouse
from whosaid.cli import app
from whosaid.contracts import load_contracts
from whosaid.export import MANIFEST, export_warehouse
from whosaid.normalize import build_frames
from whosaid.warehouse import ARTICLE_FACTS


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return load_synthetic(tmp_path_factory.mktemp("wh") / "w.duckdb")


def _read(path) -> pl.DataFrame:
    """How another engine reads the export: a file, or a Hive-partitioned folder."""
    if path.is_dir():
        return pl.read_parquet(path / "**" / "*.parquet", hive_partitioning=True, hive_schema={"month": pl.String})
    return pl.read_parquet(path)


def _count(wh, name: str) -> int:
    return warehouse.query(wh, f'SELECT count(*) FROM "{name}"')[1][0][0]


def test_every_table_and_view_round_trips_with_its_row_count(synthetic, tmp_path):
    before = hashlib.sha256(synthetic.read_bytes()).hexdigest()
    written = export_warehouse(synthetic, tmp_path / "out")
    assert hashlib.sha256(synthetic.read_bytes()).hexdigest() == before, "export must not touch the warehouse"

    views = {r[0] for r in warehouse.query(synthetic, "SELECT view_name FROM duckdb_views() WHERE NOT internal")[1]}
    assert {e.name for e in written} == set(load_contracts()) | views
    for e in written:
        frame = _read(tmp_path / "out" / e.path)
        assert frame.height == e.rows == _count(synthetic, e.name), e.name
        expected = warehouse.query(synthetic, f'SELECT * FROM "{e.name}" LIMIT 0')[0]
        partition = [e.partition_by] if e.partition_by else []
        assert frame.columns == expected + partition, e.name
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert {o["name"]: o["rows"] for o in manifest["objects"]} == {e.name: e.rows for e in written}


def test_facts_are_partitioned_by_publication_month_with_unknown_for_undated(synthetic, tmp_path):
    export_warehouse(synthetic, tmp_path)
    months = dict(
        warehouse.query(
            synthetic,
            "SELECT coalesce(strftime(a.published_date, '%Y-%m'), 'unknown'), count(*) "
            "FROM fact_accusation f JOIN dim_article a USING (article_id) GROUP BY ALL",
        )[1]
    )
    assert months == {"2025-03": 2, "2025-04": 1, "unknown": 2}
    folders = {p.name for p in (tmp_path / "fact_accusation").iterdir()}
    assert folders == {f"month={m}" for m in months}
    for month, n in months.items():
        assert pl.read_parquet(tmp_path / "fact_accusation" / f"month={month}" / "*.parquet").height == n


def test_an_empty_fact_is_one_empty_file_that_still_has_the_schema(synthetic, tmp_path):
    assert _count(synthetic, "fact_quote") == 0  # the synthetic articles carry no quotes
    export_warehouse(synthetic, tmp_path)
    frame = _read(tmp_path / "fact_quote")
    assert frame.height == 0
    assert [c for c in frame.columns if c != "month"] == load_contracts()["fact_quote"].column_names


def test_reexport_replaces_partitions_so_no_stale_month_survives(synthetic, tmp_path):
    export_warehouse(synthetic, tmp_path)
    undated_only = tmp_path / "undated.duckdb"
    art, ex = SYNTHETIC[-1]
    frames = build_frames([art], [ex], "run-u", "none", "0.0").tables
    with warehouse.connect(undated_only) as con:
        warehouse.ensure_schema(con)
        warehouse.load(con, frames, [], [])
    export_warehouse(undated_only, tmp_path)
    for fact in ARTICLE_FACTS:
        assert {p.name for p in (tmp_path / fact).iterdir()} == {"month=unknown"}, fact
    assert _read(tmp_path / "fact_accusation").height == 2


def test_cli_export_writes_the_files_and_reports_a_missing_warehouse(synthetic, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--warehouse", str(synthetic)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "dim_date.parquet").is_file()
    assert pl.read_parquet(tmp_path / "out" / "dim_date.parquet").height == 365

    result = runner.invoke(app, ["export", str(tmp_path / "out2"), "--warehouse", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 2
    assert "whosaid run" in result.output
