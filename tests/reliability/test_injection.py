"""Injection: article text, metadata and file names full of SQL, format strings, markup and control
characters are stored verbatim and never executed — by the load, the views, or ``whosaid sql``.

Uses the torture run (tests/reliability/conftest.py): its folder holds the injection articles, and
its warehouse lives in a folder whose name has a quote in it.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.reliability import torture
from whosaid.cli import app
from whosaid.contracts import load_contracts

pytestmark = pytest.mark.slow


def test_no_table_was_dropped_or_emptied(torture_run):
    tables = {t for (t,) in torture_run.rows("SELECT table_name FROM duckdb_tables()")}
    assert set(load_contracts()) <= tables
    for table in ("dim_article", "article_uri", "etl_run", "fact_quote", "quarantine"):
        assert torture_run.rows(f"SELECT count(*) FROM {table}")[0][0] > 0, table


def test_body_with_sql_format_strings_and_controls_is_verbatim(torture_run):
    (body, uri), = torture_run.rows(
        "SELECT a.body, u.uri FROM dim_article a JOIN article_uri u USING (article_id) WHERE a.body = ?",
        [torture.INJECTION_BODY],
    )
    assert body == torture.INJECTION_BODY
    assert uri == torture_run.torture.uri(torture.INJECTION_FILE_NAME)  # the quote in the file name too


def test_metadata_with_sql_format_strings_and_controls_is_verbatim(torture_run):
    meta = torture.INJECTION_META
    (row,) = torture_run.rows(
        "SELECT source_id, uri, title, author, outlet, published_raw, published_at, body FROM dim_article "
        "WHERE source_id = ?",
        [meta["id"]],
    )
    assert row == (meta["id"], meta["url"], meta["title"], meta["author"], meta["outlet"], meta["published_at"], None, meta["body"])
    assert "\x00" in row[2] and "\x00" in row[7]  # NUL characters survive the trip


def test_spans_in_the_injection_articles_cut_their_evidence(torture_run):
    for body in (torture.INJECTION_BODY, torture.INJECTION_META["body"]):
        (article_id,) = torture_run.rows("SELECT article_id FROM dim_article WHERE body = ?", [body])[0]
        quotes = torture_run.rows(
            "SELECT content, content_start, content_end FROM fact_quote WHERE article_id = ?", [article_id]
        )
        assert quotes, "the injection articles still yield their quotes"
        for content, start, end in quotes:
            assert body[start:end] == content
        # the same cut in SQL (1-based substring) agrees with Python's indices, controls included
        assert torture_run.rows(
            "SELECT bool_and(substring(a.body, q.content_start + 1, q.content_end - q.content_start) = q.content) "
            "FROM fact_quote q JOIN dim_article a USING (article_id) WHERE a.article_id = ?",
            [article_id],
        ) == [(True,)]


def test_whosaid_sql_binds_hostile_parameters(torture_run):
    result = CliRunner().invoke(
        app,
        [
            "sql", "SELECT title, author FROM dim_article WHERE source_id = $id",
            "-p", f"id={torture.INJECTION_META['id']}", "--format", "json", "--warehouse", str(torture_run.warehouse),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"title": torture.INJECTION_META["title"], "author": torture.INJECTION_META["author"]}
    ]
    assert torture_run.rows("SELECT count(*) FROM dim_article")[0][0] == len(torture_run.torture.good)


def test_whosaid_sql_is_read_only(torture_run):
    result = CliRunner().invoke(app, ["sql", "DROP TABLE dim_article", "--warehouse", str(torture_run.warehouse)])
    assert result.exit_code != 0
    assert torture_run.rows("SELECT count(*) FROM dim_article")[0][0] == len(torture_run.torture.good)


def test_table_output_shows_markup_and_terminal_escapes_as_text(torture_run):
    """Rich markup in the data ([/nonsense]) used to crash the table (MarkupError); terminal escapes
    in the data must not reach the terminal raw."""
    result = CliRunner().invoke(
        app, ["sql", "SELECT body FROM dim_article WHERE body = $b", "-p", f"b={torture.INJECTION_BODY}",
              "--warehouse", str(torture_run.warehouse)],
    )
    assert result.exit_code == 0, result.output
    flat = "".join(line.strip("│ ") for line in result.stdout.splitlines())
    assert "[bold red]alarm[/]" in flat and "[/nonsense]" in flat
    assert "\x1b" not in result.stdout and "\\x1b[31m" in flat
    assert "\u202e" not in result.stdout and "\\u202e" in flat


def test_errors_quoting_hostile_text_are_reported_not_crashed(torture_run, tmp_path):
    """Error messages echo user text (a table name, a path): as rich markup they used to raise
    MarkupError, a traceback instead of the error."""
    result = CliRunner().invoke(app, ["sql", 'SELECT * FROM "[/x]"', "--warehouse", str(torture_run.warehouse)])
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert "SQL error" in result.output and "[/x]" in result.output
    missing = tmp_path / "[/nonsense]"
    result = CliRunner().invoke(app, ["run", "--input", str(missing), "--warehouse", str(tmp_path / "w.duckdb")])
    assert (result.exit_code, type(result.exception)) == (2, SystemExit)
    assert "input not found" in result.output and "[/nonsense]" in result.output
