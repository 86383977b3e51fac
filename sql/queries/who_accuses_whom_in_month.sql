-- Who accuses whom in a given month?
-- The accusation network of one publication month (UTC): every accuser -> accused pair with its
-- count and charges, from v_entity_network. Use 'unknown' for articles without a date.
-- param: month = 2025-06
-- columns: accuser, accuser_type, accused, accused_type, n_accusations, n_articles, charges
SELECT accuser, accuser_type, accused, accused_type, n_accusations, n_articles, charges
FROM v_entity_network
WHERE year_month = $month
ORDER BY n_accusations DESC, accuser, accused;
