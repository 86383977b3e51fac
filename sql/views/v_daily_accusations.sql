-- v_daily_accusations: a daily time series of accusations for charts. One row per calendar day
-- from the first to the last publication date in the warehouse, days without articles or
-- accusations included with zeros. Counts v_accusations rows (asserted, confidence >= 0.5);
-- undated articles are not in it (see v_entity_network's year_month 'unknown').
CREATE OR REPLACE VIEW v_daily_accusations AS
WITH span AS (
    SELECT min(date_key) AS first_key, max(date_key) AS last_key
    FROM dim_article WHERE date_key IS NOT NULL
), articles AS (
    SELECT date_key, count(*) AS n_articles
    FROM dim_article WHERE date_key IS NOT NULL
    GROUP BY date_key
), accusations AS (
    SELECT date_key,
           count(*)                          AS n_accusations,
           count(DISTINCT article_key)       AS n_articles_with_accusations,
           count(DISTINCT accuser_entity_id) AS n_accusers,
           count(DISTINCT accused_entity_id) AS n_accused
    FROM v_accusations WHERE date_key IS NOT NULL
    GROUP BY date_key
)
SELECT
    d.date,
    d.date_key,
    d.year,
    d.quarter,
    d.month,
    d.month_name,
    d.year_month,
    d.iso_year,
    d.week,
    d.weekday,
    d.weekday_name,
    d.is_weekend,
    coalesce(articles.n_articles, 0)                          AS n_articles,
    coalesce(accusations.n_articles_with_accusations, 0)      AS n_articles_with_accusations,
    coalesce(accusations.n_accusations, 0)                    AS n_accusations,
    coalesce(accusations.n_accusers, 0)                       AS n_accusers,
    coalesce(accusations.n_accused, 0)                        AS n_accused
FROM dim_date d
JOIN span ON d.date_key BETWEEN span.first_key AND span.last_key
LEFT JOIN articles USING (date_key)
LEFT JOIN accusations USING (date_key);

COMMENT ON VIEW v_daily_accusations IS 'Accusations per publication day (UTC), zero-filled from the first to the last dated article; counts v_accusations rows. Undated articles are not counted here.';
COMMENT ON COLUMN v_daily_accusations.date IS 'The calendar day (dim_date.date).';
COMMENT ON COLUMN v_daily_accusations.date_key IS 'The day as yyyymmdd (dim_date.date_key).';
COMMENT ON COLUMN v_daily_accusations.year IS 'Calendar year.';
COMMENT ON COLUMN v_daily_accusations.quarter IS 'Calendar quarter, 1 to 4.';
COMMENT ON COLUMN v_daily_accusations.month IS 'Month number, 1 to 12.';
COMMENT ON COLUMN v_daily_accusations.month_name IS 'English month name.';
COMMENT ON COLUMN v_daily_accusations.year_month IS 'Year and month, yyyy-mm.';
COMMENT ON COLUMN v_daily_accusations.iso_year IS 'ISO week-numbering year.';
COMMENT ON COLUMN v_daily_accusations.week IS 'ISO week number, 1 to 53.';
COMMENT ON COLUMN v_daily_accusations.weekday IS 'ISO day of the week, 1 = Monday to 7 = Sunday.';
COMMENT ON COLUMN v_daily_accusations.weekday_name IS 'English day name.';
COMMENT ON COLUMN v_daily_accusations.is_weekend IS 'True on Saturday and Sunday.';
COMMENT ON COLUMN v_daily_accusations.n_articles IS 'Articles published that day.';
COMMENT ON COLUMN v_daily_accusations.n_articles_with_accusations IS 'Articles published that day with at least one accusation in v_accusations.';
COMMENT ON COLUMN v_daily_accusations.n_accusations IS 'Accusations (v_accusations rows) in articles published that day.';
COMMENT ON COLUMN v_daily_accusations.n_accusers IS 'Distinct accusers that day.';
COMMENT ON COLUMN v_daily_accusations.n_accused IS 'Distinct accused that day.';
