-- Who accuses each other?
-- Pairs of entities that accuse one another (A -> B and B -> A, in any articles), with the count
-- each way. Each pair is listed once, entity_a alphabetically first.
-- columns: entity_a, entity_b, n_a_accuses_b, n_b_accuses_a, n_total
WITH pairs AS (
    SELECT accuser, accused, count(*) AS n
    FROM v_accusations
    WHERE accuser_entity_id <> accused_entity_id
    GROUP BY accuser, accused
)
SELECT
    ab.accuser           AS entity_a,
    ab.accused           AS entity_b,
    ab.n                 AS n_a_accuses_b,
    ba.n                 AS n_b_accuses_a,
    ab.n + ba.n          AS n_total
FROM pairs ab
JOIN pairs ba ON ba.accuser = ab.accused AND ba.accused = ab.accuser
WHERE ab.accuser < ab.accused
ORDER BY n_total DESC, entity_a, entity_b;
