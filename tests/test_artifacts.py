"""Run artifacts: the markdown summary and the table of top new accusations each run publishes to
Prefect, read back from the Prefect API after a real flow run on the seed article."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest

from flows.artifacts import ACCUSATIONS_KEY, SUMMARY_KEY, RunReport, read_run_report, summary_markdown
from tests.conftest import SEED_ARTICLE


def _summary(**changes):
    summary = {
        "run_id": "r-1", "status": "completed_with_warnings", "warehouse": "/tmp/w.duckdb", "n_files": 3,
        "n_articles_read": 2, "n_articles_new": 2, "n_articles_skipped": 0, "n_mentions": 40, "n_quotes": 7,
        "n_accusations": 5, "n_denials": 1, "n_quarantined": 1, "n_failed_expectations": 1,
    }
    return {**summary, **changes}


def test_markdown_holds_counts_accusations_dq_failures_and_data_docs(tmp_path):
    docs = tmp_path / "data_docs" / "index.html"
    docs.parent.mkdir()
    docs.write_text("<html></html>")
    report = RunReport(
        new_accusations=[{
            "accuser": "Guo Jiakun", "accused": "Mark Rutte", "charge": "vilifying | smearing", "cue": "accused",
            "confidence": 0.9, "article_title": "China hits back", "article_uri": "/a.txt", "article_key": "k",
        }],
        dq_failures=[{"table": "fact_quote", "expectation": "expect_column_values_to_not_be_null",
                      "column": "content", "unexpected": 2}],
        quarantine_by_reason=[("ingest", "empty", 1)],
    )
    text = summary_markdown(_summary(), report, docs)
    assert "**completed_with_warnings**" in text
    assert "| articles extracted and loaded | 2 |" in text and "| failed expectations | 1 |" in text
    assert "**Guo Jiakun** → **Mark Rutte**: vilifying \\| smearing" in text  # a pipe cannot break the markdown
    assert "| fact_quote | expect_column_values_to_not_be_null | content | 2 |" in text
    assert "- ingest / `empty`: 1" in text
    assert f"({docs.as_uri()})" in text


def test_markdown_says_so_when_nothing_new_and_no_docs():
    text = summary_markdown(_summary(status="completed", n_failed_expectations=0), RunReport(), None)
    assert "None in this run's new articles." in text
    assert "Every expectation passed." in text
    assert "Not built for this run" in text


@pytest.mark.slow
def test_a_flow_run_publishes_both_artifacts(tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.etl import etl_flow

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)
    (inputs / "empty.txt").write_text("")
    wh = tmp_path / "whosaid.duckdb"
    summary = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[uuid.UUID(summary["run_id"])]))
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {SUMMARY_KEY, ACCUSATIONS_KEY}

    markdown = by_key[SUMMARY_KEY].data
    assert f"whosaid run `{summary['run_id']}`: **completed_with_warnings**" in markdown
    assert f"| quotes | {summary['n_quotes']} |" in markdown
    assert "**Guo Jiakun** → **Mark Rutte**" in markdown
    assert "- ingest / `empty`: 1" in markdown

    table = by_key[ACCUSATIONS_KEY].data
    rows = json.loads(table) if isinstance(table, str) else table
    expected = read_run_report(wh, summary["run_id"]).new_accusations
    assert rows == json.loads(json.dumps(expected)) and len(rows) >= 8
    assert rows == sorted(rows, key=lambda r: -r["confidence"])
