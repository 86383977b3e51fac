"""GX validation splits bad rows to quarantine; DuckDB loads are idempotent and store text verbatim."""

from __future__ import annotations

import polars as pl
import pytest

from whosaid import warehouse
from whosaid.contracts import contract
from whosaid.ingest import RawArticle, article_key
from whosaid.nlp.records import Actor, ArticleExtraction, Mention, Quote, Sentence
from whosaid.normalize import build_frames
from whosaid.validate import expectation_specs, validate_frames

INJECTION = "'); DROP TABLE dim_article;-- {0} %s \x07 “quoted”"


def _extraction(body: str, speaker_ref: str | None = "Ann Lee", kind: str = "direct"):
    art = RawArticle(article_key(body), f"mem://{article_key(body)}", body, INJECTION, None, None, None, None, None, "txt", "mem")
    mentions = [Mention(0, 0, 7, body[0:7], "PERSON", 0)]
    sp = Actor(0, 7, body[0:7], "PERSON", 0, 7, speaker_ref) if speaker_ref else None
    quote = Quote(0, sp, 8, 12, body[8:12], "say", 13, len(body), body[13:], kind, 0.9, 0)
    return art, ArticleExtraction(art.article_key, [Sentence(0, 0, len(body))], mentions, [quote], n_tokens=5)


def _validated(pairs, run_id="run-1"):
    arts = [p[0] for p in pairs]
    exs = [p[1] for p in pairs]
    frames = build_frames(arts, exs, run_id, "sm", "0.1").tables
    return validate_frames(frames, run_id, {("etl_run", "run_id"): [run_id]})


def test_bad_row_is_quarantined_with_the_failed_expectation_and_the_rest_loads():
    good = _extraction("Ann Lee said this is fine.")
    bad = _extraction("Ann Lee said this is odd.", kind="shouted")
    outcome = _validated([good, bad])
    assert outcome.accepted["fact_quote"].height == 1
    assert outcome.accepted["dim_article"].height == 2
    [q] = outcome.quarantine_rows
    assert q["table_name"] == "fact_quote"
    assert q["reason"] == "expect_column_values_to_be_in_set"
    assert "quote_kind" in q["detail"] and "shouted" in q["record"]
    failed = [r for r in outcome.dq_rows if not r["success"]]
    assert [(r["table_name"], r["column_name"], r["unexpected_count"]) for r in failed] == [("fact_quote", "quote_kind", 1)]


def test_dq_result_has_one_row_per_expectation_per_table():
    outcome = _validated([_extraction("Ann Lee said this is fine.")])
    for table in ("dim_article", "fact_quote", "fact_mention"):
        n = len({(s.expectation_type, s.column, s.relationship) for s in expectation_specs(contract(table))})
        assert sum(1 for r in outcome.dq_rows if r["table_name"] == table) == n


def test_fact_pointing_at_missing_parent_is_quarantined():
    art, ex = _extraction("Ann Lee said this is fine.")
    frames = build_frames([art], [ex], "run-1", "sm", "0.1").tables
    frames["fact_quote"] = frames["fact_quote"].with_columns(article_id=pl.lit(42, dtype=pl.Int64))
    outcome = validate_frames(frames, "run-1", {("etl_run", "run_id"): ["run-1"]})
    assert outcome.accepted["fact_quote"].height == 0
    assert any(q["reason"] == "expect_column_values_to_be_in_set" and "article_id" in q["detail"] for q in outcome.quarantine_rows)


def _load(path, outcome, run_id="run-1"):
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        if run_id not in dict(con.execute("SELECT run_id, 1 FROM etl_run").fetchall()):
            warehouse.start_run(con, {"run_id": run_id, "started_at": None or __import__("datetime").datetime(2025, 1, 1),
                                      "inputs": "x", "extractor_version": "0.1", "spacy_model": "sm"})
        warehouse.load(con, outcome.accepted, outcome.quarantine_rows, outcome.dq_rows)


def _table_hashes(path) -> dict[str, tuple]:
    with warehouse.connect(path, read_only=True) as con:
        out = {}
        for table in ("dim_article", "article_uri", "dim_entity", "fact_mention", "fact_quote", "quarantine"):
            out[table] = con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchone()
        return out


