-- v_denials: who denied what, with the evidence sentence.
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
    a.article_key,
    d.denial_index
FROM fact_denial d
JOIN dim_article a USING (article_id)
JOIN dim_entity e ON e.entity_id = d.denier_entity_id;
