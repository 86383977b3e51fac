-- 0002: conformed dimensions dim_outlet and dim_date (with dim_article.outlet_id and date_key), and
-- bridge_entity_affiliation.
--
-- Existing articles are backfilled with the rules of whosaid/dimensions.py, written in SQL so this
-- migration does not change when that module does (tests/test_migrations.py checks both agree):
--   outlet_key  = the outlet name, whitespace runs collapsed to one space, trimmed, case-folded
--   outlet_id   = stable_id(outlet_key) = the first 15 hex digits of SHA-256(outlet_key) as BIGINT
--   outlet_name = the most used spelling (whitespace collapsed), ties broken alphabetically
--   dim_date    = every day of every calendar year with a published article; date_key = yyyymmdd
-- Case folding: DuckDB's lower() plus the two folds Python's str.casefold() adds in news outlet names
-- (ß → ss, final ς → σ). Affiliations come from extraction: older articles get them when they are
-- re-extracted (`whosaid run --reprocess`, or the next extractor version).
-- Idempotent (IF NOT EXISTS, ON CONFLICT DO NOTHING): a warehouse created from the contracts while
-- this migration was being written already has these tables and is left as it is.

CREATE TABLE IF NOT EXISTS dim_outlet (
    outlet_id BIGINT NOT NULL,
    outlet_key VARCHAR NOT NULL,
    outlet_name VARCHAR NOT NULL,
    PRIMARY KEY (outlet_id),
    UNIQUE (outlet_key)
);

CREATE TABLE IF NOT EXISTS dim_date (
    date_key INTEGER NOT NULL,
    date DATE NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    year_quarter VARCHAR NOT NULL,
    month INTEGER NOT NULL,
    month_name VARCHAR NOT NULL,
    year_month VARCHAR NOT NULL,
    month_start DATE NOT NULL,
    day_of_month INTEGER NOT NULL,
    day_of_year INTEGER NOT NULL,
    week INTEGER NOT NULL,
    iso_year INTEGER NOT NULL,
    week_start DATE NOT NULL,
    weekday INTEGER NOT NULL,
    weekday_name VARCHAR NOT NULL,
    is_weekend BOOLEAN NOT NULL,
    PRIMARY KEY (date_key),
    UNIQUE (date)
);

CREATE TABLE IF NOT EXISTS bridge_entity_affiliation (
    person_entity_id BIGINT NOT NULL,
    org_entity_id BIGINT NOT NULL,
    role VARCHAR NOT NULL,
    org_country_code VARCHAR,
    first_article_id BIGINT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    PRIMARY KEY (person_entity_id, org_entity_id, role)
);

ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS outlet_id BIGINT;
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS date_key INTEGER;

-- ---- backfill dim_outlet and dim_article.outlet_id ---------------------------------------------
CREATE TEMP TABLE migration_0002_outlet AS
SELECT
    article_id,
    spelling AS outlet_name,
    replace(replace(lower(spelling), 'ß', 'ss'), 'ς', 'σ') AS outlet_key
FROM (
    SELECT
        article_id,
        trim(regexp_replace(outlet, '[\t\n\v\f\r \x{1c}-\x{1f}\x{85}\pZ]+', ' ', 'g')) AS spelling
    FROM dim_article
    WHERE outlet IS NOT NULL
)
WHERE spelling <> '';

INSERT INTO dim_outlet (outlet_id, outlet_key, outlet_name)
SELECT
    ('0x' || sha256(outlet_key)[1:15])::BIGINT,
    outlet_key,
    first(outlet_name ORDER BY n DESC, outlet_name)
FROM (SELECT outlet_key, outlet_name, count(*) AS n FROM migration_0002_outlet GROUP BY ALL)
GROUP BY outlet_key
ON CONFLICT DO NOTHING;

UPDATE dim_article
SET outlet_id = ('0x' || sha256(o.outlet_key)[1:15])::BIGINT
FROM migration_0002_outlet o
WHERE dim_article.article_id = o.article_id AND dim_article.outlet_id IS NULL;

DROP TABLE migration_0002_outlet;

-- ---- backfill dim_article.date_key and dim_date --------------------------------------------------
UPDATE dim_article
SET date_key = year(published_date) * 10000 + month(published_date) * 100 + day(published_date)
WHERE published_date IS NOT NULL AND date_key IS NULL;

INSERT INTO dim_date
SELECT
    year(d) * 10000 + month(d) * 100 + day(d) AS date_key,
    d AS date,
    year(d) AS year,
    quarter(d) AS quarter,
    year(d) || '-Q' || quarter(d) AS year_quarter,
    month(d) AS month,
    strftime(d, '%B') AS month_name,
    strftime(d, '%Y-%m') AS year_month,
    date_trunc('month', d)::DATE AS month_start,
    day(d) AS day_of_month,
    dayofyear(d) AS day_of_year,
    weekofyear(d) AS week,
    isoyear(d) AS iso_year,
    date_trunc('week', d)::DATE AS week_start,
    isodow(d) AS weekday,
    strftime(d, '%A') AS weekday_name,
    isodow(d) >= 6 AS is_weekend
FROM (
    SELECT unnest(generate_series(make_date(y, 1, 1), make_date(y, 12, 31), INTERVAL 1 DAY))::DATE AS d
    FROM (SELECT DISTINCT year(published_date)::INTEGER AS y FROM dim_article WHERE published_date IS NOT NULL)
)
ON CONFLICT DO NOTHING;
