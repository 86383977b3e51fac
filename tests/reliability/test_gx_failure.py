"""A Great Expectations failure injected into one batch: the failing rows are quarantined with the
expectation that failed, every other row is loaded, and the run completes with warnings.

The failure is injected where a real extractor bug would come from: ``extract_doc`` (the
extractors over one parsed article) returns, for ONE article, two extra quotes breaking the
fact_quote contract — a null ``content`` (NOT NULL) and a ``quote_kind`` outside its accepted values.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from tests.conftest import SEED_ARTICLE
from tests.reliability import torture
from whosaid import warehouse
from whosaid.ingest import article_key
from whosaid.normalize import stable_id

pytestmark = pytest.mark.slow

TARGET_BODY = torture.COUNCIL


@pytest.fixture(scope="module")
def injected_run(tmp_path_factory):
    from flows.etl import etl_flow
    from whosaid.nlp import pipeline

    inputs = tmp_path_factory.mktemp("gx") / "inputs"
    inputs.mkdir()
    shutil.copy(SEED_ARTICLE, inputs / "seed.txt")
    (inputs / "council.txt").write_text(TARGET_BODY, encoding="utf-8")
    (inputs / "hospital.txt").write_text(torture.HOSPITAL, encoding="utf-8")
    target_key = article_key(TARGET_BODY)
    real_extract_doc = pipeline.extract_doc
    injected = {}

    def extract_doc_with_bad_quotes(doc, key):
        extraction = real_extract_doc(doc, key)
        if key == target_key:
            assert extraction.quotes, "the target article must have a real quote to corrupt a copy of"
            real = extraction.quotes[0]
            n = len(extraction.quotes)
            null_content = dataclasses.replace(real, quote_index=n, content_text=None)
            bad_kind = dataclasses.replace(real, quote_index=n + 1, kind="hearsay")
            extraction.quotes.extend([null_content, bad_kind])
            injected.update(n_real=n, null_index=n, bad_kind_index=n + 1)
        return extraction

    wh = tmp_path_factory.mktemp("gx_wh") / "whosaid.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "extract_doc", extract_doc_with_bad_quotes)
        summary = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    assert injected, "the injection never ran: extract_doc is no longer what extraction calls"
    return wh, summary, injected, stable_id(target_key)


def _rows(wh, sql, params=None):
    return warehouse.query(wh, sql, params)[1]


def test_run_completes_with_warnings(injected_run):
    wh, summary, _, _ = injected_run
    assert summary["status"] == "completed_with_warnings"
    assert summary["n_failed_expectations"] >= 2
    (status, message), = _rows(wh, "SELECT status, message FROM etl_run")
    assert status == "completed_with_warnings"
    assert "2 quarantined" in message


def test_failing_rows_are_quarantined_with_the_expectation(injected_run):
    wh, _, injected, article_id = injected_run
    rows = _rows(wh, "SELECT stage, table_name, reason, detail, record FROM quarantine ORDER BY reason")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("validate", "fact_quote", "expect_column_values_to_be_in_set"),
        ("validate", "fact_quote", "expect_column_values_to_not_be_null"),
    ]
    by_reason = {r[2]: (r[3], json.loads(r[4])) for r in rows}
    detail, record = by_reason["expect_column_values_to_not_be_null"]
    assert "expect_column_values_to_not_be_null:content" in detail
    assert (record["article_id"], record["quote_index"], record["content"]) == (article_id, injected["null_index"], None)
    detail, record = by_reason["expect_column_values_to_be_in_set"]
    assert "expect_column_values_to_be_in_set:quote_kind" in detail
    assert (record["quote_index"], record["quote_kind"]) == (injected["bad_kind_index"], "hearsay")


def test_dq_result_records_the_failed_expectations(injected_run):
    wh = injected_run[0]
    failed = _rows(
        wh, "SELECT expectation_id, unexpected_count FROM dq_result WHERE NOT success AND table_name = 'fact_quote' "
        "ORDER BY expectation_id"
    )
    assert ("expect_column_values_to_be_in_set:quote_kind", 1) in failed
    assert ("expect_column_values_to_not_be_null:content", 1) in failed


def test_everything_else_is_loaded(injected_run):
    wh, _, injected, article_id = injected_run
    assert _rows(wh, "SELECT count(*) FROM dim_article") == [(3,)]
    target_quotes = _rows(wh, "SELECT quote_index FROM fact_quote WHERE article_id = ? ORDER BY 1", [article_id])
    assert target_quotes == [(i,) for i in range(injected["n_real"])]  # its real quotes, not the bad ones
    per_article = _rows(
        wh, "SELECT a.uri, count(q.quote_index) FROM dim_article a LEFT JOIN fact_quote q USING (article_id) GROUP BY 1"
    )
    assert all(n > 0 for _, n in per_article), per_article
    assert _rows(wh, "SELECT count(*) FROM fact_mention WHERE article_id = ?", [article_id])[0][0] > 0


def test_a_row_rejected_again_by_a_rerun_keeps_its_quarantine_key():
    """quarantine's grain is one row per distinct problem: the run id inside a rejected
    dim_article row must not make every rerun's rejection a new problem."""
    from whosaid.validate import quarantine_row_for

    row = {"article_id": 1, "article_key": "k", "body": None, "run_id": "run-1"}
    first = quarantine_row_for("dim_article", row, ["expect_column_values_to_not_be_null:body"], "run-1", None)
    again = quarantine_row_for(
        "dim_article", {**row, "run_id": "run-2"}, ["expect_column_values_to_not_be_null:body"], "run-2", None
    )
    assert first["quarantine_key"] == again["quarantine_key"]
    assert json.loads(again["record"])["run_id"] == "run-2"  # the record itself stays the full row
    other = quarantine_row_for("dim_article", {**row, "article_id": 2}, ["expect_column_values_to_not_be_null:body"], "run-1", None)
    assert other["quarantine_key"] != first["quarantine_key"]
