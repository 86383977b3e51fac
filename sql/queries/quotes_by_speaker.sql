-- What did a given person or organization say?
-- Every quote attributed to $speaker (canonical name, case-insensitive), newest article first, in
-- the order the quotes appear in each article.
-- param: speaker = Guo Jiakun
-- columns: published_at, outlet, quote_kind, speaker_mention, cue, content, confidence, article_uri, content_start, content_end
SELECT
    published_at,
    outlet,
    quote_kind,
    speaker_mention,
    cue,
    content,
    confidence,
    article_uri,
    content_start,
    content_end
FROM v_quotes
WHERE lower(speaker) = lower($speaker)
ORDER BY published_at DESC NULLS LAST, article_key, quote_index;
