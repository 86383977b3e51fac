-- Which outlets carry the most accusations?
-- Per outlet (dim_outlet; '(unknown)' for articles without one): articles, accusations, the rate
-- per article and the entity most often accused in its articles (ties broken alphabetically).
-- Counts v_accusations rows (asserted, confidence >= 0.5).
-- columns: outlet, n_articles, n_accusations, accusations_per_article, top_accused
WITH articles AS (
    SELECT coalesce(o.outlet_name, '(unknown)') AS outlet, count(*) AS n_articles
    FROM dim_article a
    LEFT JOIN dim_outlet o USING (outlet_id)
    GROUP BY ALL
), accused AS (
    SELECT coalesce(o.outlet_name, '(unknown)') AS outlet, v.accused, count(*) AS n
    FROM v_accusations v
    JOIN dim_article a USING (article_key)
    LEFT JOIN dim_outlet o USING (outlet_id)
    GROUP BY ALL
), per_outlet AS (
    SELECT outlet, sum(n) AS n_accusations, first(accused ORDER BY n DESC, accused) AS top_accused
    FROM accused
    GROUP BY outlet
)
SELECT
    articles.outlet,
    articles.n_articles,
    coalesce(per_outlet.n_accusations, 0)                            AS n_accusations,
    round(coalesce(per_outlet.n_accusations, 0) / articles.n_articles, 2) AS accusations_per_article,
    per_outlet.top_accused
FROM articles
LEFT JOIN per_outlet USING (outlet)
ORDER BY n_accusations DESC, outlet;
