-- v_accusations: who accused whom of what. Asserted accusations with confidence >= 0.5 (the
-- documented threshold; every stance and confidence is kept in fact_accusation). One row per
-- (article, accuser, accused, charge); evidence is the sentence, cut verbatim from the body.
-- The views v_entity_network, v_entity_profile and v_daily_accusations count these rows, so the
-- threshold lives here only.
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
    f.accusation_index,
    f.accuser_entity_id,
    f.accused_entity_id,
    f.charge_norm,
    a.outlet,
    a.published_date,
    a.date_key
FROM fact_accusation f
JOIN dim_article a USING (article_id)
JOIN dim_entity accuser ON accuser.entity_id = f.accuser_entity_id
JOIN dim_entity accused ON accused.entity_id = f.accused_entity_id
WHERE f.stance = 'asserted' AND f.confidence >= 0.5;

COMMENT ON VIEW v_accusations IS 'Who accused whom of what: asserted accusations with confidence >= 0.5, canonical names joined in, evidence sentence cut from the article body. One row per accusation. Negated, hypothetical, denied and low-confidence rows stay in fact_accusation.';
COMMENT ON COLUMN v_accusations.article_uri IS 'Path or URL the article was first read from.';
COMMENT ON COLUMN v_accusations.article_title IS 'Headline, when the source carried one.';
COMMENT ON COLUMN v_accusations.published_at IS 'Publication time (UTC), when known.';
COMMENT ON COLUMN v_accusations.accuser IS 'Canonical name of the accuser (dim_entity.canonical_name).';
COMMENT ON COLUMN v_accusations.accuser_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_accusations.accused IS 'Canonical name of the accused.';
COMMENT ON COLUMN v_accusations.accused_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_accusations.charge IS 'What the accused is charged with, verbatim.';
COMMENT ON COLUMN v_accusations.cue IS 'The accusation cue verbatim (accused, blamed, hit back at, ...).';
COMMENT ON COLUMN v_accusations.cameo_code IS 'CAMEO event code (110-116, 1121-1125).';
COMMENT ON COLUMN v_accusations.evidence IS 'The sentence the accusation was read from, verbatim.';
COMMENT ON COLUMN v_accusations.evidence_start IS 'Start offset of the evidence in dim_article.body (0-based).';
COMMENT ON COLUMN v_accusations.evidence_end IS 'End offset (exclusive) of the evidence.';
COMMENT ON COLUMN v_accusations.confidence IS 'Confidence, 0.5 to 1 in this view.';
COMMENT ON COLUMN v_accusations.stance IS 'Always asserted in this view.';
COMMENT ON COLUMN v_accusations.article_key IS 'The article (dim_article.article_key).';
COMMENT ON COLUMN v_accusations.accusation_index IS 'Order of the accusation within the article.';
COMMENT ON COLUMN v_accusations.accuser_entity_id IS 'The accuser (dim_entity.entity_id).';
COMMENT ON COLUMN v_accusations.accused_entity_id IS 'The accused (dim_entity.entity_id).';
COMMENT ON COLUMN v_accusations.charge_norm IS 'charge lower-cased, quote marks removed, whitespace collapsed: group by this.';
COMMENT ON COLUMN v_accusations.outlet IS 'Publisher or site name, when known.';
COMMENT ON COLUMN v_accusations.published_date IS 'Publication date (UTC), when known.';
COMMENT ON COLUMN v_accusations.date_key IS 'Publication day yyyymmdd (dim_date.date_key), when known.';
