"""Versioned schema: migrations replay to exactly the contracts, and upgrading never loses data.

A warehouse is built at an older version from the committed migration files (as that release's code
built it), filled with rows, then opened by the current code (ensure_schema). Every row must still be
there, and the tables must equal a warehouse created fresh from the contracts.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import dimensions, normalize, stages, validate, warehouse
from whosaid.contracts import load_contracts
from whosaid.settings import Settings

N_ROWS = 3


def _build_at(path, version: int, record_version: bool = True) -> None:
    """A warehouse as the release at `version` left it: migrations 1..version applied. Without
    `record_version` it is a warehouse from before schema_version existed (only 0001 applies)."""
    with warehouse.connect(path) as con:
        if record_version:
            con.execute(warehouse.SCHEMA_VERSION_DDL)
        for m in warehouse.migrations()[:version]:
            con.execute(m.sql())
            if record_version:
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [m.version, datetime(2025, 1, 1), m.description])


def _value(dtype: str, row: int, col: int):
    """A distinct, typed value per (row, column), so rows are unique on any key."""
    n = row * 100 + col
    return {
        "BIGINT": 10_000 + n,
        "INTEGER": 100 + n,
        "DOUBLE": n + 0.25,
        "BOOLEAN": n % 2 == 0,
        "VARCHAR": f"v{n} “ok” ' ;",
        "TIMESTAMP": datetime(2024, 1, 1, 12) + timedelta(hours=n),
        "DATE": date(2024, 1, 1) + timedelta(days=n),
    }[dtype]


def _fill_every_table(con) -> dict[str, tuple[list[str], set[tuple]]]:
    """Insert N_ROWS rows into every table the warehouse has; return what was inserted."""
    inserted = {}
    for table, info in warehouse.schema_snapshot(con).items():
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = ? ORDER BY column_index", [table]
        ).fetchall()]
        rows = {
            tuple(_value(info["columns"][c][0], r, i) for i, c in enumerate(columns)) for r in range(N_ROWS)
        }
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", list(rows))
        inserted[table] = (columns, rows)
    return inserted


def _rows(con, table: str, columns: list[str]) -> set[tuple]:
    return set(con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())


def test_migrations_replay_to_exactly_the_contract_schema():
    """Fails when a contract changes without a migration: the message is the migration to write."""
    con = duckdb.connect(":memory:")
    con.execute(warehouse.SCHEMA_VERSION_DDL)
    for m in warehouse.migrations():
        con.execute(m.sql())
    actual, expected = warehouse.schema_snapshot(con), warehouse.contract_schema_snapshot()
    problems = warehouse.schema_differences(actual, expected)
    assert not problems, (
        "schemas/ changed without a migration:\n" + "\n".join(problems)
        + f"\n\nadd sql/migrations/{warehouse.latest_version() + 1:04d}_<what>.sql, e.g.:\n"
        + warehouse.suggested_migration(actual, expected)
    )


def test_migration_files_are_numbered_without_gaps(tmp_path):
    assert [m.version for m in warehouse.migrations()] == list(range(1, warehouse.latest_version() + 1))
    for m in warehouse.migrations():
        shutil.copy(m.path, tmp_path / m.path.name)
    shutil.copy(warehouse.migrations()[0].path, tmp_path / "0009_skipped_numbers.sql")
    with pytest.raises(ValueError, match="without gaps"):
        warehouse.migrations(tmp_path)


def test_new_warehouse_is_created_from_the_contracts_at_the_latest_version(tmp_path):
    path = tmp_path / "new.duckdb"
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        versions = con.execute("SELECT version, description FROM schema_version").fetchall()
        assert warehouse.schema_differences(warehouse.schema_snapshot(con), warehouse.contract_schema_snapshot()) == []
    latest = warehouse.latest_version()
    assert versions == [(latest, f"created from the contracts at version {latest}")]


@pytest.mark.parametrize("start", range(1, warehouse.latest_version() + 1))
def test_upgrade_from_every_version_keeps_every_row(tmp_path, start):
    path = tmp_path / f"v{start}.duckdb"
    _build_at(path, start)
    with warehouse.connect(path) as con:
        inserted = _fill_every_table(con)
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        for table, (columns, rows) in inserted.items():
            assert _rows(con, table, columns) == rows, f"{table} lost or changed rows migrating from {start}"
        assert warehouse.schema_differences(warehouse.schema_snapshot(con), warehouse.contract_schema_snapshot()) == []
        history = [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert history == list(range(1, warehouse.latest_version() + 1))
    # and the upgraded warehouse opens again without changes (migrations ran once)
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == warehouse.latest_version()


def test_warehouse_from_before_schema_versioning_is_adopted_as_the_baseline(tmp_path):
    path = tmp_path / "legacy.duckdb"
    _build_at(path, 1, record_version=False)
    with warehouse.connect(path) as con:
        inserted = _fill_every_table(con)
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        first = con.execute("SELECT version, description FROM schema_version ORDER BY version LIMIT 1").fetchone()
        for table, (columns, rows) in inserted.items():
            assert _rows(con, table, columns) == rows
    assert first == (1, "baseline: warehouse created before schema versioning")


def test_a_file_that_is_not_a_whosaid_warehouse_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    with warehouse.connect(path) as con:
        con.execute("CREATE TABLE sales (id INTEGER)")
    with warehouse.connect(path) as con, pytest.raises(warehouse.SchemaDriftError, match="not a whosaid warehouse"):
        warehouse.ensure_schema(con)


ARTICLES = [  # (outlet, published_date)
    (" The  Guardian ", date(2024, 2, 29)),
    ("the guardian", None),
    ("The Guardian", date(2024, 3, 1)),
    ("Reuters", date(2025, 12, 31)),
    ("Straße\u00a0News", date(2026, 1, 1)),
    (None, date(2025, 6, 15)),
    ("   ", None),
]


def _sixty_bit_id(natural_key: str) -> int:
    """stable_id as releases before 0004 computed it (15 hex digits of SHA-256)."""
    return int(hashlib.sha256(natural_key.encode("utf-8")).hexdigest()[:15], 16)


def _baseline_with_articles(path) -> None:
    _build_at(path, 1)
    with warehouse.connect(path) as con:
        for i, (outlet, published) in enumerate(ARTICLES):
            con.execute(
                "INSERT INTO dim_article (article_id, article_key, uri, source_format, body, body_chars, n_tokens, "
                "n_sentences, extractor_version, spacy_model, run_id, outlet, published_date) "
                "VALUES (?, ?, ?, 'txt', 'body', 4, 1, 1, '0.1.0', 'sm', 'run-0', ?, ?)",
                [_sixty_bit_id(f"key{i}"), f"key{i}", f"file:///a{i}.txt", outlet, published],
            )


def _frame(con, sql: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql).to_arrow_table())


def test_0002_backfills_outlets_and_dates_like_the_dimensions_module(tmp_path):
    """Existing articles get dim_outlet/dim_date rows and keys equal to what a fresh load computes.
    (If whosaid/dimensions.py changes its rules, existing rows need a new migration, not an edit.)"""
    path = tmp_path / "v1.duckdb"
    _baseline_with_articles(path)
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        articles = _frame(con, "SELECT * FROM dim_article ORDER BY article_id")
        outlets = _frame(con, "SELECT * FROM dim_outlet ORDER BY outlet_key")
        dates = _frame(con, "SELECT * FROM dim_date ORDER BY date_key")
    expected_keys = dimensions.with_dimension_keys(articles).select("article_id", "outlet_id", "date_key")
    assert articles.select("article_id", "outlet_id", "date_key").equals(expected_keys)
    expected_outlets = dimensions.dim_outlet(articles).sort("outlet_key")
    assert outlets.equals(expected_outlets.select(outlets.columns))
    assert outlets["outlet_name"].to_list() == ["Reuters", "Straße News", "The Guardian"]
    assert dates.equals(dimensions.dim_date(articles).sort("date_key").select(dates.columns))
    assert dates.height == 366 + 365 + 365  # 2024 (leap), 2025, 2026: whole years


def test_failing_migration_rolls_back_and_keeps_the_previous_version(tmp_path, monkeypatch):
    migrations_dir = tmp_path / "migrations"
    migrations_dir.mkdir()
    for m in warehouse.migrations():
        shutil.copy(m.path, migrations_dir / m.path.name)
    broken = migrations_dir / f"{warehouse.latest_version() + 1:04d}_broken.sql"
    broken.write_text("ALTER TABLE dim_article ADD COLUMN half_done INTEGER;\nSELECT * FROM no_such_table;\n")
    path = tmp_path / "w.duckdb"
    _baseline_with_articles(path)
    monkeypatch.setattr(warehouse, "MIGRATIONS_DIR", migrations_dir)
    with warehouse.connect(path) as con:
        with pytest.raises(RuntimeError, match=broken.name):
            warehouse.ensure_schema(con)
        assert warehouse.schema_version(con) == warehouse.latest_version() - 1
        columns = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'dim_article'").fetchall()}
        assert "half_done" not in columns
        assert con.execute("SELECT count(*) FROM dim_article").fetchone()[0] == len(ARTICLES)


def test_contract_change_without_migration_stops_before_loading(tmp_path):
    """A warehouse missing a contract column (as if the contract gained it and no migration came)."""
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        con.execute("ALTER TABLE fact_quote DROP COLUMN confidence")
    with warehouse.connect(path) as con, pytest.raises(warehouse.SchemaDriftError) as err:
        warehouse.ensure_schema(con)
    message = str(err.value)
    assert "column fact_quote.confidence is in the contract but not in the warehouse" in message
    assert f"sql/migrations/{warehouse.latest_version() + 1:04d}_" in message
    assert "ALTER TABLE fact_quote ADD COLUMN IF NOT EXISTS confidence DOUBLE;" in message


def test_every_contract_table_and_column_carries_its_comment_after_an_upgrade(tmp_path):
    path = tmp_path / "v1.duckdb"
    _baseline_with_articles(path)
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        comments = {
            (t, c): comment
            for t, c, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database()"
            ).fetchall()
        }
    for contract in load_contracts().values():
        for column in contract.columns:
            assert comments[(contract.name, column.name)] == column.description


# ---- a real warehouse of the previous release, upgraded, equals one built fresh -----------------
RUN = {"run_id": "run-1", "started_at": datetime(2025, 6, 27, 8), "inputs": "x", "extractor_version": "0.1.0", "spacy_model": "sm"}
#: What the upgrade cannot recreate: it comes from extraction (re-extract to fill it), not from SQL.
FILLED_BY_REEXTRACTION = {"bridge_entity_affiliation": None, "fact_denial": {"answers_accusation_index"}}
#: Clock times of the two builds, not data.
BUILD_TIME = {"quarantine": {"quarantined_at"}}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The seed article and a JSON article with outlet and date, through the real extractor."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / SEED_ARTICLE.name).write_text(SEED_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "wire.json").write_text(
        '{"id": "w1", "title": "Minister denies", "outlet": " The  Wire ", "published_at": "2025-06-26T09:00:00Z", '
        '"body": "Mark Rutte accused Beijing of fuelling the war. China denied the accusation, a spokesman said."}',
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("")
    settings = Settings()
    ingested = stages.ingest_inputs([str(folder)], settings)
    plan = stages.plan_extraction(ingested.articles, {}, settings.extractor_version)
    extractions, failures = stages.extract_batch([(a.article_key, a.body) for a in plan.to_extract], settings)
    assert not failures and ingested.quarantined
    return plan, extractions, ingested.quarantined


def _load_release(path, plan, extractions, quarantined) -> None:
    """Load with the current code into `path` (a fresh warehouse built from the contracts)."""
    frames = normalize.build_frames(plan.to_extract, extractions, RUN["run_id"], "sm", "0.1.0").tables
    quarantine = stages.quarantine_rows_from_ingest(quarantined, RUN["run_id"])
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        warehouse.start_run(con, RUN)
        warehouse.load(con, frames, quarantine, [])


def _old_release_warehouse(path, scratch, extracted, monkeypatch) -> None:
    """A warehouse as the 0001 release wrote it: its tables and columns only, and its 60-bit keys
    (stable_id took 15 hex digits then). Loaded with today's code under the old key function, then
    copied column by column into a file built from 0001_baseline.sql."""
    with monkeypatch.context() as m:
        for module in (normalize, dimensions, validate):
            m.setattr(module, "stable_id", _sixty_bit_id)
        _load_release(scratch, *extracted)
    _build_at(path, 1, record_version=False)
    with warehouse.connect(path) as con:
        con.execute(f"ATTACH '{scratch}' AS scratch (READ_ONLY)")
        for table, info in warehouse.schema_snapshot(con).items():
            cols = ", ".join(info["columns"])
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM scratch.main.{table}")
        con.execute("DETACH scratch")


def test_previous_release_upgraded_equals_a_fresh_build(tmp_path, extracted, monkeypatch):
    old, fresh = tmp_path / "old.duckdb", tmp_path / "fresh.duckdb"
    _old_release_warehouse(old, tmp_path / "scratch.duckdb", extracted, monkeypatch)
    with warehouse.connect(old, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact_quote").fetchone()[0] > 5  # real content to carry over
        old_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in warehouse.schema_snapshot(con)}
    _load_release(fresh, *extracted)
    with warehouse.connect(old) as con:
        warehouse.ensure_schema(con)  # the upgrade
    with warehouse.connect(old, read_only=True) as up, warehouse.connect(fresh, read_only=True) as new:
        assert warehouse.schema_differences(warehouse.schema_snapshot(up), warehouse.schema_snapshot(new)) == []
        for table, info in warehouse.schema_snapshot(new).items():
            if table in FILLED_BY_REEXTRACTION and FILLED_BY_REEXTRACTION[table] is None:
                continue
            skip = (FILLED_BY_REEXTRACTION.get(table) or set()) | BUILD_TIME.get(table, set())
            cols = [c for c in info["columns"] if c not in skip]
            select = f"SELECT {', '.join(cols)} FROM {table}"
            assert set(up.execute(select).fetchall()) == set(new.execute(select).fetchall()), table
        for table, n in old_counts.items():
            assert up.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, f"{table} lost rows"
        # keys are the new 52-bit ones, so the next run's upserts hit the same rows
        assert up.execute("SELECT max(article_id) < 2 ** 52, max(entity_id) < 2 ** 52 FROM dim_article, dim_entity").fetchone() == (True, True)
        assert up.execute("SELECT count(*) FROM dim_outlet").fetchone()[0] == 1


def test_re_keying_leaves_a_warehouse_with_new_keys_alone(tmp_path, extracted):
    """0004 only shifts 60-bit keys: a warehouse created with 52-bit keys and stamped at version 3
    (as one built between the two changes) keeps its keys."""
    path = tmp_path / "w.duckdb"
    _load_release(path, *extracted)
    with warehouse.connect(path) as con:
        before = con.execute("SELECT article_id FROM dim_article ORDER BY 1").fetchall()
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (3, now(), 'as if created at version 3')")
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        assert con.execute("SELECT article_id FROM dim_article ORDER BY 1").fetchall() == before
        assert warehouse.schema_version(con) == warehouse.latest_version()
