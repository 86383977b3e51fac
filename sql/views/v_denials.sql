-- v_denials: who denied what, with the evidence sentence and, when one exists in the same article,
-- the accusation the denial answers (its accuser and charge).
CREATE OR REPLACE VIEW v_denials AS
SELECT
    a.uri                  AS article_uri,
    a.title                AS article_title,
    a.published_at,
    e.canonical_name       AS denier,
    e.entity_type          AS denier_type,
    d.charge               AS denied,
    d.cue,
    substring(a.body, d.evidence_start + 1, d.evidence_end - d.evidence_start) AS evidence,
    d.evidence_start,
    d.evidence_end,
    accuser.canonical_name AS answers_accuser,
    f.charge               AS answers_charge,
    a.article_key,
    d.denial_index,
    d.answers_accusation_index
FROM fact_denial d
JOIN dim_article a USING (article_id)
JOIN dim_entity e ON e.entity_id = d.denier_entity_id
LEFT JOIN fact_accusation f
       ON f.article_id = d.article_id AND f.accusation_index = d.answers_accusation_index
LEFT JOIN dim_entity accuser ON accuser.entity_id = f.accuser_entity_id;
