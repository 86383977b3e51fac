"""The input fingerprint behind `whosaid run`'s up-to-date check (whosaid/manifest.py): it must
change whenever a run could load something different, and only then."""

from __future__ import annotations

import os

import pytest

from whosaid.manifest import input_fingerprint
from whosaid.settings import Settings


@pytest.fixture
def folder(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "a.txt").write_text("Senator Ann Lee accused the mayor of hiding the audit.", encoding="utf-8")
    (inputs / "sub" / "b.txt").write_text("The mayor said the audit was public.", encoding="utf-8")
    return inputs


def test_same_bytes_same_fingerprint_whatever_the_mtime_or_spelling(folder, monkeypatch):
    before = input_fingerprint([str(folder)], Settings())
    os.utime(folder / "a.txt", (1, 1))
    monkeypatch.chdir(folder.parent)
    assert input_fingerprint(["inputs"], Settings()) == before
    assert input_fingerprint(["./inputs/"], Settings()) == before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda f: (f / "a.txt").write_text("Senator Ann Lee accused the mayor of lying.", encoding="utf-8"), id="edited"),
        pytest.param(lambda f: (f / "sub" / "c.txt").write_text("A new article.", encoding="utf-8"), id="added"),
        pytest.param(lambda f: (f / "sub" / "b.txt").unlink(), id="removed"),
        pytest.param(lambda f: (f / "a.txt").rename(f / "renamed.txt"), id="renamed"),
        pytest.param(lambda f: (f / "a.txt").write_bytes(b"\xff\xfe\x00bad"), id="now-undecodable"),
    ],
)
def test_any_change_to_what_a_run_reads_changes_it(folder, change):
    before = input_fingerprint([str(folder)], Settings())
    change(folder)
    assert input_fingerprint([str(folder)], Settings()) != before


@pytest.mark.parametrize(
    "changes",
    [{"extractor_version": "9.9.9"}, {"spacy_model": "en_core_web_trf"}, {"max_bytes": 10}, {"max_body_chars": 5}],
)
def test_settings_that_decide_what_is_loaded_change_it(folder, changes):
    assert input_fingerprint([str(folder)], Settings().with_(**changes)) != input_fingerprint([str(folder)], Settings())


def test_settings_that_only_decide_speed_do_not(folder):
    fast = Settings().with_(batch_size=64, chunk_articles=10, n_process=2)
    assert input_fingerprint([str(folder)], fast) == input_fingerprint([str(folder)], Settings())


def test_a_file_over_the_size_limit_is_not_read_but_its_size_counts(folder):
    settings = Settings().with_(max_bytes=20)
    before = input_fingerprint([str(folder)], settings)
    (folder / "a.txt").write_text("x" * 60, encoding="utf-8")  # still over the limit, another size
    assert input_fingerprint([str(folder)], settings) != before


def test_feed_urls_are_never_fingerprinted(folder):
    assert input_fingerprint([str(folder), "https://example.com/feed.xml"], Settings()) is None


def _warehouse_with_one_run(tmp_path, folder, status: str | None):
    """A new warehouse whose one etl_run (r1) read ``folder``, finished with ``status`` (None: not finished)."""
    from whosaid import stages, warehouse

    wh = tmp_path / "w.duckdb"
    with warehouse.connect(wh) as con:
        warehouse.ensure_schema(con)
        warehouse.start_run(con, stages.new_run("r1", [str(folder)], Settings()))
        if status:
            warehouse.finish_run(con, "r1", status, {}, None)
    return wh


@pytest.mark.parametrize("status, up_to_date", [("completed", True), ("completed_with_warnings", True), ("failed", False), (None, False)])
def test_only_a_finished_newest_run_with_the_same_fingerprint_counts(folder, tmp_path, status, up_to_date):
    from whosaid.manifest import unchanged_since_last_run

    wh = _warehouse_with_one_run(tmp_path, folder, status)  # None: still 'running' (or died unfinished)
    found = unchanged_since_last_run([str(folder)], wh, Settings())
    assert (found is not None) is up_to_date
    (folder / "a.txt").write_text("changed", encoding="utf-8")
    assert unchanged_since_last_run([str(folder)], wh, Settings()) is None


def test_no_warehouse_or_an_unreadable_one_is_never_up_to_date(folder, tmp_path):
    from whosaid.manifest import unchanged_since_last_run

    assert unchanged_since_last_run([str(folder)], tmp_path / "missing.duckdb", Settings()) is None
    (tmp_path / "junk.duckdb").write_bytes(b"not a database")
    assert unchanged_since_last_run([str(folder)], tmp_path / "junk.duckdb", Settings()) is None


def test_a_run_whose_extraction_failed_for_an_article_is_never_up_to_date(folder, tmp_path):
    """The flow tries an article whose extraction failed again (it was not loaded); skipping the
    run would never retry it."""
    from whosaid import warehouse
    from whosaid.manifest import unchanged_since_last_run

    wh = _warehouse_with_one_run(tmp_path, folder, "completed_with_warnings")
    with warehouse.connect(wh) as con:
        con.execute(
            "INSERT INTO quarantine (quarantine_key, stage, uri, article_key, reason, detail, first_run_id, "
            "last_run_id, quarantined_at) VALUES ('k', 'extract', 'a.txt', 'abc', 'extract_error', "
            "'MemoryError', 'r1', 'r1', now())"
        )
    assert unchanged_since_last_run([str(folder)], wh, Settings()) is None
    with warehouse.connect(wh) as con:  # an ingest-stage problem is settled by the same bytes
        con.execute("UPDATE quarantine SET stage = 'ingest', reason = 'empty'")
    assert unchanged_since_last_run([str(folder)], wh, Settings()) is not None
