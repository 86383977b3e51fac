"""schemas/ ↔ DuckDB DDL ↔ COMMENTs ↔ GX suite ↔ Polars frames must agree."""

from __future__ import annotations

import duckdb
import pytest

from whosaid.contracts import POLARS_TYPES, TABLE_ORDER, load_contracts
from whosaid.validate import expectation_specs
from whosaid.warehouse import connect, ensure_schema

CONTRACTS = load_contracts()


@pytest.fixture(scope="module")
def schema_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("wh") / "contract.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        yield con


def test_every_table_has_a_contract_in_load_order():
    assert list(CONTRACTS) == list(TABLE_ORDER)


@pytest.mark.parametrize("name", TABLE_ORDER)
def test_contract_is_complete(name):
    c = CONTRACTS[name]
    assert c.description.strip() and c.grain.strip()
    assert set(c.primary_key) <= set(c.column_names)
    assert len(set(c.column_names)) == len(c.column_names), "duplicate column"
    for col in c.columns:
        assert col.description.strip(), f"{name}.{col.name} lacks a description"
        assert col.type in POLARS_TYPES


@pytest.mark.parametrize("name", TABLE_ORDER)
def test_ddl_matches_contract(schema_con, name):
    c = CONTRACTS[name]
    rows = schema_con.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE table_name = ? AND database_name = current_database() ORDER BY column_index",
        [name],
    ).fetchall()
    assert [r[0] for r in rows] == c.column_names
    for (col_name, data_type, nullable, comment), col in zip(rows, c.columns):
        assert data_type == col.type, col_name
        assert nullable == col.nullable or col.name in c.primary_key, col_name
        assert comment == col.description, f"COMMENT drifted on {name}.{col_name}"
    table_comment = schema_con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()", [name]
    ).fetchone()[0]
    assert table_comment == c.table_comment


@pytest.mark.parametrize("name", TABLE_ORDER)
def test_gx_suite_matches_contract(name):
    c = CONTRACTS[name]
    specs = expectation_specs(c)
    not_null = {s.column for s in specs if s.expectation_type == "expect_column_values_to_not_be_null"}
    assert not_null == {col.name for col in c.columns if not col.nullable}
    in_set = {s.column for s in specs if s.expectation_type == "expect_column_values_to_be_in_set" and not s.relationship}
    assert in_set == {col.name for col in c.columns if col.test_args("accepted_values") is not None}
    rels = {(s.column, s.relationship) for s in specs if s.relationship}
    declared = {
        (col.name, (col.test_args("relationships")["to"], col.test_args("relationships")["field"]))
        for col in c.columns
        if col.test_args("relationships")
    }
    assert rels == declared
    for _, (parent, field) in rels:
        assert field in CONTRACTS[parent].column_names, f"{name} references unknown {parent}.{field}"
    column_list = next(s for s in specs if s.expectation_type == "expect_table_columns_to_match_ordered_list")
    assert column_list.kwargs["column_list"] == c.column_names


def test_gx_expectations_build_for_every_spec():
    from whosaid.validate import build_gx_expectations

    for c in CONTRACTS.values():
        specs = expectation_specs(c)
        assert len(build_gx_expectations(specs, {})) == len(specs)


def test_views_reference_only_contract_columns(schema_con):
    views = {r[0] for r in schema_con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"v_quotes", "v_accusations", "v_denials", "v_quarantine", "v_dq_failures"} <= views
    cols = {r[0] for r in schema_con.execute("DESCRIBE v_quotes").fetchall()}
    assert {
        "article_uri", "article_title", "published_at", "speaker", "speaker_type", "speaker_start", "speaker_end",
        "cue", "cue_start", "cue_end", "content", "content_start", "content_end", "quote_kind",
    } <= cols
    cols = {r[0] for r in schema_con.execute("DESCRIBE v_accusations").fetchall()}
    assert {
        "article_uri", "article_title", "published_at", "accuser", "accuser_type", "accused", "accused_type",
        "charge", "cue", "cameo_code", "evidence", "evidence_start", "evidence_end",
    } <= cols


def test_file_opens_read_only_while_schema_is_written_in_compatible_format(tmp_path):
    path = tmp_path / "compat.duckdb"
    with connect(path) as con:
        ensure_schema(con)
        version = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    assert version.get("storage_version", "").startswith("v1.4"), version
    with duckdb.connect(str(path), read_only=True) as ro:
        assert ro.execute("SELECT count(*) FROM dim_article").fetchone() == (0,)