def test_loading_twice_changes_nothing_and_text_is_stored_verbatim(tmp_path):
    path = tmp_path / "w.duckdb"
    outcome = _validated([_extraction("Ann Lee said this is fine."), _extraction("Ann Lee said this is odd.", kind="bad")])
    _load(path, outcome)
    first = _table_hashes(path)
    _load(path, outcome)
    assert _table_hashes(path) == first
    names, rows = warehouse.query(path, "SELECT title FROM dim_article")
    assert {r[0] for r in rows} == {INJECTION}
    names, rows = warehouse.query(path, "SELECT count(*) FROM quarantine")
    assert rows == [(1,)]


def test_reextraction_replaces_an_articles_facts(tmp_path):
    path = tmp_path / "w.duckdb"
    art, ex = _extraction("Ann Lee said this is fine.")
    _load(path, _validated([(art, ex)]))
    ex.quotes = []
    _load(path, _validated([(art, ex)]))
    assert warehouse.query(path, "SELECT count(*) FROM fact_quote")[1] == [(0,)]
    assert warehouse.query(path, "SELECT count(*) FROM dim_article")[1] == [(1,)]


def test_query_is_read_only_and_binds_parameters(tmp_path):
    path = tmp_path / "w.duckdb"
    _load(path, _validated([_extraction("Ann Lee said this is fine.")]))
    names, rows = warehouse.query(path, "SELECT count(*) AS n FROM dim_article WHERE title = $t", {"t": INJECTION})
    assert (names, rows) == (["n"], [(1,)])
    with pytest.raises(Exception, match="read-only|read only"):
        warehouse.query(path, "DROP TABLE dim_article")
    assert warehouse.query(path, "SELECT count(*) FROM dim_article")[1] == [(1,)]


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="whosaid run"):
        warehouse.query(tmp_path / "nope.duckdb", "SELECT 1")


def test_nullable_key_columns_keep_exact_ids_through_validation():
    """A quote without a speaker makes the column nullable; the others must still match dim_entity."""
    with_speaker = _extraction("Ann Lee said this is fine.")
    without = _extraction("Ann Lee said this is odd.", speaker_ref=None)
    without[1].quotes[0].speaker = None
    outcome = _validated([with_speaker, without])
    assert outcome.quarantine_rows == []
    assert outcome.accepted["fact_quote"].height == 2
    assert outcome.accepted["fact_quote"]["speaker_entity_id"].null_count() == 1


def test_pandas_conversion_keeps_nullable_integers_exact():
    from whosaid.validate import _to_pandas

    big = 2**62 + 1
    pdf = _to_pandas(pl.DataFrame({"k": [big, None]}, schema={"k": pl.Int64}))
    assert int(pdf["k"][0]) == big and pdf["k"].isna()[1]


def test_passing_expectations_carry_counts_and_a_failure_in_any_chunk_gets_its_own_docs_page(tmp_path):
    from datetime import datetime

    from whosaid.validate import build_data_docs

    failing_chunk = _validated([_extraction("Ann Lee said this is odd.", kind="shouted")])
    passing_chunk = _validated([_extraction("Ann Lee said this is fine.")])
    passed = [r for r in passing_chunk.dq_rows if r["table_name"] == "fact_quote"]
    assert all(r["success"] and r["element_count"] == 1 and r["unexpected_count"] == 0 for r in passed)
    index = build_data_docs(
        failing_chunk.gx_results + passing_chunk.gx_results, tmp_path / "docs", "run-1", datetime(2026, 1, 1)
    )
    pages = {p.stem for p in (tmp_path / "docs" / "validations").rglob("*.html")}
    assert "chunk-1" in pages  # fact_quote failed in the first chunk: its page survives the second
    assert "whole" in pages  # tables that passed in every chunk: one page each
    assert "chunk-1" in index.read_text(encoding="utf-8")


def test_the_index_keeps_earlier_runs_with_their_status(tmp_path):
    """The index lists every kept run, each page with its own pass/fail mark, though it reads only
    the stored results' summaries (validate._index_reads_summaries)."""
    from datetime import datetime

    from whosaid.validate import build_data_docs

    failing = _validated([_extraction("Ann Lee said this is odd.", kind="shouted")])
    passing = _validated([_extraction("Ann Lee said this is fine.")])
    build_data_docs(failing.gx_results, tmp_path / "docs", "run-1", datetime(2026, 1, 1))
    html = build_data_docs(passing.gx_results, tmp_path / "docs", "run-2", datetime(2026, 1, 2)).read_text(encoding="utf-8")
    n_pages = len(passing.gx_results)
    assert html.count("fa-times text-danger") == 1  # run 1's fact_quote page
    assert html.count("fa-check-circle text-success") == 2 * n_pages - 1
    assert "run-1/20260101T000000.000000Z/chunk-1.html" in html and "run-2/20260102T000000.000000Z/whole.html" in html


