-- Which extracted accusations are NOT shown in v_accusations, and why?
-- Negated ("did not blame"), hypothetical ("would criticize"), denied, and low-confidence
-- (< 0.5) rows kept in fact_accusation, for reviewing the extractor or widening a search.
-- columns: published_at, accuser, accused, charge, cue, stance, confidence, held_back_because, evidence, article_uri
SELECT
    a.published_at,
    accuser.canonical_name AS accuser,
    accused.canonical_name AS accused,
    f.charge,
    f.cue,
    f.stance,
    f.confidence,
    CASE WHEN f.stance <> 'asserted' THEN 'stance ' || f.stance ELSE 'confidence below 0.5' END AS held_back_because,
    substring(a.body, f.evidence_start + 1, f.evidence_end - f.evidence_start) AS evidence,
    a.uri AS article_uri
FROM fact_accusation f
JOIN dim_article a USING (article_id)
JOIN dim_entity accuser ON accuser.entity_id = f.accuser_entity_id
JOIN dim_entity accused ON accused.entity_id = f.accused_entity_id
WHERE NOT (f.stance = 'asserted' AND f.confidence >= 0.5)
ORDER BY a.published_at DESC NULLS LAST, a.article_key, f.accusation_index;
