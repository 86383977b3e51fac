-- What kinds of accusations are made?
-- Accusations per CAMEO event code (v_accusations rows), with the code's meaning, how many
-- accusers and accused, and the most frequent normalized charge (ties broken alphabetically).
-- columns: cameo_code, meaning, n_accusations, n_accusers, n_accused, top_charge
WITH charges AS (
    SELECT cameo_code, charge_norm, count(*) AS n
    FROM v_accusations
    GROUP BY cameo_code, charge_norm
)
SELECT
    v.cameo_code,
    CASE v.cameo_code
        WHEN '110' THEN 'disapprove'
        WHEN '111' THEN 'criticize or denounce'
        WHEN '112' THEN 'accuse'
        WHEN '1121' THEN 'accuse of crime, corruption'
        WHEN '1122' THEN 'accuse of human rights abuses'
        WHEN '1123' THEN 'accuse of aggression'
        WHEN '1124' THEN 'accuse of war crimes'
        WHEN '1125' THEN 'accuse of espionage, treason'
        WHEN '114' THEN 'complain officially'
        WHEN '115' THEN 'bring lawsuit against'
        WHEN '116' THEN 'find guilty or liable'
    END                                  AS meaning,
    count(*)                             AS n_accusations,
    count(DISTINCT v.accuser_entity_id)  AS n_accusers,
    count(DISTINCT v.accused_entity_id)  AS n_accused,
    any_value(top.charge_norm)           AS top_charge
FROM v_accusations v
JOIN (
    SELECT cameo_code, first(charge_norm ORDER BY n DESC, charge_norm) AS charge_norm
    FROM charges GROUP BY cameo_code
) top USING (cameo_code)
GROUP BY v.cameo_code
ORDER BY n_accusations DESC, v.cameo_code;
