"""Streaming a run in chunks: memory is bounded by the chunk, and the warehouse is the same."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import stages, validate
from whosaid.ingest import RawArticle, article_key
from whosaid.settings import Settings


def _article(body: str, uri: str) -> RawArticle:
    return RawArticle(article_key(body), uri, body, None, None, None, None, None, None, "txt", uri)


def test_chunk_plan_splits_articles_and_sends_known_uris_with_the_first_chunk():
    arts = [_article(f"Article number {i} is here.", f"a{i}.txt") for i in range(5)]
    known = [_article("Already loaded.", "old.txt")]
    plan = stages.Plan(arts, known, n_skipped=1)
    chunks = list(stages.chunk_plan(plan, 2))
    assert [[a.uri for a in c.to_extract] for c in chunks] == [["a0.txt", "a1.txt"], ["a2.txt", "a3.txt"], ["a4.txt"]]
    assert [len(c.known_uris) for c in chunks] == [1, 0, 0]
    assert [c.n_skipped for c in chunks] == [1, 0, 0]


def test_an_empty_plan_is_one_empty_chunk_so_quarantine_and_uris_still_load():
    plan = stages.Plan([], [_article("Already loaded.", "old.txt")], n_skipped=1)
    chunks = list(stages.chunk_plan(plan, 1000))
    assert len(chunks) == 1 and chunks[0].to_extract == [] and len(chunks[0].known_uris) == 1


def _dq(success: bool, elements: int, unexpected: int | None, when: int) -> dict:
    return {
        "run_id": "r", "table_name": "fact_quote", "expectation_id": "e1", "expectation_type": "t",
        "column_name": "c", "kwargs": "{}", "success": success, "element_count": elements,
        "unexpected_count": unexpected, "evaluated_at": datetime(2026, 1, 1, 0, when),
    }


def test_dq_rows_of_chunks_merge_into_one_row_per_expectation():
    merged = validate.merge_dq_rows([_dq(True, 10, 0, 1), _dq(False, 5, 2, 3), _dq(True, 7, 0, 2)])
    assert len(merged) == 1
    row = merged[0]
    assert (row["success"], row["element_count"], row["unexpected_count"]) == (False, 22, 2)
    assert row["evaluated_at"] == datetime(2026, 1, 1, 0, 3)
    assert validate.merge_dq_rows([_dq(True, 1, 0, 1), _dq(True, 1, None, 1)])[0]["unexpected_count"] is None


ARTICLES = {
    "council.txt": (
        "The mayor of Riverton, Ana Silva, accused the city council of hiding the true cost of the bridge.\n"
        "\u201cThey misled the public about the budget,\u201d Silva said on Tuesday.\n"
    ),
    "senate.txt": (
        "Senator Ann Lee accused the governor of hiding the audit from the legislature. "
        "\"We will not stay silent,\" Lee said on Wednesday."
    ),
}


@pytest.mark.slow
def test_a_run_in_chunks_of_one_article_loads_the_same_warehouse(tmp_path):
    from flows.etl import etl_flow
    from tests.reliability.test_crash_safety import table_fingerprints

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)
    for name, body in ARTICLES.items():
        (inputs / name).write_text(body, encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")  # quarantined once, with the first chunk
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    a = etl_flow(inputs=[str(inputs)], warehouse_path=str(whole))
    b = etl_flow(inputs=[str(inputs)], warehouse_path=str(chunked), settings=Settings().with_(chunk_articles=1))
    counts = ["n_articles_new", "n_mentions", "n_quotes", "n_accusations", "n_quarantined", "n_failed_expectations"]
    assert [a[k] for k in counts] == [b[k] for k in counts]
    assert a["n_articles_new"] == 3 and a["n_quarantined"] == 1
    expected, got = table_fingerprints(whole), table_fingerprints(chunked)
    assert {t: len(v) for t, v in got.items()} == {t: len(v) for t, v in expected.items()}
    assert {t for t in expected if got[t] != expected[t]} == set()


def test_a_rerun_skips_the_costly_body_checks_of_articles_already_loaded(tmp_path):
    """Language detection is the costliest ingest check; a body already loaded passed it then."""
    from tests.reliability.torture import GERMAN
    from whosaid.ingest import read_path

    path = tmp_path / "german.txt"
    path.write_text(GERMAN, encoding="utf-8")
    [first] = read_path(path)
    assert first.reason == "non_english"  # a new body is checked
    [again] = read_path(path, known_keys=frozenset({article_key(GERMAN)}))
    assert isinstance(again, RawArticle) and again.body == GERMAN  # a loaded one is not


@pytest.mark.slow
def test_a_rerun_on_unchanged_input_has_nothing_to_validate_or_load(tmp_path):
    from flows.etl import etl_flow
    from whosaid import warehouse

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, body in ARTICLES.items():
        (inputs / name).write_text(body, encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    first = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    (inputs / "copy.txt").write_text(ARTICLES["senate.txt"], encoding="utf-8")  # a new URI, same body
    second = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    third = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    assert (second["n_articles_new"], second["n_articles_skipped"]) == (0, 2)
    dq = dict(warehouse.query(wh, "SELECT run_id, count(*) FROM dq_result GROUP BY run_id")[1])
    assert dq[first["run_id"]] > 0 and dq[second["run_id"]] > 0  # the new URI was validated
    assert third["run_id"] not in dq  # nothing new: GX did not run at all
    uris = warehouse.query(wh, "SELECT count(*) FROM article_uri")[1]
    assert uris == [(3,)]


def test_extraction_batches_end_at_the_character_budget_and_keep_order():
    from whosaid.nlp.pipeline import _batches_by_chars

    items = [("a", "x" * 30), ("b", "x" * 30), ("c", "x" * 100), ("d", "x" * 10), ("e", "x" * 10), ("f", "x" * 10)]
    got = [[key for _, key in batch] for batch in _batches_by_chars(items, max_docs=2, max_chars=60)]
    # a+b fill the budget; c alone is longer than it and goes by itself; d, e, f are cut at 2 docs
    assert got == [["a", "b"], ["c"], ["d", "e"], ["f"]]
