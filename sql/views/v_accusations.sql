-- v_accusations: who accused whom of what. Asserted accusations with confidence >= 0.5 (the
-- documented threshold; every stance and confidence is kept in fact_accusation). One row per
-- (article, accuser, accused, charge); evidence is the sentence, cut verbatim from the body.
CREATE OR REPLACE VIEW v_accusations AS
SELECT
    a.uri                    AS article_uri,
    a.title                  AS article_title,
    a.published_at,
    accuser.canonical_name   AS accuser,
    accuser.entity_type      AS accuser_type,
    accused.canonical_name   AS accused,
    accused.entity_type      AS accused_type,
    f.charge,
    f.cue,
    f.cameo_code,
    substring(a.body, f.evidence_start + 1, f.evidence_end - f.evidence_start) AS evidence,
    f.evidence_start,
    f.evidence_end,
    f.confidence,
    f.stance,
    a.article_key,
    f.accusation_index
FROM fact_accusation f
JOIN dim_article a USING (article_id)
JOIN dim_entity accuser ON accuser.entity_id = f.accuser_entity_id
JOIN dim_entity accused ON accused.entity_id = f.accused_entity_id
WHERE f.stance = 'asserted' AND f.confidence >= 0.5;