def test_a_later_process_renders_data_docs_from_compiled_templates(tmp_path, monkeypatch):
    """Every run is a new process; the second build here stands for it (GX makes new views, so new
    Jinja environments, per build). It compiles no template: they come from the bytecode cache
    (whosaid.data_docs_views). The page it renders is the same."""
    from datetime import datetime

    import jinja2

    from whosaid import data_docs_views
    from whosaid.validate import build_data_docs

    cache_dir = tmp_path / "cache"
    cache = data_docs_views.TolerantBytecodeCache(str(cache_dir))
    monkeypatch.setattr(data_docs_views, "_template_cache", lambda: cache)
    compiled = []
    real_compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda env, *a, **k: compiled.append(1) or real_compile(env, *a, **k))
    outcome = _validated([_extraction("Ann Lee said this is fine.")])
    first = build_data_docs(outcome.gx_results, tmp_path / "a", "run-1", datetime(2026, 1, 1))
    assert len(compiled) > 10 and first.exists()  # the cache folder is missing: all compiled, nothing failed
    cache_dir.mkdir()
    n_before = len(compiled)
    build_data_docs(outcome.gx_results, tmp_path / "b", "run-1", datetime(2026, 1, 1))
    assert len(compiled) - n_before > 10 and any(cache_dir.iterdir())
    n_before = len(compiled)
    build_data_docs(outcome.gx_results, tmp_path / "c", "run-1", datetime(2026, 1, 1))
    assert len(compiled) == n_before
    page = "validations/fact_quote_suite/run-1/20260101T000000.000000Z/whole.html"
    pages = [(tmp_path / site / page).read_text(encoding="utf-8") for site in "abc"]
    assert len({_without_timestamps(p) for p in pages}) == 1 and "fact_quote" in pages[0]


def _without_timestamps(html: str) -> str:
    """The page less what differs between any two renderings: build times and random element ids."""
    import re

    html = re.sub(r"\d{8}T\d{6}\.\d{6}Z", "", html)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)


def test_relationship_value_set_is_the_referenced_keys_that_exist():
    from whosaid.validate import referenced_parent_keys

    column = pl.Series([1, 2, 2, None, 5])
    parents = pl.DataFrame({"article_id": [2, 3]})
    assert referenced_parent_keys(column, {1, 9, 10}, parents, "article_id") == [1, 2]  # 5 exists nowhere
    assert referenced_parent_keys(column, set(), None, "article_id") == []


@pytest.mark.parametrize("in_warehouse", [True, False])
def test_fact_of_an_article_loaded_by_an_earlier_run_passes_only_if_the_warehouse_has_it(in_warehouse):
    """The chunk's frames lack the parent dim_article row; only the warehouse's keys can vouch for it."""
    art, ex = _extraction("Ann Lee said this is fine.")
    frames = build_frames([art], [ex], "run-1", "sm", "0.1").tables
    article_id = frames["dim_article"]["article_id"][0]
    frames["dim_article"] = frames["dim_article"].clear()
    existing = {("etl_run", "run_id"): ["run-1"], ("dim_article", "article_id"): [article_id, 123, 456] if in_warehouse else [123]}
    outcome = validate_frames(frames, "run-1", existing)
    assert outcome.accepted["fact_quote"].height == (1 if in_warehouse else 0)
    failed = {(r["table_name"], r["column_name"]) for r in outcome.dq_rows if not r["success"]}
    assert (("fact_quote", "article_id") in failed) is not in_warehouse


def test_warehouse_keys_finds_only_the_candidates_the_warehouse_holds(tmp_path):
    """Relationship checks ask DuckDB about the keys a chunk references, never read all keys."""
    from whosaid.stages import WarehouseKeys

    path = tmp_path / "w.duckdb"
    art, ex = _extraction("Ann Lee said this is fine.")
    _load(path, _validated([(art, ex)]))
    article_id = warehouse.query(path, "SELECT article_id FROM dim_article")[1][0][0]
    found = WarehouseKeys(str(path))(
        {("dim_article", "article_id"): {article_id, 42}, ("etl_run", "run_id"): {"run-1", "run-x"}, ("dim_entity", "entity_id"): set()}
    )
    assert found == {("dim_article", "article_id"): {article_id}, ("etl_run", "run_id"): {"run-1"}, ("dim_entity", "entity_id"): set()}
    with pytest.raises(ValueError, match="no column"):
        WarehouseKeys(str(path))({("dim_article", "body; DROP TABLE dim_article"): {1}})


