"""Golden end-to-end: the Prefect flow on the seed article (plus bad files) into a temp warehouse.

The seed facts below are what the project promises for its founding article; they must come from
general rules (the same code runs on PolNeAR), never from names written into the extractor.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import warehouse

pytestmark = pytest.mark.slow

TABLES = ("dim_article", "article_uri", "dim_entity", "fact_mention", "fact_quote", "fact_accusation", "fact_denial", "quarantine")


def _write_bad_inputs(folder):
    (folder / "empty.txt").write_text("")
    (folder / "blank.txt").write_text("   \n\t\n")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (folder / "records.jsonl").write_text(
        json.dumps({"id": "a1", "title": "Ok", "body": "Maria Lopez said the plan was reckless."}) + "\n"
        + "{not json}\n"
        + json.dumps({"id": "a2", "body": 42}) + "\n",
        encoding="utf-8",
    )


def _hashes(path):
    """Row count and content hash per table (quarantine.last_run_id legitimately moves on a rerun)."""
    with warehouse.connect(path, read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*), sum(hash(x)) FROM (SELECT * EXCLUDE (last_run_id) FROM {t}) x").fetchone()
            if t == "quarantine"
            else con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone()
            for t in TABLES
        }


@pytest.fixture(scope="module")
def run_twice(tmp_path_factory):
    from flows.etl import etl_flow

    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)
    shutil.copy(SEED_ARTICLE, inputs / "same_article_other_name.txt")
    _write_bad_inputs(inputs)
    wh = tmp_path_factory.mktemp("wh") / "whosaid.duckdb"
    first = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    hashes_after_first = _hashes(wh)
    second = etl_flow(inputs=[str(inputs)], warehouse_path=str(wh))
    return wh, first, second, hashes_after_first


def _accusations(wh):
    return warehouse.query(wh, "SELECT accuser, accused, lower(charge), accuser_type, accused_type FROM v_accusations")[1]


def _has(rows, accuser, accused, *charge_words):
    return any(a == accuser and b == accused and all(w in c for w in charge_words) for a, b, c, *_ in rows)


def test_first_run_loads_articles_and_quarantines_bad_inputs(run_twice):
    wh, first, _, _ = run_twice
    assert first["status"] == "completed_with_warnings"
    assert first["n_articles_new"] == 2  # the seed (two names, one body) and the good JSONL record
    reasons = dict(warehouse.query(wh, "SELECT uri, reason FROM quarantine WHERE stage = 'ingest'")[1])
    by_name = {uri.rsplit("/", 1)[-1]: reason for uri, reason in reasons.items()}
    assert by_name["empty.txt"] == "empty"
    assert by_name["blank.txt"] == "whitespace_only"
    assert by_name["image.png"] in {"binary", "unsupported_type"}
    assert by_name["latin1.txt"] == "undecodable"
    assert by_name["records.jsonl#2"] == "parse_error"
    assert by_name["records.jsonl#3"] == "wrong_type"


def test_same_body_under_two_names_is_one_article_with_both_uris(run_twice):
    wh = run_twice[0]
    rows = warehouse.query(
        wh, "SELECT count(*) FROM article_uri JOIN dim_article USING (article_id) WHERE body LIKE 'China hit back%'"
    )[1]
    assert rows == [(2,)]


def test_body_is_stored_verbatim_and_offsets_cut_evidence(run_twice, seed_text):
    wh = run_twice[0]
    body = warehouse.query(wh, "SELECT body FROM dim_article WHERE body LIKE 'China hit back%'")[1][0][0]
    assert body == seed_text
    quotes = warehouse.query(
        wh, "SELECT q.content, q.content_start, q.content_end, q.speaker_mention, q.speaker_start, q.speaker_end "
        "FROM v_quotes q JOIN dim_article a USING (article_key) WHERE a.body = ?", [body]
    )[1]
    assert len(quotes) >= 8
    for content, start, end, speaker, s_start, s_end in quotes:
        assert body[start:end] == content
        assert speaker is None or body[s_start:s_end] == speaker
    accusations = warehouse.query(
        wh, "SELECT evidence, evidence_start, evidence_end, charge FROM v_accusations v "
        "JOIN dim_article a USING (article_key) WHERE a.body = ?", [body]
    )[1]
    assert accusations
    for evidence, start, end, charge in accusations:
        assert body[start:end] == evidence  # DuckDB's substring agrees with Python's indices
        assert charge in evidence or charge in body


def test_seed_accusations(run_twice):
    rows = _accusations(run_twice[0])
    assert _has(rows, "Guo Jiakun", "Mark Rutte", "worsening global tensions")
    assert _has(rows, "Guo Jiakun", "Mark Rutte", "vilifying")
    assert _has(rows, "China", "Mark Rutte", "misinformation") or _has(rows, "China", "NATO", "misinformation")
    assert _has(rows, "Mark Rutte", "China", "military build-up")
    assert _has(rows, "Mark Rutte", "China", "support for russia")
    assert _has(rows, "Guo Jiakun", "NATO", "misinformation")
    assert _has(rows, "Guo Jiakun", "NATO", "fanning the flames")
    assert _has(rows, "Guo Jiakun", "NATO", "stoking confrontation")
    names = {r[0] for r in rows} | {r[1] for r in rows}
    assert "Jiakun" not in names and "Rutte" not in names and "Beijing" not in names


def test_seed_quotes_are_attributed_to_guo_jiakun(run_twice):
    rows = warehouse.query(run_twice[0], "SELECT speaker, speaker_mention, content, quote_kind FROM v_quotes")[1]
    def speaker_of(fragment):
        found = [r for r in rows if fragment in r[2]]
        assert found, f"no quote holds {fragment!r}"
        return {r[0] for r in found}
    for fragment in (
        "NATO claims itself as a regional organization",
        "NATO’s misinformation will not fool people",  # led by "he continued"
        "China urges NATO to take a hard look",  # led by "Jiakun added:"
        "just another excuse of NATO",  # "He called it ..."
    ):
        assert speaker_of(fragment) == {"Guo Jiakun"}, fragment
    assert "Jiakun" not in {r[0] for r in rows}
    assert any(r[0] == "Mark Rutte" and "NATO is concerned" in r[2] for r in rows)


def test_rerun_is_idempotent_and_skips_loaded_articles(run_twice):
    wh, first, second, hashes_after_first = run_twice
    assert second["n_articles_new"] == 0
    assert second["n_articles_skipped"] == 2
    assert _hashes(wh) == hashes_after_first
    runs = warehouse.query(wh, "SELECT status, n_articles_new FROM etl_run ORDER BY started_at")[1]
    assert runs == [("completed_with_warnings", 2), ("completed_with_warnings", 0)]


def test_entities_are_canonical_with_affiliations_and_country_codes(run_twice):
    wh = run_twice[0]
    entities = dict(
        (name, (etype, cc))
        for name, etype, cc in warehouse.query(wh, "SELECT canonical_name, entity_type, country_code FROM dim_entity")[1]
    )
    assert entities["China"] == ("GPE", "CHN")
    assert entities["NATO"] == ("ORG", "IGO")
    assert entities["Guo Jiakun"] == ("PERSON", "CHN")
    assert "Beijing" not in entities or entities["Beijing"][0] == "GPE"
    rows = warehouse.query(
        wh,
        "SELECT p.canonical_name, b.role, o.canonical_name FROM bridge_entity_affiliation b "
        "JOIN dim_entity p ON p.entity_id = b.person_entity_id JOIN dim_entity o ON o.entity_id = b.org_entity_id",
    )[1]
    assert ("Guo Jiakun", "Spokesperson", "Ministry of Foreign Affairs of China") in rows
    assert ("Mark Rutte", "Secretary General", "NATO") in rows


def test_denials_link_to_the_accusation_they_answer(run_twice):
    rows = warehouse.query(run_twice[0], "SELECT denier, denied, answers_accuser, answers_charge FROM v_denials")[1]
    china = [r for r in rows if r[0] == "China" and "weapons" in r[1]]
    assert china, rows
    assert china[0][2] == "Mark Rutte"  # "It denies sending any weapons" answers Rutte's charge against China


def _inputs_of_last_run(wh) -> str:
    return warehouse.query(wh, "SELECT inputs FROM etl_run ORDER BY started_at DESC LIMIT 1")[1][0][0]


def test_cli_rerun_over_unchanged_inputs_stops_before_prefect(run_twice, monkeypatch):
    """Nothing changed since the last finished run: `whosaid run` says so and leaves the warehouse
    alone, without starting Prefect's server or a flow run (whosaid/manifest.py)."""
    from typer.testing import CliRunner

    from whosaid import prefect_server
    from whosaid.cli import app

    wh, _, _, hashes_after_first = run_twice

    def no_server():
        raise AssertionError("an up-to-date rerun must not start Prefect")

    monkeypatch.setattr(prefect_server, "start_if_needed", no_server)
    before = warehouse.query(wh, "SELECT count(*) FROM etl_run")[1]
    result = CliRunner().invoke(app, ["run", "-i", _inputs_of_last_run(wh), "-w", str(wh), "--show", "1"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output and "warehouse totals: articles 2" in result.output
    assert warehouse.query(wh, "SELECT count(*) FROM etl_run")[1] == before
    assert _hashes(wh) == hashes_after_first


def test_up_to_date_only_while_inputs_settings_and_last_run_agree(run_twice):
    from whosaid.manifest import unchanged_since_last_run
    from whosaid.settings import Settings

    wh = run_twice[0]
    inputs = _inputs_of_last_run(wh)
    assert unchanged_since_last_run([inputs], wh, Settings()) is not None
    assert unchanged_since_last_run([inputs], wh, Settings().with_(extractor_version="9.9.9")) is None
    new_file = shutil.copy(SEED_ARTICLE, f"{inputs}/one_more_copy.txt")
    try:
        assert unchanged_since_last_run([inputs], wh, Settings()) is None
    finally:
        import os

        os.remove(new_file)
    assert unchanged_since_last_run([inputs], wh, Settings()) is not None
