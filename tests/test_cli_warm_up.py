"""The CLI warms GX and spaCy up while Prefect's server boots only when the run likely extracts
something: a no-op rerun must not pay for them, a run with new files should not wait for them."""

from __future__ import annotations

import os

from whosaid.cli import _likely_new_articles


def _touch(path, mtime):
    path.write_text("x", encoding="utf-8") if not path.exists() else None
    os.utime(path, (mtime, mtime))


def test_new_warehouse_or_feed_url_is_likely_new(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _touch(inputs / "a.txt", 1_000)
    assert _likely_new_articles([str(inputs)], tmp_path / "absent.duckdb")
    _touch(tmp_path / "w.duckdb", 2_000)
    assert _likely_new_articles([str(inputs), "https://example.com/feed.xml"], tmp_path / "w.duckdb")


def test_unchanged_files_are_not_new_and_a_file_changed_after_the_publish_is(tmp_path):
    inputs = tmp_path / "in" / "nested"
    inputs.mkdir(parents=True)
    _touch(inputs / "a.txt", 1_000)
    _touch(tmp_path / "w.duckdb", 2_000)
    assert not _likely_new_articles([str(tmp_path / "in")], tmp_path / "w.duckdb")
    _touch(inputs / "b.txt", 3_000)
    assert _likely_new_articles([str(tmp_path / "in")], tmp_path / "w.duckdb")
