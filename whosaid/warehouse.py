"""DuckDB warehouse: schema from the contracts, idempotent loads in one transaction, read-only SQL.

The file is written in DuckDB's v1.4 storage format so BI drivers that bundle DuckDB 1.4/1.5 can open
it. Surrogate keys are derived from natural keys (see normalize.stable_id), so loads are upserts by
key, and an article's facts are replaced as a unit when it is re-extracted.

Two more jobs live here because both are about the file itself:

* versioned schema: ``schema_version`` plus ordered ``sql/migrations/NNNN_*.sql``; a new warehouse is
  created from the contracts, an existing one is migrated, and either way the result must equal the
  contracts (a contract changed without a migration is an error before anything is loaded);
* publishing: BI tools open FILE; a run never writes it. The run copies FILE to a private working
  copy beside it, loads that, and atomically renames it over FILE (see WorkingCopy).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from whosaid.contracts import Contract, load_contracts, sql_literal
from whosaid.settings import SQL_DIR

#: Oldest storage format the published file keeps, so DuckDB 1.4 LTS / 1.5 clients can read it.
STORAGE_VERSION = "v1.4.0"
ALIAS = "wh"

log = logging.getLogger(__name__)

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
    """Bring the warehouse to the current schema, then (re)apply COMMENTs and views.

    A new warehouse gets the contracts' DDL and is stamped with the latest migration; an existing
    one gets the migrations it has not seen, in order. Either way the tables must then equal the
    contracts, so a contract changed without a migration stops the run before anything is loaded
    (and, thanks to publishing, before the file BI tools read is touched). COMMENTs and views are
    documentation and queries, not data: they are re-applied from schemas/ and sql/views/ each time.
    """
    con.execute(SCHEMA_VERSION_DDL)
    version = schema_version(con)
    if version == 0:
        version = _initialize(con)
    migrate(con, version)
    assert_matches_contracts(con)
    # one transaction, so one commit: each statement on its own was a commit with its own fsync,
    # and a new warehouse's ~170 COMMENTs made opening it I/O-bound (1.1 s wall for 0.2 s of CPU)
    with transaction(con):
        for stmt in _changed_comments(con):
            con.execute(stmt)
        for view in view_files():
            con.execute(view.read_text(encoding="utf-8"))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK and re-raise when the block fails (an interrupt included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _changed_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """COMMENT statements whose text differs from what the warehouse holds: usually none, where
    re-running all of them (174 today) took ~0.6 s per open on a 2-core machine."""
    current = {
        (t, None): comment
        for t, comment in con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    current.update(
        {
            (t, col): comment
            for t, col, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database()"
            ).fetchall()
        }
    )
    wanted: list[tuple[str, str | None, str]] = []
    for c in load_contracts().values():
        wanted.append((c.name, None, c.table_comment))
        wanted.extend((c.name, col.name, col.description) for col in c.columns)
    wanted.extend(SCHEMA_VERSION_COMMENT_TEXT)
    return [
        f"COMMENT ON TABLE {t} IS {sql_literal(text)};" if col is None else f"COMMENT ON COLUMN {t}.{col} IS {sql_literal(text)};"
        for t, col, text in wanted
        if current.get((t, col)) != text
    ]


# ---- schema versions and migrations ------------------------------------------------------------
MIGRATIONS_DIR = SQL_DIR / "migrations"
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

SCHEMA_VERSION_DDL = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    description VARCHAR NOT NULL,
    PRIMARY KEY (version)
);"""
SCHEMA_VERSION_COMMENT_TEXT = (
    (
        "schema_version",
        None,
        "Schema history: one row per migration applied to this warehouse (sql/migrations/NNNN_*.sql), "
        "or one row for the version a new warehouse was created at.",
    ),
    ("schema_version", "version", "Migration number; the warehouse is at max(version)."),
    ("schema_version", "applied_at", "When it was applied (UTC)."),
    ("schema_version", "description", "The migration file, or how the warehouse got to this version."),
)
#: Tables the warehouse keeps besides the contracts' (excluded from the contract comparison).
BOOKKEEPING_TABLES = ("schema_version",)


