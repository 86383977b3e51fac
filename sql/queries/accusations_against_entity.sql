-- What is an entity accused of, by whom, with the evidence?
-- Every accusation against $entity (canonical name, case-insensitive), newest first, with the
-- sentence it was read from (cut verbatim from the article body) and where to find it.
-- param: entity = NATO
-- columns: published_at, outlet, accuser, charge, cue, cameo_code, confidence, evidence, article_uri, evidence_start, evidence_end
SELECT
    published_at,
    outlet,
    accuser,
    charge,
    cue,
    cameo_code,
    confidence,
    evidence,
    article_uri,
    evidence_start,
    evidence_end
FROM v_accusations
WHERE lower(accused) = lower($entity)
ORDER BY published_at DESC NULLS LAST, article_key, accusation_index;
