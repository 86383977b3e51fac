-- v_entity_profile: one row per canonical entity with what it did and what was done to it:
-- mentions, quotes, accusations made and received (v_accusations rows: asserted, confidence
-- >= 0.5), denials, and its top three counterparts each way as "Name (count); ...".
CREATE OR REPLACE VIEW v_entity_profile AS
WITH mentions AS (
    SELECT m.entity_id, count(*) AS n_mentions, count(DISTINCT m.article_id) AS n_articles,
           min(a.published_at) AS first_published_at, max(a.published_at) AS last_published_at
    FROM fact_mention m JOIN dim_article a USING (article_id)
    GROUP BY m.entity_id
), quotes AS (
    SELECT speaker_entity_id AS entity_id, count(*) AS n_quotes
    FROM fact_quote WHERE speaker_entity_id IS NOT NULL
    GROUP BY speaker_entity_id
), denials AS (
    SELECT denier_entity_id AS entity_id, count(*) AS n_denials
    FROM fact_denial
    GROUP BY denier_entity_id
), pairs AS (
    SELECT accuser_entity_id, accuser, accused_entity_id, accused, count(*) AS n
    FROM v_accusations
    GROUP BY ALL
), made AS (
    SELECT accuser_entity_id AS entity_id, sum(n) AS n_accusations_made,
           string_agg(accused || ' (' || n || ')', '; ' ORDER BY n DESC, accused)
               FILTER (WHERE rank_accused <= 3) AS top_accused
    FROM (SELECT *, row_number() OVER (PARTITION BY accuser_entity_id ORDER BY n DESC, accused) AS rank_accused
          FROM pairs)
    GROUP BY accuser_entity_id
), received AS (
    SELECT accused_entity_id AS entity_id, sum(n) AS n_accusations_received,
           string_agg(accuser || ' (' || n || ')', '; ' ORDER BY n DESC, accuser)
               FILTER (WHERE rank_accuser <= 3) AS top_accusers
    FROM (SELECT *, row_number() OVER (PARTITION BY accused_entity_id ORDER BY n DESC, accuser) AS rank_accuser
          FROM pairs)
    GROUP BY accused_entity_id
)
SELECT
    e.canonical_name                              AS entity,
    e.entity_type,
    e.country_code,
    coalesce(mentions.n_mentions, 0)              AS n_mentions,
    coalesce(mentions.n_articles, 0)              AS n_articles,
    coalesce(quotes.n_quotes, 0)                  AS n_quotes,
    coalesce(made.n_accusations_made, 0)          AS n_accusations_made,
    coalesce(received.n_accusations_received, 0)  AS n_accusations_received,
    coalesce(denials.n_denials, 0)                AS n_denials,
    made.top_accused,
    received.top_accusers,
    mentions.first_published_at,
    mentions.last_published_at,
    e.entity_id
FROM dim_entity e
LEFT JOIN mentions USING (entity_id)
LEFT JOIN quotes USING (entity_id)
LEFT JOIN denials USING (entity_id)
LEFT JOIN made USING (entity_id)
LEFT JOIN received USING (entity_id);

COMMENT ON VIEW v_entity_profile IS 'One row per canonical entity: mentions, quotes, accusations made and received (v_accusations rows), denials, and top counterparts.';
COMMENT ON COLUMN v_entity_profile.entity IS 'Canonical name (dim_entity.canonical_name).';
COMMENT ON COLUMN v_entity_profile.entity_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_entity_profile.country_code IS 'ISO alpha-3 / CAMEO actor country code, when known.';
COMMENT ON COLUMN v_entity_profile.n_mentions IS 'Times the entity is mentioned (fact_mention rows).';
COMMENT ON COLUMN v_entity_profile.n_articles IS 'Distinct articles that mention the entity.';
COMMENT ON COLUMN v_entity_profile.n_quotes IS 'Quotes attributed to the entity (fact_quote rows).';
COMMENT ON COLUMN v_entity_profile.n_accusations_made IS 'Accusations the entity made (v_accusations rows as accuser).';
COMMENT ON COLUMN v_entity_profile.n_accusations_received IS 'Accusations made against the entity (v_accusations rows as accused).';
COMMENT ON COLUMN v_entity_profile.n_denials IS 'Denials by the entity (fact_denial rows).';
COMMENT ON COLUMN v_entity_profile.top_accused IS 'Up to three entities it accuses most, as "Name (count); ...".';
COMMENT ON COLUMN v_entity_profile.top_accusers IS 'Up to three entities that accuse it most, as "Name (count); ...".';
COMMENT ON COLUMN v_entity_profile.first_published_at IS 'Earliest publication time of an article mentioning it (UTC), when known.';
COMMENT ON COLUMN v_entity_profile.last_published_at IS 'Latest publication time of an article mentioning it (UTC), when known.';
COMMENT ON COLUMN v_entity_profile.entity_id IS 'The entity (dim_entity.entity_id).';
