-- Which accusations did the accused deny afterwards?
-- Pairs each accusation (v_accusations) with every denial (v_denials) by the accused that came
-- after it: later in the same article, or in an article published later. Read charge and denied
-- side by side: the pairing is by who and when, not by matching the wording.
-- columns: accused, accuser, charge, accused_at, denied, denial_cue, denied_at, same_article, denial_evidence, accusation_article_uri, denial_article_uri
SELECT
    acc.accused,
    acc.accuser,
    acc.charge,
    acc.published_at             AS accused_at,
    den.denied,
    den.cue                      AS denial_cue,
    den.published_at             AS denied_at,
    acc.article_key = den.article_key AS same_article,
    den.evidence                 AS denial_evidence,
    acc.article_uri              AS accusation_article_uri,
    den.article_uri              AS denial_article_uri
FROM v_accusations acc
JOIN dim_entity accused ON accused.entity_id = acc.accused_entity_id
JOIN v_denials den ON den.denier = accused.canonical_name
WHERE (acc.article_key = den.article_key AND den.evidence_start >= acc.evidence_start)
   OR (acc.article_key <> den.article_key AND den.published_at > acc.published_at)
ORDER BY acc.accused, acc.published_at NULLS LAST, acc.article_key, acc.accusation_index, den.published_at, den.denial_index;
