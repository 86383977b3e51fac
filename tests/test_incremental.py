"""Incremental, idempotent, versioned loads through the real flow.

Run A loads the seed article. Run B adds one new article and the seed under a second name: only the
new article is extracted (etl_run counts say so) and the seed's rows are not touched. Run C bumps
the extractor version: every article is re-extracted and its facts replaced as a unit (a stale fact
planted between runs disappears). Idempotency of a plain rerun is in test_end_to_end.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import stages, warehouse
from whosaid.ingest import RawArticle, article_key
from whosaid.settings import Settings

NEW_ARTICLE = (
    "Senator Ann Lee accused the mayor of hiding the audit from the council. "
    "\"We will not stay silent,\" Lee said on Tuesday."
)
ETL_COUNTS = "SELECT n_articles_read, n_articles_new, n_articles_skipped, status FROM etl_run ORDER BY started_at"


def _seed_rows(wh) -> dict:
    """Everything the warehouse holds for the seed article, per table (row count, content hash)."""
    with warehouse.connect(wh, read_only=True) as con:
        seed_id = con.execute("SELECT article_id FROM dim_article WHERE body LIKE 'China hit back%'").fetchone()[0]
        out = {"dim_article": con.execute("SELECT count(*), sum(hash(a)) FROM dim_article a WHERE article_id = ?", [seed_id]).fetchone()}
        for t in warehouse.ARTICLE_FACTS:
            out[t] = con.execute(f"SELECT count(*), sum(hash(f)) FROM {t} f WHERE article_id = ?", [seed_id]).fetchone()
        return out


def _fact_counts(wh) -> dict:
    with warehouse.connect(wh, read_only=True) as con:
        return {
            t: dict(con.execute(f"SELECT a.article_key, count(*) FROM {t} JOIN dim_article a USING (article_id) GROUP BY ALL").fetchall())
            for t in warehouse.ARTICLE_FACTS
        }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from flows.etl import etl_flow

    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)
    wh = tmp_path_factory.mktemp("wh") / "whosaid.duckdb"
    state = {}

    state["a"] = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    state["seed_after_a"] = _seed_rows(wh)
    with warehouse.connect(wh) as con:  # a fact the extractor never makes: only a re-extraction removes it
        con.execute(
            "INSERT INTO fact_quote SELECT * REPLACE (999 AS quote_index) FROM fact_quote "
            "WHERE article_id = (SELECT article_id FROM dim_article WHERE body LIKE 'China hit back%') LIMIT 1"
        )
    state["seed_planted"] = _seed_rows(wh)

    (inputs / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    shutil.copy(SEED_ARTICLE, inputs / "seed_again_under_another_name.txt")
    state["b"] = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    state["seed_after_b"] = _seed_rows(wh)
    state["facts_after_b"] = _fact_counts(wh)
    state["run_ids_after_b"] = dict(warehouse.query(wh, "SELECT article_key, run_id FROM dim_article")[1])

    bumped = Settings().with_(extractor_version=Settings().extractor_version + "+test-bump")
    state["c"] = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh), settings=bumped)
    state["bumped_version"] = bumped.extractor_version
    return wh, state


pytestmark = pytest.mark.slow


def test_second_run_extracts_only_the_new_article(runs):
    wh, s = runs
    rows = warehouse.query(wh, ETL_COUNTS)[1]
    assert rows[0][:3] == (1, 1, 0)  # run A: the seed
    assert rows[1][:3] == (3, 1, 1)  # run B: seed twice (two names) + new; only the new one extracted
    assert s["b"]["n_articles_new"] == 1 and s["b"]["n_articles_skipped"] == 1


def test_second_run_does_not_touch_the_loaded_article(runs):
    wh, s = runs
    assert s["seed_after_b"] == s["seed_planted"]  # same rows, same run_id, planted fact kept
    run_ids = s["run_ids_after_b"]
    assert run_ids[article_key(SEED_ARTICLE.read_text(encoding="utf-8"))] == s["a"]["run_id"]
    assert run_ids[article_key(NEW_ARTICLE)] == s["b"]["run_id"]


def test_the_same_article_from_two_uris_is_one_article_with_both(runs):
    wh, _ = runs
    uris = warehouse.query(
        wh, "SELECT u.uri FROM article_uri u JOIN dim_article a USING (article_id) WHERE a.body LIKE 'China hit back%'"
    )[1]
    assert sorted(u.rsplit("/", 1)[-1] for (u,) in uris) == sorted([SEED_ARTICLE.name, "seed_again_under_another_name.txt"])
    assert warehouse.query(wh, "SELECT count(*) FROM dim_article")[1] == [(2,)]


def test_a_new_extractor_version_re_extracts_and_replaces_facts_as_a_unit(runs):
    wh, s = runs
    rows = warehouse.query(wh, ETL_COUNTS)[1]
    assert rows[2][:3] == (3, 2, 0)  # run C: both articles re-extracted
    versions = warehouse.query(wh, "SELECT DISTINCT extractor_version, run_id FROM dim_article")[1]
    assert versions == [(s["bumped_version"], s["c"]["run_id"])]
    assert warehouse.query(wh, "SELECT count(*) FROM fact_quote WHERE quote_index = 999")[1] == [(0,)]
    expected = s["facts_after_b"]
    seed_key = article_key(SEED_ARTICLE.read_text(encoding="utf-8"))
    expected["fact_quote"][seed_key] -= 1  # the planted quote is gone, nothing else changed
    assert _fact_counts(wh) == expected  # same rules, so the same facts: replaced, not duplicated


def test_reprocess_and_version_plan_re_extraction_once_per_body():
    body = "Ann Lee said the plan was fine."
    key = article_key(body)
    arts = [RawArticle(key, f"file:///{n}", body, None, None, None, None, None, None, "txt", "x") for n in ("a", "b")]
    loaded = {key: "1.0"}
    same = stages.plan_extraction(arts, loaded, "1.0")
    assert (len(same.to_extract), same.n_skipped, len(same.known_uris)) == (0, 1, 2)
    reprocess = stages.plan_extraction(arts, loaded, "1.0", reprocess=True)
    bumped = stages.plan_extraction(arts, loaded, "1.1")
    for plan in (reprocess, bumped):
        assert ([a.uri for a in plan.to_extract], plan.n_skipped) == (["file:///a"], 0)
        assert [a.uri for a in plan.known_uris] == ["file:///b"]  # the second name is still recorded
