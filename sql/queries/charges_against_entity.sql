-- What is an entity most often charged with?
-- The normalized charges against $entity (canonical name, case-insensitive), grouped, with the
-- CAMEO codes they were classified as and who made them.
-- param: entity = China
-- columns: charge, n_accusations, cameo_codes, accusers, n_articles
SELECT
    charge_norm                                           AS charge,
    count(*)                                              AS n_accusations,
    string_agg(DISTINCT cameo_code, ', ' ORDER BY cameo_code) AS cameo_codes,
    string_agg(DISTINCT accuser, '; ' ORDER BY accuser)   AS accusers,
    count(DISTINCT article_key)                           AS n_articles
FROM v_accusations
WHERE lower(accused) = lower($entity)
GROUP BY charge_norm
ORDER BY n_accusations DESC, charge;
