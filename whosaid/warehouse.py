"""DuckDB warehouse: schema from the contracts, idempotent loads in one transaction, read-only SQL.

The file is written in DuckDB's v1.4 storage format so BI drivers that bundle DuckDB 1.4/1.5 can open
it. Surrogate keys are derived from natural keys (see normalize.stable_id), so loads are upserts by
key, and an article's facts are replaced as a unit when it is re-extracted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from whosaid.contracts import Contract, load_contracts
from whosaid.settings import SQL_DIR

#: Oldest storage format the published file keeps, so DuckDB 1.4 LTS / 1.5 clients can read it.
STORAGE_VERSION = "v1.4.0"
ALIAS = "wh"

#: Content tables whose rows belong to one article: replaced as a unit on (re)extraction.
ARTICLE_FACTS = ("fact_mention", "fact_quote", "fact_accusation", "fact_denial")
#: Written by the run itself (etl_run) or merged specially (dq_result, quarantine), not upserted from frames.
AUDIT_TABLES = ("etl_run", "dq_result", "quarantine")
#: Tables whose rows never change once written (first_run_id must keep the first run).
INSERT_ONLY = ("article_uri", "bridge_entity_affiliation")


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse file for writing."""


@contextmanager
def connect(path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse file (created in the compatible storage format when new)."""
    path = Path(path)
    con = duckdb.connect(":memory:")
    try:
        if read_only:
            if not path.exists():
                raise FileNotFoundError(f"no warehouse at {path}: run `whosaid run` first")
            con.execute(f"ATTACH {_quote(str(path))} AS {ALIAS} (READ_ONLY)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            options = "" if path.exists() else f" (STORAGE_VERSION '{STORAGE_VERSION}')"
            con.execute(f"ATTACH {_quote(str(path))} AS {ALIAS}{options}")
        con.execute(f"USE {ALIAS}")
    except duckdb.IOException as exc:
        con.close()
        if "lock" in str(exc).lower():
            raise WarehouseBusyError(
                f"{path} is locked by another process (a run, or a BI tool holding it for writing): {exc}"
            ) from exc
        raise
    try:
        yield con
    finally:
        con.close()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---- schema ------------------------------------------------------------------------------------
def ddl_statements(contracts: dict[str, Contract] | None = None) -> list[str]:
    contracts = contracts or load_contracts()
    stmts = [c.create_table_sql() for c in contracts.values()]
    for c in contracts.values():
        stmts.extend(c.comment_sql())
    return stmts


def view_files() -> list[Path]:
    return sorted((SQL_DIR / "views").glob("*.sql"))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables, COMMENTs and views (idempotent)."""
    for stmt in ddl_statements():
        con.execute(stmt)
    for view in view_files():
        con.execute(view.read_text(encoding="utf-8"))


# ---- reads the flow needs ----------------------------------------------------------------------
def loaded_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """article_key → extractor_version of every article already loaded."""
    return dict(con.execute("SELECT article_key, extractor_version FROM dim_article").fetchall())


def existing_keys(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list]:
    """Keys facts may reference that earlier runs loaded (for relationship expectations)."""
    return {
        ("dim_article", "article_id"): [r[0] for r in con.execute("SELECT article_id FROM dim_article").fetchall()],
        ("dim_entity", "entity_id"): [r[0] for r in con.execute("SELECT entity_id FROM dim_entity").fetchall()],
        ("etl_run", "run_id"): [r[0] for r in con.execute("SELECT run_id FROM etl_run").fetchall()],
    }


# ---- writes ------------------------------------------------------------------------------------
def start_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    con.execute(
        "INSERT INTO etl_run (run_id, started_at, status, inputs, extractor_version, spacy_model) "
        "VALUES (?, ?, 'running', ?, ?, ?)",
        [run["run_id"], run["started_at"], run["inputs"], run["extractor_version"], run["spacy_model"]],
    )


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict, message: str | None) -> None:
    columns = [
        "n_files", "n_articles_read", "n_articles_new", "n_articles_skipped", "n_mentions",
        "n_quotes", "n_accusations", "n_denials", "n_quarantined",
    ]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    con.execute(
        f"UPDATE etl_run SET finished_at = ?, status = ?, message = ?, {assignments} WHERE run_id = ?",
        [_now(), status, message, *[counts.get(c) for c in columns], run_id],
    )


def load(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pl.DataFrame],
    quarantine_rows: list[dict],
    dq_rows: list[dict],
) -> None:
    """Upsert a run's frames in ONE transaction: readers never see half a run."""
    contracts = load_contracts()
    con.execute("BEGIN TRANSACTION")
    try:
        articles = frames.get("dim_article")
        if articles is not None and articles.height:
            _register(con, "stg_reloaded", articles.select("article_id"))
            for table in ARTICLE_FACTS:
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM stg_reloaded)")
            con.unregister("stg_reloaded")
        for table in contracts:  # contract order: parents before children
            frame = frames.get(table)
            if table in AUDIT_TABLES or frame is None or frame.height == 0:
                continue
            _upsert(con, contracts[table], frame, update=table not in INSERT_ONLY)
        if dq_rows:
            _upsert(con, contracts["dq_result"], _rows_frame(contracts["dq_result"], dq_rows), update=True)
        if quarantine_rows:
            _upsert_quarantine(con, contracts["quarantine"], quarantine_rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    con.register(name, frame.to_arrow())


def _upsert(con: duckdb.DuckDBPyConnection, c: Contract, frame: pl.DataFrame, update: bool) -> None:
    frame = c.conform(frame)
    stg = f"stg_{c.name}"
    _register(con, stg, frame)
    cols = ", ".join(c.column_names)
    keys = ", ".join(c.primary_key)
    non_keys = [n for n in c.column_names if n not in c.primary_key]
    if update and non_keys:
        action = "DO UPDATE SET " + ", ".join(_update_expr(c, n) for n in non_keys)
    else:
        action = "DO NOTHING"
    con.execute(f"INSERT INTO {c.name} ({cols}) SELECT {cols} FROM {stg} ON CONFLICT ({keys}) {action}")
    con.unregister(stg)


def _update_expr(c: Contract, column: str) -> str:
    if c.column(column).upsert == "coalesce":
        return f"{column} = coalesce(excluded.{column}, {c.name}.{column})"
    return f"{column} = excluded.{column}"


def _upsert_quarantine(con: duckdb.DuckDBPyConnection, c: Contract, rows: list[dict]) -> None:
    frame = _rows_frame(c, rows).unique("quarantine_key", keep="first", maintain_order=True)
    stg = "stg_quarantine"
    _register(con, stg, frame)
    cols = ", ".join(c.column_names)
    con.execute(
        f"INSERT INTO quarantine ({cols}) SELECT {cols} FROM {stg} "
        "ON CONFLICT (quarantine_key) DO UPDATE SET last_run_id = excluded.last_run_id"
    )
    con.unregister(stg)


def _rows_frame(c: Contract, rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{n: r.get(n) for n in c.column_names} for r in rows], schema=c.polars_schema, strict=False)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ---- reading for people ------------------------------------------------------------------------
def query(path: Path | str, sql: str, params: list | dict | None = None) -> tuple[list[str], list[tuple]]:
    """Run SQL read-only against the warehouse; returns (column names, rows)."""
    with connect(path, read_only=True) as con:
        cur = con.execute(sql, params or [])
        if cur.description is None:
            return [], []
        names = [d[0] for d in cur.description]
        return names, cur.fetchall()


def to_json_rows(names: list[str], rows: list[tuple]) -> str:
    return json.dumps([dict(zip(names, r)) for r in rows], default=str, ensure_ascii=False, indent=2)
