-- Who accuses most?
-- The actors that make the most accusations, against how many distinct targets, in how many
-- articles, and whom they accuse most (ties broken alphabetically). Counts v_accusations rows
-- (asserted, confidence >= 0.5).
-- param: limit = 10
-- columns: accuser, accuser_type, n_accusations, n_accused, n_articles, top_accused
WITH pairs AS (
    SELECT accuser, accuser_type, accused, count(*) AS n, list(DISTINCT article_key) AS articles
    FROM v_accusations
    GROUP BY accuser, accuser_type, accused
)
SELECT
    accuser,
    accuser_type,
    sum(n)                                       AS n_accusations,
    count(*)                                     AS n_accused,
    length(list_distinct(flatten(list(articles)))) AS n_articles,
    first(accused ORDER BY n DESC, accused)      AS top_accused
FROM pairs
GROUP BY accuser, accuser_type
ORDER BY n_accusations DESC, accuser
LIMIT CAST($limit AS INTEGER);
