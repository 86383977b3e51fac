"""dim_outlet and dim_date: derived from dim_article, keyed deterministically, checked by GX relationships."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, timedelta

import polars as pl
import pytest

from whosaid import dimensions
from whosaid.contracts import contract
from whosaid.ingest import RawArticle, article_key
from whosaid.nlp.records import ArticleExtraction, Sentence
from whosaid.normalize import build_frames, stable_id
from whosaid.validate import validate_frames


def _articles(rows: list[tuple[str | None, date | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"outlet": pl.String, "published_date": pl.Date}, orient="row")


# ---- dim_date ----------------------------------------------------------------------------------
def test_calendar_attributes_agree_with_python_across_iso_year_boundaries():
    # 2020 is a leap year with an ISO week 53; 1-3 January 2021 belong to ISO 2020-W53.
    frame = dimensions.dim_date(_articles([(None, date(2020, 5, 1)), (None, date(2021, 7, 1))]))
    assert frame.height == 366 + 365
    for row in frame.iter_rows(named=True):
        d: date = row["date"]
        iso = d.isocalendar()
        assert row["date_key"] == int(d.strftime("%Y%m%d")), d
        assert (row["year"], row["month"], row["day_of_month"]) == (d.year, d.month, d.day)
        assert row["quarter"] == (d.month - 1) // 3 + 1
        assert row["year_quarter"] == f"{d.year}-Q{row['quarter']}"
        assert row["month_name"] == pycalendar.month_name[d.month]
        assert row["year_month"] == f"{d.year:04d}-{d.month:02d}"
        assert row["month_start"] == d.replace(day=1)
        assert row["day_of_year"] == d.timetuple().tm_yday
        assert (row["iso_year"], row["week"], row["weekday"]) == (iso.year, iso.week, iso.weekday)
        assert row["week_start"] == d - timedelta(days=iso.weekday - 1)
        assert row["weekday_name"] == pycalendar.day_name[d.weekday()]
        assert row["is_weekend"] == (iso.weekday >= 6)
    jan1 = frame.filter(pl.col("date") == date(2021, 1, 1)).row(0, named=True)
    assert (jan1["iso_year"], jan1["week"]) == (2020, 53)


def test_calendar_covers_whole_years_of_published_dates_only():
    frame = dimensions.dim_date(_articles([(None, date(2025, 6, 26)), (None, date(2025, 1, 3)), (None, None)]))
    assert frame.height == 365
    assert frame["date"].min() == date(2025, 1, 1) and frame["date"].max() == date(2025, 12, 31)
    assert frame["date_key"].is_unique().all() and frame["date"].is_unique().all()
    assert frame.schema == contract("dim_date").polars_schema


def test_no_dated_article_gives_an_empty_calendar_with_the_contract_schema():
    frame = dimensions.dim_date(_articles([("AP", None)]))
    assert frame.height == 0
    assert frame.schema == contract("dim_date").polars_schema


# ---- dim_outlet --------------------------------------------------------------------------------
def test_outlets_differing_in_case_and_spacing_are_one_row_named_by_the_most_used_spelling():
    frame = dimensions.dim_outlet(
        _articles([("Daily Planet", None), ("daily  planet", None), ("Daily Planet", None), ("The Bugle", None)])
    )
    assert frame.schema == contract("dim_outlet").polars_schema
    rows = {r["outlet_key"]: r for r in frame.iter_rows(named=True)}
    assert set(rows) == {"daily planet", "the bugle"}
    assert rows["daily planet"]["outlet_name"] == "Daily Planet"
    assert rows["daily planet"]["outlet_id"] == stable_id("daily planet")


def test_outlet_name_ties_break_alphabetically_whatever_the_input_order():
    one = dimensions.dim_outlet(_articles([("the bugle", None), ("The Bugle", None)]))
    two = dimensions.dim_outlet(_articles([("The Bugle", None), ("the bugle", None)]))
    assert one["outlet_name"].to_list() == two["outlet_name"].to_list() == ["The Bugle"]


def test_blank_or_missing_outlets_make_no_row():
    assert dimensions.dim_outlet(_articles([(None, None), ("   ", None)])).height == 0
    assert dimensions.outlet_id("  ") is None and dimensions.outlet_id(None) is None


# ---- keys on dim_article and the relationships GX checks -----------------------------------------
def _raw(body: str, published: datetime | None, outlet: str | None) -> tuple[RawArticle, ArticleExtraction]:
    key = article_key(body)
    art = RawArticle(key, f"mem://{key}", body, "t", published, None, outlet, None, None, "json", "mem")
    return art, ArticleExtraction(key, [Sentence(0, 0, len(body))], n_tokens=3)


def _frames(pairs):
    return build_frames([p[0] for p in pairs], [p[1] for p in pairs], "run-1", "sm", "0.1").tables


PAIRS = [
    _raw("One body.", datetime(2025, 6, 26, 23, 30), "Daily Planet"),  # UTC date is the 26th
    _raw("Two body.", datetime(2024, 12, 31, 8, 0), " daily planet "),
    _raw("Three body.", None, None),
]


def test_build_frames_keys_articles_to_their_outlet_and_day():
    frames = _frames(PAIRS)
    articles = frames["dim_article"]
    assert articles.columns == contract("dim_article").column_names
    by_body = {r["body"]: r for r in articles.iter_rows(named=True)}
    assert by_body["One body."]["date_key"] == 20250626
    assert by_body["Two body."]["date_key"] == 20241231
    assert by_body["One body."]["outlet_id"] == by_body["Two body."]["outlet_id"] == stable_id("daily planet")
    assert by_body["Three body."]["outlet_id"] is None and by_body["Three body."]["date_key"] is None
    assert frames["dim_outlet"].height == 1
    assert frames["dim_date"].height == 366 + 365  # 2024 and 2025, whole years
    assert set(articles["date_key"].drop_nulls()) <= set(frames["dim_date"]["date_key"])


def test_gx_accepts_the_dimensions_and_quarantines_an_article_pointing_at_a_missing_day():
    frames = _frames(PAIRS)
    outcome = validate_frames(frames, "run-1", {("etl_run", "run_id"): ["run-1"]})
    assert outcome.quarantine_rows == []
    relationship_checks = [
        r for r in outcome.dq_rows if r["table_name"] == "dim_article" and r["column_name"] in ("outlet_id", "date_key")
    ]
    assert len(relationship_checks) == 2 and all(r["success"] for r in relationship_checks)
    assert outcome.accepted["dim_date"].height == frames["dim_date"].height

    frames["dim_article"] = frames["dim_article"].with_columns(
        date_key=pl.when(pl.col("body") == "One body.").then(pl.lit(19990101)).otherwise(pl.col("date_key")).cast(pl.Int32)
    )
    outcome = validate_frames(frames, "run-1", {("etl_run", "run_id"): ["run-1"]})
    by_table = {q["table_name"]: q for q in outcome.quarantine_rows}
    assert set(by_table) == {"dim_article", "article_uri"}  # the article's uri row goes with it
    assert "date_key" in by_table["dim_article"]["detail"] and "19990101" in by_table["dim_article"]["record"]
    assert outcome.accepted["dim_article"].height == 2


@pytest.mark.parametrize("name", ["Reuters", "REUTERS", "  Reuters\t"])
def test_outlet_id_is_the_stable_id_of_the_folded_name(name):
    assert dimensions.outlet_key(name) == "reuters"
    assert dimensions.outlet_id(name) == stable_id("reuters")
