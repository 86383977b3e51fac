"""Conformed dimensions BI tools group by: dim_outlet and dim_date, derived from dim_article.

Pure functions over the dim_article frame. Both dimensions are functions of the articles alone, so
a run builds the rows its own articles need and the upsert by key makes an incremental load equal
to a full rebuild:

* dim_outlet — one row per outlet name, case and spacing folded; key = stable_id(outlet_key).
  Articles without an outlet keep a null outlet_id (no 'unknown' row: a null FK is what BI tools
  show as an empty group, and it cannot be mistaken for a real outlet called "unknown").
* dim_date — every day of every calendar year that has a published article (not only the days
  that have one), so time series have no holes inside a year. date_key is yyyymmdd.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from whosaid.contracts import contract
from whosaid.normalize import stable_id


# ---- keys on dim_article -----------------------------------------------------------------------
def outlet_key(name: str | None) -> str | None:
    """The natural key of an outlet: case-folded, whitespace collapsed; None for a blank name."""
    if name is None:
        return None
    key = " ".join(name.split()).casefold()
    return key or None


def outlet_id(name: str | None) -> int | None:
    key = outlet_key(name)
    return stable_id(key) if key else None


def date_key_expr(date_col: pl.Expr) -> pl.Expr:
    """yyyymmdd as an integer: sorts like the date and reads like one in any tool.

    Parts are widened first: Polars returns month and day as Int8, and 12 * 100 overflows it.
    """
    year, month, day = (part.cast(pl.Int32) for part in (date_col.dt.year(), date_col.dt.month(), date_col.dt.day()))
    return year * 10000 + month * 100 + day


def with_dimension_keys(articles: pl.DataFrame) -> pl.DataFrame:
    """dim_article with outlet_id and date_key filled from its outlet and published_date."""
    names = articles["outlet"].unique().to_list()
    ids = {name: outlet_id(name) for name in names if name is not None}
    keyed = articles.with_columns(
        outlet_id=pl.col("outlet").replace_strict(ids, default=None, return_dtype=pl.Int64),
        date_key=date_key_expr(pl.col("published_date")),
    )
    return contract("dim_article").conform(keyed)


# ---- dim_outlet --------------------------------------------------------------------------------
def dim_outlet(articles: pl.DataFrame) -> pl.DataFrame:
    """One row per outlet the articles name; the display name is the most used spelling."""
    c = contract("dim_outlet")
    named = [n for n in articles["outlet"].to_list() if outlet_key(n)]
    if not named:
        return c.empty_frame()
    spellings = pl.DataFrame({"outlet_name": [" ".join(n.split()) for n in named]}).with_columns(
        outlet_key=pl.col("outlet_name").map_elements(outlet_key, return_dtype=pl.String)
    )
    chosen = (
        spellings.group_by("outlet_key", "outlet_name")
        .len()
        .sort(["outlet_key", "len", "outlet_name"], descending=[False, True, False])
        .unique("outlet_key", keep="first", maintain_order=True)
    )
    return c.conform(
        chosen.with_columns(
            outlet_id=pl.col("outlet_key").map_elements(stable_id, return_dtype=pl.Int64)
        )
    )


# ---- dim_date ----------------------------------------------------------------------------------
def calendar_years(articles: pl.DataFrame) -> list[int]:
    """The calendar years in which at least one article was published, ascending."""
    return sorted(articles["published_date"].drop_nulls().dt.year().unique().to_list())


def calendar(days: pl.Series) -> pl.DataFrame:
    """Calendar attributes of the given days, shaped to the dim_date contract."""
    d = pl.col("date")
    frame = pl.DataFrame({"date": days.cast(pl.Date)}).with_columns(
        date_key=date_key_expr(d),
        year=d.dt.year(),
        quarter=d.dt.quarter(),
        year_quarter=pl.format("{}-Q{}", d.dt.year(), d.dt.quarter()),
        month=d.dt.month(),
        month_name=d.dt.strftime("%B"),
        year_month=d.dt.strftime("%Y-%m"),
        month_start=d.dt.month_start(),
        day_of_month=d.dt.day(),
        day_of_year=d.dt.ordinal_day(),
        week=d.dt.week(),
        iso_year=d.dt.iso_year(),
        week_start=d - pl.duration(days=d.dt.weekday() - 1),
        weekday=d.dt.weekday(),  # Polars: ISO, Monday = 1 ... Sunday = 7
        weekday_name=d.dt.strftime("%A"),
        is_weekend=d.dt.weekday() >= 6,
    )
    return contract("dim_date").conform(frame)


def dim_date(articles: pl.DataFrame) -> pl.DataFrame:
    """Every day of every year with a published article (see the module docstring for why)."""
    years = calendar_years(articles)
    if not years:
        return contract("dim_date").empty_frame()
    days = pl.concat(
        [pl.date_range(date(y, 1, 1), date(y, 12, 31), interval="1d", eager=True) for y in years]
    )
    return calendar(days)
