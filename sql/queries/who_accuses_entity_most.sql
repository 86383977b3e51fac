-- Who accuses a given entity most (e.g. who accuses China most)?
-- The accusers of $entity (canonical name, case-insensitive), most frequent first, with the
-- articles and the distinct charges. Counts v_accusations rows (asserted, confidence >= 0.5).
-- param: entity = China
-- columns: accuser, accuser_type, n_accusations, n_articles, first_published_at, last_published_at, charges
SELECT
    accuser,
    accuser_type,
    count(*)                    AS n_accusations,
    count(DISTINCT article_key) AS n_articles,
    min(published_at)           AS first_published_at,
    max(published_at)           AS last_published_at,
    string_agg(DISTINCT charge_norm, '; ' ORDER BY charge_norm) AS charges
FROM v_accusations
WHERE lower(accused) = lower($entity)
GROUP BY accuser, accuser_type
ORDER BY n_accusations DESC, accuser;