class SchemaDriftError(RuntimeError):
    """The warehouse's tables differ from the contracts after every migration ran."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def description(self) -> str:
        return self.path.name

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations(directory: Path | None = None) -> list[Migration]:
    """The migrations in order. Numbers run 1..N without gaps or repeats, so every warehouse replays
    the same history whatever version it starts from."""
    directory = directory or MIGRATIONS_DIR
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise ValueError(f"{path}: migrations are named NNNN_snake_case.sql (e.g. 0003_add_x.sql)")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations in {directory} must be numbered 1..N without gaps or repeats: {numbers}")
    return found


def latest_version() -> int:
    return len(migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version the warehouse is at (0: no version recorded yet)."""
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def _record_version(con: duckdb.DuckDBPyConnection, version: int, description: str) -> None:
    con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, _now(), description])


def _initialize(con: duckdb.DuckDBPyConnection) -> int:
    """Version a warehouse that has none: a new one is created from the contracts at the latest
    version; one with tables predates versioning, so it is the 0001 baseline (and gets the rest)."""
    with transaction(con):
        tables = _table_names(con) - set(BOOKKEEPING_TABLES)
        if tables:
            if not {"etl_run", "dim_article"} <= tables:
                raise SchemaDriftError(
                    f"not a whosaid warehouse: it has tables ({', '.join(sorted(tables))}) but no etl_run/dim_article"
                )
            version, description = 1, "baseline: warehouse created before schema versioning"
        else:
            for c in load_contracts().values():
                con.execute(c.create_table_sql())
            version = latest_version()
            description = f"created from the contracts at version {version}"
        _record_version(con, version, description)
    return version


def migrate(con: duckdb.DuckDBPyConnection, current: int | None = None) -> list[int]:
    """Apply every migration newer than the warehouse, in order, each in its own transaction with
    its schema_version row (a failing migration leaves the warehouse at the previous version).
    Returns the versions applied."""
    current = schema_version(con) if current is None else current
    applied = []
    for m in migrations():
        if m.version <= current:
            continue
        try:
            with transaction(con):
                con.execute(m.sql())
                _record_version(con, m.version, m.description)
        except BaseException as exc:
            raise RuntimeError(f"migration {m.path.name} failed, warehouse left at version {current}: {exc}") from exc
        current = m.version
        applied.append(m.version)
    return applied


