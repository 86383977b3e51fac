-- v_entity_network: the accusation network, accuser -> accused, counted per publication month.
-- Counts the rows of v_accusations (asserted, confidence >= 0.5). One row per (month, accuser,
-- accused); undated articles form the month NULL / year_month 'unknown'. Sum n_accusations over
-- months for the all-time network; BI tools can draw it as a sankey or chord chart.
CREATE OR REPLACE VIEW v_entity_network AS
SELECT
    d.month_start                                   AS month,
    coalesce(d.year_month, 'unknown')               AS year_month,
    v.accuser,
    v.accuser_type,
    v.accused,
    v.accused_type,
    count(*)                                        AS n_accusations,
    count(DISTINCT v.article_key)                   AS n_articles,
    string_agg(DISTINCT v.charge_norm, '; ' ORDER BY v.charge_norm) AS charges,
    min(v.published_at)                             AS first_published_at,
    max(v.published_at)                             AS last_published_at,
    v.accuser_entity_id,
    v.accused_entity_id
FROM v_accusations v
LEFT JOIN dim_date d ON d.date_key = v.date_key
GROUP BY d.month_start, d.year_month, v.accuser, v.accuser_type, v.accused, v.accused_type,
         v.accuser_entity_id, v.accused_entity_id;

COMMENT ON VIEW v_entity_network IS 'Who accuses whom, per publication month: one row per (month, accuser, accused) with counts, from v_accusations (asserted, confidence >= 0.5). Undated articles: month NULL, year_month ''unknown''.';
COMMENT ON COLUMN v_entity_network.month IS 'First day of the publication month (dim_date.month_start); NULL for undated articles.';
COMMENT ON COLUMN v_entity_network.year_month IS 'Publication month as yyyy-mm, or ''unknown'' for undated articles.';
COMMENT ON COLUMN v_entity_network.accuser IS 'Canonical name of the accuser.';
COMMENT ON COLUMN v_entity_network.accuser_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_entity_network.accused IS 'Canonical name of the accused.';
COMMENT ON COLUMN v_entity_network.accused_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_entity_network.n_accusations IS 'Accusations by accuser against accused published that month.';
COMMENT ON COLUMN v_entity_network.n_articles IS 'Distinct articles those accusations came from.';
COMMENT ON COLUMN v_entity_network.charges IS 'The distinct normalized charges, alphabetical, separated by "; ".';
COMMENT ON COLUMN v_entity_network.first_published_at IS 'Earliest publication time among those articles (UTC).';
COMMENT ON COLUMN v_entity_network.last_published_at IS 'Latest publication time among those articles (UTC).';
COMMENT ON COLUMN v_entity_network.accuser_entity_id IS 'The accuser (dim_entity.entity_id).';
COMMENT ON COLUMN v_entity_network.accused_entity_id IS 'The accused (dim_entity.entity_id).';
