-- Who is quoted most?
-- Speakers by number of quotes, split into direct (in quote marks), indirect (reported) and mixed,
-- with the number of articles quoting them. Quotes whose speaker could not be resolved to a named
-- actor are left out.
-- param: limit = 10
-- columns: speaker, speaker_type, n_quotes, n_direct, n_indirect, n_mixed, n_articles
SELECT
    speaker,
    speaker_type,
    count(*)                                  AS n_quotes,
    count(*) FILTER (quote_kind = 'direct')   AS n_direct,
    count(*) FILTER (quote_kind = 'indirect') AS n_indirect,
    count(*) FILTER (quote_kind = 'mixed')    AS n_mixed,
    count(DISTINCT article_key)               AS n_articles
FROM v_quotes
WHERE speaker IS NOT NULL
GROUP BY speaker, speaker_type
ORDER BY n_quotes DESC, speaker
LIMIT CAST($limit AS INTEGER);