# ---- comparing the warehouse with the contracts -----------------------------------------------
def _table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def schema_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """table → {"columns": {name: (type, nullable)}, "keys": {(PRIMARY KEY|UNIQUE, columns)}} of the
    current database, bookkeeping tables left out.

    Column order is not part of it: ALTER TABLE ADD COLUMN can only append, and every load names its
    columns, so a migrated table with the same columns in another order is the same table.
    """
    tables = _table_names(con) - set(BOOKKEEPING_TABLES)
    snapshot: dict[str, dict] = {t: {"columns": {}, "keys": set()} for t in tables}
    for table, column, dtype, nullable in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall():
        if table in snapshot:
            snapshot[table]["columns"][column] = (dtype, bool(nullable))
    for table, kind, columns in con.execute(
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall():
        if table in snapshot:
            snapshot[table]["keys"].add((kind, tuple(columns)))
    return snapshot


@lru_cache(maxsize=1)
def contract_schema_snapshot() -> dict[str, dict]:
    """What a warehouse built from the contracts alone looks like (built in memory and read back,
    so both sides of the comparison come from DuckDB's own catalog)."""
    con = duckdb.connect(":memory:")
    try:
        for c in load_contracts().values():
            con.execute(c.create_table_sql())
        return schema_snapshot(con)
    finally:
        con.close()


def schema_differences(actual: dict[str, dict], expected: dict[str, dict]) -> list[str]:
    """Human-readable differences between two schema snapshots (empty: the same schema)."""
    out = []
    for table in sorted(expected.keys() - actual.keys()):
        out.append(f"table {table} is in the contracts but not in the warehouse")
    for table in sorted(actual.keys() - expected.keys()):
        out.append(f"table {table} is in the warehouse but has no contract")
    for table in sorted(actual.keys() & expected.keys()):
        have, want = actual[table], expected[table]
        for col in sorted(want["columns"].keys() - have["columns"].keys()):
            out.append(f"column {table}.{col} is in the contract but not in the warehouse")
        for col in sorted(have["columns"].keys() - want["columns"].keys()):
            out.append(f"column {table}.{col} is in the warehouse but not in the contract")
        for col in sorted(have["columns"].keys() & want["columns"].keys()):
            if have["columns"][col] != want["columns"][col]:
                (ht, hn), (wt, wn) = have["columns"][col], want["columns"][col]
                out.append(
                    f"column {table}.{col} is {ht}{'' if hn else ' NOT NULL'} in the warehouse, "
                    f"{wt}{'' if wn else ' NOT NULL'} in the contract"
                )
        for kind, cols in sorted(want["keys"] - have["keys"]):
            out.append(f"{kind} ({', '.join(cols)}) on {table} is in the contract but not in the warehouse")
        for kind, cols in sorted(have["keys"] - want["keys"]):
            out.append(f"{kind} ({', '.join(cols)}) on {table} is in the warehouse but not in the contract")
    return out


def suggested_migration(actual: dict[str, dict], expected: dict[str, dict]) -> str:
    """A starting point for the missing migration: DDL for what the contracts add. Review it: a new
    NOT NULL column needs a backfill before SET NOT NULL, and removals are left commented out."""
    contracts = load_contracts()
    lines = []
    for table in sorted(expected.keys() - actual.keys()):
        lines.append(contracts[table].create_table_sql() if table in contracts else f"-- CREATE TABLE {table} ...")
    for table in sorted(actual.keys() & expected.keys()):
        have, want = actual[table]["columns"], expected[table]["columns"]
        for col in [c for c in want if c not in have]:
            dtype, nullable = want[col]
            lines.append(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {col} {dtype};")
            if not nullable:
                lines.append(f"-- backfill {table}.{col}, then: ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL;")
        for col in [c for c in have if c in want and have[c][0] != want[c][0]]:
            lines.append(f"ALTER TABLE {table} ALTER COLUMN {col} TYPE {want[col][0]};")
        for col in [c for c in have if c not in want]:
            lines.append(f"-- ALTER TABLE {table} DROP COLUMN {col};  -- only if the data may go")
    for table in sorted(actual.keys() - expected.keys()):
        lines.append(f"-- DROP TABLE {table};  -- only if the data may go")
    return "\n".join(lines)


def assert_matches_contracts(con: duckdb.DuckDBPyConnection) -> None:
    """Raise SchemaDriftError, with the migration to write, if the tables differ from the contracts."""
    actual, expected = schema_snapshot(con), contract_schema_snapshot()
    problems = schema_differences(actual, expected)
    if problems:
        version = schema_version(con)
        raise SchemaDriftError(
            f"the warehouse (schema version {version}) does not match the contracts in schemas/:\n  - "
            + "\n  - ".join(problems)
            + f"\nA contract changed without a migration: add sql/migrations/{version + 1:04d}_<what>.sql, "
            f"for example:\n{suggested_migration(actual, expected)}"
        )


# ---- reads the flow needs ----------------------------------------------------------------------
def loaded_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """article_key → extractor_version of every article already loaded."""
    return dict(con.execute("SELECT article_key, extractor_version FROM dim_article").fetchall())


def keys_present(
    con: duckdb.DuckDBPyConnection, wanted: Mapping[tuple[str, str], Iterable]
) -> dict[tuple[str, str], set]:
    """Of the candidate keys in ``wanted`` ((table, column) → keys), those the warehouse holds,
    found by DuckDB (a semi-join), so memory follows the candidates, not the warehouse."""
    contracts = load_contracts()
    found: dict[tuple[str, str], set] = {}
    for (table, column), candidates in wanted.items():
        values = list(candidates)
        if not values:
            found[(table, column)] = set()
            continue
        if table not in contracts or column not in contracts[table].column_names:
            raise ValueError(f"no column {table}.{column} in the contracts")
        _register(con, "stg_wanted_keys", pl.DataFrame({"k": values}))
        try:
            rows = con.execute(f'SELECT k FROM stg_wanted_keys WHERE k IN (SELECT "{column}" FROM "{table}")').fetchall()
        finally:
            con.unregister("stg_wanted_keys")
        found[(table, column)] = {r[0] for r in rows}
    return found


def unrecorded_uris(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (article_id, uri) pairs ``article_uri`` does not hold yet, found by DuckDB (an anti-join)
    so memory does not grow with the warehouse."""
    frame = pl.DataFrame(list(pairs), schema={"article_id": pl.Int64, "uri": pl.Utf8}, orient="row")
    if frame.height == 0:
        return set()
    _register(con, "stg_known_uris", frame)
    try:
        rows = con.execute(
            "SELECT k.article_id, k.uri FROM stg_known_uris k ANTI JOIN article_uri a USING (article_id, uri)"
        ).fetchall()
    finally:
        con.unregister("stg_known_uris")
    return {(int(a), u) for a, u in rows}


# ---- writes ------------------------------------------------------------------------------------
def start_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    con.execute(
        "INSERT INTO etl_run (run_id, started_at, status, inputs, extractor_version, spacy_model, input_fingerprint) "
        "VALUES (?, ?, 'running', ?, ?, ?, ?)",
        [run["run_id"], run["started_at"], run["inputs"], run["extractor_version"], run["spacy_model"],
         run.get("input_fingerprint")],
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
    with transaction(con):
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


# ---- publishing: BI tools read FILE; a run writes a private copy and swaps it in ---------------
#: Linux ioctl that clones a file's extents: an O(1) copy-on-write copy on btrfs/XFS (ext4 refuses).
_FICLONE = 0x40049409


def published_path(path: Path | str) -> Path:
    """The file runs replace: FILE itself, or the file FILE links to (the symlink keeps working)."""
    return Path(os.path.realpath(path))


def lock_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def working_copy_path(target: Path, run_id: str) -> Path:
    return target.with_name(f".{target.name}.{run_id}.work")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def stale_working_copies(target: Path) -> list[Path]:
    """Working copies (and their WALs) beside FILE; with the writer lock held they are all left
    over from runs that died (kill -9, power loss) before publishing or cleaning up."""
    prefix = f".{target.name}."
    return sorted(
        p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith((".work", ".work.wal"))
    )


class WorkingCopy:
    """A run's private copy of the warehouse and the writer lock, from :meth:`open` to :meth:`publish`.

    Why: DuckDB lets one process write a file, and a BI tool's read-only connection blocks writers,
    so a run that wrote FILE in place would fail whenever a dashboard had it open, and a reader
    opening it mid-run would depend on DuckDB's WAL for consistency. Instead FILE is replaced whole:

    1. ``open``: take the writer lock (``.FILE.lock``, flock: one run at a time; the kernel drops it
       if the process dies), delete working copies crashed runs left, and copy FILE to
       ``.FILE.<run_id>.work`` beside it while holding a DuckDB read lock on FILE, so no DuckDB
       writer (a BI tool connected read-write) can be mid-write during the copy;
    2. the run migrates, loads and records itself (etl_run) in the copy;
    3. ``publish``: CHECKPOINT (everything in the one file, no WAL), check the run's etl_run row is
       there and finished, fsync, ``os.replace`` over FILE (atomic on POSIX), fsync the directory.

    Readers that hold FILE keep the inode they opened: the previous run, complete. Connections opened
    after the rename see the new run, complete. A crash at any point leaves FILE as the last
    successful publish left it. The copy inherits FILE's storage format (v1.4.0), so the published
    file stays readable by DuckDB 1.4/1.5 clients.
    """

    def __init__(self, target: Path, path: Path, lock_fd: int, snapshot_method: str, snapshot_seconds: float):
        self.target = target
        self.path = path
        self.snapshot_method = snapshot_method  # "new" (no FILE yet), "reflink" or "copy"
        self.snapshot_seconds = snapshot_seconds
        self.publish_seconds: float | None = None
        self.published = False
        self._lock_fd: int | None = lock_fd

    @classmethod
    def open(cls, warehouse_path: Path | str, run_id: str) -> "WorkingCopy":
        target = published_path(warehouse_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock_writer(target, run_id)
        path = working_copy_path(target, run_id)
        try:
            for stale in stale_working_copies(target):
                log.warning("removing %s, left by a run that did not finish", stale)
                stale.unlink()
            started = time.perf_counter()
            method = _snapshot(target, path) if target.exists() else "new"
            return cls(target, path, fd, method, time.perf_counter() - started)
        except BaseException:
            _remove_copy(path)
            _unlock(fd)
            raise

    def publish(self, run_id: str) -> None:
        """Seal the copy and rename it over FILE; the lock is released whatever happens."""
        started = time.perf_counter()
        try:
            self._seal(run_id)
            if self.target.exists():
                shutil.copymode(self.target, self.path)
            os.replace(self.path, self.target)
            _fsync_dir(self.target.parent)
            self.published = True
        finally:
            self.close()
        self.publish_seconds = time.perf_counter() - started

    def _seal(self, run_id: str) -> None:
        """Fold the WAL into the file (a WAL beside the copy would not travel with the rename) and
        prove the copy opens and records this run as finished before anyone can open it."""
        with connect(self.path) as con:
            con.execute(f"CHECKPOINT {ALIAS}")
            row = con.execute("SELECT status FROM etl_run WHERE run_id = ?", [run_id]).fetchone()
        if _wal(self.path).exists():
            raise RuntimeError(f"{self.path}: a WAL survived the checkpoint; not publishing a file that needs it")
        if row is None or row[0] == "running":
            raise RuntimeError(f"{self.path}: run {run_id} is not recorded as finished; not publishing it")
        _fsync_file(self.path)

    def close(self) -> None:
        """Drop an unpublished copy and release the writer lock (idempotent)."""
        if not self.published:
            _remove_copy(self.path)
        if self._lock_fd is not None:
            _unlock(self._lock_fd)
            self._lock_fd = None


def _lock_writer(target: Path, run_id: str) -> int:
    """Hold ``.FILE.lock`` exclusively, or say who does. flock, not DuckDB's lock, because FILE
    itself is never opened for writing."""
    path = lock_path_for(target)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
        os.close(fd)
        raise WarehouseBusyError(
            f"another whosaid run is writing {target} ({holder}); runs take turns, retry when it has finished"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, run {run_id}, since {_now():%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0)
    return fd


def _unlock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _snapshot(target: Path, dest: Path) -> str:
    """Copy FILE (and a WAL a crashed read-write client left) to ``dest`` under a DuckDB read lock.
    A process holding FILE for writing makes this a WarehouseBusyError instead of a torn copy."""
    with connect(target, read_only=True):
        method = _copy_file(target, dest)
        if _wal(target).exists():
            _copy_file(_wal(target), _wal(dest))
    return method


def _copy_file(src: Path, dst: Path) -> str:
    """A reflink where the filesystem can (instant, shares blocks), else a kernel-side copy."""
    with open(src, "rb") as s, open(dst, "wb") as d:
        try:
            fcntl.ioctl(d.fileno(), _FICLONE, s.fileno())
            return "reflink"
        except OSError:
            pass
    shutil.copyfile(src, dst)
    return "copy"


def _remove_copy(path: Path) -> None:
    for p in (path, _wal(path)):
        p.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX: a rename lives in the directory)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
