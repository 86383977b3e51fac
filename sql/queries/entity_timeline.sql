-- How does an entity's role change month by month?
-- For $entity (canonical name, case-insensitive), per publication month: accusations it made,
-- accusations it received, and quotes attributed to it. Months are yyyy-mm, 'unknown' for undated
-- articles.
-- param: entity = China
-- columns: year_month, n_accusations_made, n_accusations_received, n_quotes
WITH target AS (
    SELECT entity_id FROM dim_entity WHERE lower(canonical_name) = lower($entity)
), events AS (
    SELECT date_key, 'made' AS kind FROM v_accusations WHERE accuser_entity_id IN (SELECT entity_id FROM target)
    UNION ALL
    SELECT date_key, 'received' FROM v_accusations WHERE accused_entity_id IN (SELECT entity_id FROM target)
    UNION ALL
    SELECT date_key, 'quote' FROM v_quotes WHERE speaker_entity_id IN (SELECT entity_id FROM target)
)
SELECT
    coalesce(d.year_month, 'unknown')        AS year_month,
    count(*) FILTER (kind = 'made')          AS n_accusations_made,
    count(*) FILTER (kind = 'received')      AS n_accusations_received,
    count(*) FILTER (kind = 'quote')         AS n_quotes
FROM events
LEFT JOIN dim_date d USING (date_key)
GROUP BY ALL
ORDER BY year_month;
