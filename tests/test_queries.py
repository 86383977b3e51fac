"""The query library (sql/queries/) and the BI views, run against real warehouses.

Two warehouses: the sample one — the Prefect flow run once on the seed article, wrapped in a JSON
record that gives it a publication date and an outlet (the plain .txt has neither, and month, day
and outlet queries would have nothing to show) — and a small synthetic one loaded without NLP,
whose accusations and dates are known exactly, to check the views' arithmetic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEED_ARTICLE
from whosaid import warehouse
from whosaid.cli import app
from whosaid.ingest import RawArticle, article_key
from whosaid.nlp.records import Accusation, Actor, ArticleExtraction, Denial, Mention, Sentence
from whosaid.normalize import build_frames
from whosaid.settings import SQL_DIR

QUERY_DIR = SQL_DIR / "queries"
QUERIES = sorted(QUERY_DIR.glob("*.sql"))

#: Queries whose answer on the sample warehouse is legitimately empty, and why.
EMPTY_ON_SAMPLE = {
    "accusations_held_back.sql": "every accusation in the seed article is asserted with confidence >= 0.5",
}


# ---- the header every query carries -------------------------------------------------------------
@dataclass(frozen=True)
class QueryDoc:
    question: str
    params: dict[str, str]
    columns: list[str]
    used_params: set[str]


def parse_query(path: Path) -> QueryDoc:
    """Header: a question line, `-- param: NAME = EXAMPLE` lines, one `-- columns: a, b` line."""
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    params = dict(re.findall(r"^--\s*param:\s*(\w+)\s*=\s*(.+?)\s*$", text, flags=re.M))
    columns = re.findall(r"^--\s*columns:\s*(.+?)\s*$", text, flags=re.M)
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return QueryDoc(
        question=first.removeprefix("--").strip(),
        params=params,
        columns=[c.strip() for c in columns[0].split(",")] if columns else [],
        used_params=set(re.findall(r"\$([A-Za-z_]\w*)", body)),
    )


def test_the_library_has_at_least_ten_queries():
    assert len(QUERIES) >= 10, [q.name for q in QUERIES]


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_header_documents_question_columns_and_every_parameter(path):
    doc = parse_query(path)
    assert doc.question.endswith("?"), f"{path.name}: first line should be the question it answers"
    assert doc.columns, f"{path.name}: no '-- columns:' line"
    assert doc.used_params == set(doc.params), f"{path.name}: declared {set(doc.params)}, used {doc.used_params}"
    assert "{" not in path.read_text(encoding="utf-8").replace("{}", ""), "no string-formatting placeholders"


# ---- the sample warehouse (the real flow, built once) ---------------------------------------------
@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    from flows.etl import etl_flow

    inputs = tmp_path_factory.mktemp("sample_inputs")
    record = {
        "id": "seed-1",
        "title": "China hits back at NATO chief",
        "published_at": "2025-06-26T10:30:00+08:00",
        "outlet": "Sample Wire",
        "body": SEED_ARTICLE.read_text(encoding="utf-8"),
    }
    (inputs / "seed.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    path = tmp_path_factory.mktemp("sample_wh") / "whosaid.duckdb"
    summary = etl_flow(inputs=[str(inputs)], warehouse_path=str(path))
    assert summary["n_accusations"] > 0, summary
    return path


@pytest.mark.slow
@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_runs_on_the_sample_warehouse_with_its_example_parameters(sample_warehouse, path):
    doc = parse_query(path)
    names, rows = warehouse.query(sample_warehouse, path.read_text(encoding="utf-8"), doc.params or None)
    assert names == doc.columns
    if path.name in EMPTY_ON_SAMPLE:
        return
    assert rows, f"{path.name} returned nothing for {doc.params}"


@pytest.mark.slow
def test_who_accuses_china_most_on_the_seed_is_mark_rutte(sample_warehouse):
    path = QUERY_DIR / "who_accuses_entity_most.sql"
    names, rows = warehouse.query(sample_warehouse, path.read_text(encoding="utf-8"), {"entity": "china"})
    top = dict(zip(names, rows[0]))
    assert top["accuser"] == "Mark Rutte" and top["n_accusations"] >= 2
    assert "military build-up" in top["charges"]


@pytest.mark.slow
def test_cli_runs_a_query_file_and_binds_parameters_never_splicing_them(sample_warehouse):
    runner = CliRunner()
    file = str(QUERY_DIR / "accusations_against_entity.sql")
    result = runner.invoke(app, ["sql", "--file", file, "-p", "entity=NATO", "-w", str(sample_warehouse), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["accuser"] for r in rows} >= {"Guo Jiakun"}
    body = warehouse.query(sample_warehouse, "SELECT body FROM dim_article")[1][0][0]
    assert all(r["evidence"] == body[r["evidence_start"] : r["evidence_end"]] for r in rows)

    hostile = "NATO' OR '1'='1"
    result = runner.invoke(app, ["sql", "--file", file, "-p", f"entity={hostile}", "-w", str(sample_warehouse), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.slow
def test_views_on_the_sample_agree_with_v_accusations(sample_warehouse):
    q = lambda sql: warehouse.query(sample_warehouse, sql)[1]  # noqa: E731
    [(n_accusations,)] = q("SELECT count(*) FROM v_accusations")
    assert q("SELECT year_month, sum(n_accusations) FROM v_entity_network GROUP BY ALL") == [("2025-06", n_accusations)]
    assert q("SELECT date, n_articles, n_accusations FROM v_daily_accusations") == [(date(2025, 6, 26), 1, n_accusations)]
    assert q("SELECT sum(n_accusations_made), sum(n_accusations_received) FROM v_entity_profile") == [
        (n_accusations, n_accusations)
    ]
    assert q("SELECT outlet_name FROM dim_outlet JOIN dim_article USING (outlet_id)") == [("Sample Wire",)]


@pytest.mark.slow
def test_every_view_and_view_column_is_documented(sample_warehouse):
    with warehouse.connect(sample_warehouse, read_only=True) as con:
        views = con.execute(
            "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
        undocumented = con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_views() v "
            "ON v.view_name = c.table_name AND v.database_name = c.database_name "
            "WHERE NOT v.internal AND c.database_name = current_database() AND coalesce(c.comment, '') = ''"
        ).fetchall()
    names = {v[0] for v in views}
    assert {"v_entity_network", "v_entity_profile", "v_daily_accusations", "v_accusations", "v_quotes"} <= names
    mine = {"v_entity_network", "v_entity_profile", "v_daily_accusations", "v_accusations", "v_quotes",
            "v_quarantine", "v_dq_failures"}
    assert all(comment for name, comment in views if name in mine), views
    assert [u for u in undocumented if u[0] in mine] == []


# ---- a synthetic warehouse whose answers are known ---------------------------------------------
def _span(body: str, text: str, after: int = 0) -> tuple[int, int]:
    start = body.index(text, after)
    return start, start + len(text)


def _sentence_of(body: str, pos: int) -> tuple[int, int]:
    start = body.rfind(". ", 0, pos)
    start = 0 if start < 0 else start + 2
    end = body.find(".", pos)
    return start, end + 1


def _actor(body: str, name: str, after: int = 0) -> Actor:
    s, e = _span(body, name, after)
    return Actor(s, e, name, "PERSON", s, e, name)


def synthetic_article(body, published, outlet, accusations=(), denials=()):
    """An article and its extraction, with offsets computed from the text: no NLP involved.

    accusations: (accuser, cue, accused, charge, stance); denials: (denier, cue, charge).
    """
    key = article_key(body)
    art = RawArticle(key, f"mem://{key}", body, None, published, None, outlet, None, None, "json", "mem")
    names = {a[0] for a in accusations} | {a[2] for a in accusations} | {d[0] for d in denials}
    mentions = [Mention(i, *_span(body, n), n, "PERSON", 0) for i, n in enumerate(sorted(names))]
    acc_records, den_records = [], []
    for accuser, cue, accused, charge, stance in accusations:
        a = _actor(body, accuser)
        cs, ce = _span(body, cue, a.end)
        acc_records.append(
            Accusation(a, _actor(body, accused, ce), *_span(body, charge, ce), charge, cs, ce, cue, "accuse", "112",
                       stance, 0.9, *_sentence_of(body, a.start))
        )
    for denier, cue, charge in denials:
        d = _actor(body, denier, body.index(cue) - len(denier) - 1)
        cs, ce = _span(body, cue, d.end)
        den_records.append(Denial(d, *_span(body, charge, ce), charge, cs, ce, cue, *_sentence_of(body, d.start)))
    ex = ArticleExtraction(key, [Sentence(0, 0, len(body))], mentions, [], acc_records, den_records, n_tokens=10)
    return art, ex


SYNTHETIC = [
    synthetic_article("Ann Lee accused Bob Ray of lying.", datetime(2025, 3, 10, 9), "Daily Planet",
                      [("Ann Lee", "accused", "Bob Ray", "lying", "asserted")]),
    synthetic_article("Ann Lee accused Bob Ray of cheating.", datetime(2025, 3, 12, 9), "daily  planet",
                      [("Ann Lee", "accused", "Bob Ray", "cheating", "asserted")]),
    synthetic_article("Bob Ray accused Ann Lee of theft. Bob Ray denied lying.", datetime(2025, 4, 2, 9), "The Bugle",
                      [("Bob Ray", "accused", "Ann Lee", "theft", "asserted")], [("Bob Ray", "denied", "lying")]),
    synthetic_article("Cy Oh accused Ann Lee of fraud. Cy Oh would accuse Bob Ray of bribery.", None, None,
                      [("Cy Oh", "accused", "Ann Lee", "fraud", "asserted"),
                       ("Cy Oh", "would accuse", "Bob Ray", "bribery", "hypothetical")]),
]


def load_synthetic(path: Path) -> Path:
    frames = build_frames([a for a, _ in SYNTHETIC], [e for _, e in SYNTHETIC], "run-s", "none", "0.0").tables
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
        warehouse.load(con, frames, [], [])
    return path


@pytest.fixture(scope="module")
def synthetic_warehouse(tmp_path_factory) -> Path:
    return load_synthetic(tmp_path_factory.mktemp("synthetic") / "w.duckdb")


def _run(path: Path, name: str, **params) -> list[dict]:
    names, rows = warehouse.query(path, (QUERY_DIR / name).read_text(encoding="utf-8"), params or None)
    return [dict(zip(names, r)) for r in rows]


def test_entity_network_counts_per_month_with_undated_as_unknown(synthetic_warehouse):
    rows = warehouse.query(
        synthetic_warehouse,
        "SELECT month, year_month, accuser, accused, n_accusations, n_articles, charges FROM v_entity_network ORDER BY ALL",
    )[1]
    assert rows == [
        (date(2025, 3, 1), "2025-03", "Ann Lee", "Bob Ray", 2, 2, "cheating; lying"),
        (date(2025, 4, 1), "2025-04", "Bob Ray", "Ann Lee", 1, 1, "theft"),
        (None, "unknown", "Cy Oh", "Ann Lee", 1, 1, "fraud"),
    ]


def test_daily_accusations_is_zero_filled_between_first_and_last_dated_article(synthetic_warehouse):
    rows = _as_dicts(synthetic_warehouse, "SELECT * FROM v_daily_accusations ORDER BY date")
    assert [r["date"] for r in rows][0] == date(2025, 3, 10) and rows[-1]["date"] == date(2025, 4, 2)
    assert len(rows) == 24
    by_day = {r["date"]: r for r in rows}
    assert by_day[date(2025, 3, 11)]["n_accusations"] == 0 and by_day[date(2025, 3, 11)]["n_articles"] == 0
    assert by_day[date(2025, 3, 10)]["weekday_name"] == "Monday"
    assert sum(r["n_accusations"] for r in rows) == 3  # the undated one is not a day


def test_entity_profile_counts_both_directions_and_top_counterparts(synthetic_warehouse):
    rows = {r["entity"]: r for r in _as_dicts(synthetic_warehouse, "SELECT * FROM v_entity_profile")}
    assert (rows["Ann Lee"]["n_accusations_made"], rows["Ann Lee"]["n_accusations_received"]) == (2, 2)
    assert rows["Ann Lee"]["top_accused"] == "Bob Ray (2)"
    assert rows["Ann Lee"]["top_accusers"] == "Bob Ray (1); Cy Oh (1)"
    assert (rows["Bob Ray"]["n_accusations_received"], rows["Bob Ray"]["n_denials"]) == (2, 1)  # hypothetical not counted
    assert rows["Cy Oh"]["n_accusations_made"] == 1


def test_queries_answer_exactly_on_the_synthetic_warehouse(synthetic_warehouse):
    w = synthetic_warehouse
    assert _run(w, "mutual_accusations.sql") == [
        {"entity_a": "Ann Lee", "entity_b": "Bob Ray", "n_a_accuses_b": 2, "n_b_accuses_a": 1, "n_total": 3}
    ]
    denied = _run(w, "accusations_later_denied.sql")
    assert [(r["accuser"], r["charge"], r["denied"], r["same_article"]) for r in denied] == [
        ("Ann Lee", "lying", "lying", False),
        ("Ann Lee", "cheating", "lying", False),
    ]
    assert [(r["outlet"], r["n_articles"], r["n_accusations"]) for r in _run(w, "accusations_by_outlet.sql")] == [
        ("Daily Planet", 2, 2), ("(unknown)", 1, 1), ("The Bugle", 1, 1),
    ]
    assert [(r["accuser"], r["accused"]) for r in _run(w, "who_accuses_whom_in_month.sql", month="unknown")] == [
        ("Cy Oh", "Ann Lee")
    ]
    held = _run(w, "accusations_held_back.sql")
    assert [(r["accuser"], r["accused"], r["held_back_because"]) for r in held] == [
        ("Cy Oh", "Bob Ray", "stance hypothetical")
    ]
    assert [(r["year_month"], r["n_accusations_made"], r["n_accusations_received"])
            for r in _run(w, "entity_timeline.sql", entity="ann lee")] == [("2025-03", 2, 0), ("2025-04", 0, 1),
                                                                             ("unknown", 0, 1)]
    top = _run(w, "top_accusers.sql", limit="1")
    assert [(r["accuser"], r["n_accusations"], r["n_articles"], r["top_accused"]) for r in top] == [
        ("Ann Lee", 2, 2, "Bob Ray")
    ]


def _as_dicts(path: Path, sql: str) -> list[dict]:
    names, rows = warehouse.query(path, sql)
    return [dict(zip(names, r)) for r in rows]