def test_a_later_chunk_validates_against_what_the_warehouse_holds(tmp_path):
    """Facts whose article a previous load brought pass through a DuckDB lookup, others do not."""
    from whosaid.stages import WarehouseKeys

    path = tmp_path / "w.duckdb"
    first, first_ex = _extraction("Ann Lee said this is fine.")
    _load(path, _validated([(first, first_ex)]))
    second, second_ex = _extraction("Ann Lee said this is also fine.")
    frames = build_frames([first, second], [first_ex, second_ex], "run-1", "sm", "0.1").tables
    frames["dim_article"] = frames["dim_article"].clear()  # neither parent row is in this chunk
    outcome = validate_frames(frames, "run-1", WarehouseKeys(str(path)))
    kept = set(outcome.accepted["fact_quote"]["article_id"].to_list())
    assert kept == {warehouse.query(path, "SELECT article_id FROM dim_article")[1][0][0]}


def test_batch_definitions_made_ahead_are_the_ones_validation_uses():
    """The CLI makes GX's batch definitions while Prefect's server boots (validate.prepare_batch_definitions);
    validation then finds them instead of adding its own, and its results are unchanged."""
    from whosaid.contracts import load_contracts
    from whosaid.validate import _batch_definition, _gx_context, prepare_batch_definitions

    prepare_batch_definitions()
    prepare_batch_definitions()  # twice: nothing is added again
    assets = _gx_context().data_sources.get("whosaid_frames").assets
    assert sorted(a.name for a in assets) == sorted(load_contracts())
    made = {name: _batch_definition(name) for name in load_contracts()}
    outcome = _validated([_extraction("Ann Lee said this is fine.")])
    assert outcome.n_failed_expectations == 0
    assert all(_batch_definition(name) is made[name] for name in made)
    assert len(_gx_context().data_sources.get("whosaid_frames").assets) == len(made)


def _failing_batch_and_suites():
    """A frame with a null and a value outside its set, and two equal suites over it."""
    import pandas as pd

    from whosaid.validate import _batch_definition, _suite, import_gx

    gx = import_gx()
    frame = pd.DataFrame({"speaker": ["Warren", None, "Trump"], "kind": ["direct", "indirect", "rumour"]})
    batch = _batch_definition("fact_quote").get_batch(batch_parameters={"dataframe": frame})

    def suite():
        return _suite("fact_quote", [
            gx.expectations.ExpectTableColumnsToMatchOrderedList(column_list=["speaker", "kind"]),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="speaker"),
            gx.expectations.ExpectColumnValuesToBeInSet(column="kind", value_set=["direct", "indirect"]),
        ])

    return batch, suite


def _results_json(result) -> list[str]:
    import json

    return [json.dumps(r.to_json_dict(), sort_keys=True, default=str) for r in result.results]


@pytest.mark.parametrize("result_format", ["BOOLEAN_ONLY", "COMPLETE"])
def test_configurations_built_once_give_gxs_own_results_failures_included(result_format):
    from whosaid.validate import _validated

    batch, suite = _failing_batch_and_suites()
    as_gx = batch.validate(suite(), result_format=result_format)
    ours = _validated(batch, suite(), result_format)
    assert [r.success for r in ours.results] == [True, False, False]
    assert _results_json(ours) == _results_json(as_gx)


def test_a_configuration_is_built_once_only_within_the_block_and_gxs_property_comes_back():
    from great_expectations.expectations.expectation import Expectation

    from whosaid.validate import each_configuration_built_once, import_gx

    gx = import_gx()
    expectation = gx.expectations.ExpectColumnValuesToNotBeNull(column="speaker")
    gxs_own = Expectation.__dict__["configuration"]
    with each_configuration_built_once():
        assert expectation.configuration is expectation.configuration
    assert expectation.configuration is not expectation.configuration
    with pytest.raises(RuntimeError):
        with each_configuration_built_once():
            raise RuntimeError("validation failed")
    assert Expectation.__dict__["configuration"] is gxs_own
