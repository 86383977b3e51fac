"""Export the warehouse as Parquet for other engines (Spark, Polars, pandas, Trino, BigQuery, ...).

Every table and every view becomes Parquet through DuckDB's COPY, from a read-only connection, so
a BI tool or another reader can keep the file open and nothing in the warehouse changes. Facts are
written as a Hive-partitioned folder by publication month (``fact_quote/month=2025-06/*.parquet``,
``month=unknown`` for undated articles) so engines prune by month; dimensions, audit tables and
views are one file each. ``manifest.json`` lists what was written, the row counts and descriptions.

Layout of DIR::

    dim_article.parquet  dim_entity.parquet  ...           one file per table
    fact_accusation/month=2025-06/data_0.parquet ...      facts, partitioned by month
    views/v_accusations.parquet ...                        one file per view
    manifest.json
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from whosaid.contracts import load_contracts
from whosaid.warehouse import ARTICLE_FACTS, connect

#: The partition folder for facts of articles without a publication date.
UNKNOWN_MONTH = "unknown"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Exported:
    """One table or view written: where, how many rows, and how it is laid out."""

    name: str
    kind: str  # table | view
    path: str  # relative to the export folder
    rows: int
    partition_by: str | None
    description: str


def export_warehouse(warehouse_path: Path | str, out_dir: Path | str) -> list[Exported]:
    """Write every table and view of the warehouse under ``out_dir``; returns what was written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    contracts = load_contracts()
    written: list[Exported] = []
    with connect(warehouse_path, read_only=True) as con:
        for name, c in contracts.items():
            if name in ARTICLE_FACTS:
                written.append(_export_fact(con, name, out, c.table_comment))
            else:
                written.append(_export_file(con, name, "table", out / f"{name}.parquet", out, c.table_comment))
        (out / "views").mkdir(exist_ok=True)
        for view, comment in _views(con):
            written.append(_export_file(con, view, "view", out / "views" / f"{view}.parquet", out, comment or ""))
    _write_manifest(out, warehouse_path, written)
    return written


def _views(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None]]:
    return con.execute(
        "SELECT view_name, comment FROM duckdb_views() "
        "WHERE NOT internal AND database_name = current_database() ORDER BY view_name"
    ).fetchall()


def _export_file(
    con: duckdb.DuckDBPyConnection, name: str, kind: str, target: Path, out: Path, description: str
) -> Exported:
    rows = _copy(con, f"SELECT * FROM {_ident(name)}", target, "")
    return Exported(name, kind, str(target.relative_to(out)), rows, None, description)


def fact_with_month_sql(fact: str) -> str:
    """The fact's rows plus ``month`` (yyyy-mm of its article's UTC publication date, or 'unknown')."""
    return (
        f"SELECT f.*, coalesce(strftime(a.published_date, '%Y-%m'), '{UNKNOWN_MONTH}') AS month "
        f"FROM {_ident(fact)} f LEFT JOIN dim_article a USING (article_id)"
    )


def _export_fact(con: duckdb.DuckDBPyConnection, fact: str, out: Path, description: str) -> Exported:
    """A Hive-partitioned folder by month; the folder is replaced so no stale month survives."""
    target = out / fact
    if target.exists():
        shutil.rmtree(target)
    rows = _copy(con, fact_with_month_sql(fact), target, ", PARTITION_BY (month)")
    if rows == 0:
        # PARTITION_BY writes no file for zero rows; one empty file keeps the schema readable.
        empty = target / f"month={UNKNOWN_MONTH}"
        empty.mkdir(parents=True, exist_ok=True)
        _copy(con, f"SELECT * EXCLUDE (month) FROM ({fact_with_month_sql(fact)})", empty / "data_0.parquet", "")
    return Exported(fact, "table", fact, rows, "month", description)


def _copy(con: duckdb.DuckDBPyConnection, select_sql: str, target: Path, options: str) -> int:
    """COPY a query to Parquet; returns the number of rows written (COPY reports it)."""
    return con.execute(f"COPY ({select_sql}) TO {_literal(str(target))} (FORMAT parquet{options})").fetchone()[0]


def _write_manifest(out: Path, warehouse_path: Path | str, written: list[Exported]) -> None:
    manifest = {
        "warehouse": str(Path(warehouse_path).resolve()),
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duckdb_version": duckdb.__version__,
        "objects": [asdict(e) for e in written],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
