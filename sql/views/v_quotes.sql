-- v_quotes: who said what. One row per quote with the canonical speaker and the spans of speaker
-- mention, cue and content in dim_article.body (0-based Python string offsets, end exclusive).
CREATE OR REPLACE VIEW v_quotes AS
SELECT
    a.uri                 AS article_uri,
    a.title               AS article_title,
    a.published_at,
    e.canonical_name      AS speaker,
    e.entity_type         AS speaker_type,
    q.speaker_text        AS speaker_mention,
    q.speaker_start,
    q.speaker_end,
    q.cue,
    q.cue_start,
    q.cue_end,
    q.content,
    q.content_start,
    q.content_end,
    q.quote_kind,
    q.confidence,
    a.article_key,
    q.quote_index,
    q.speaker_entity_id,
    a.outlet,
    a.published_date,
    a.date_key
FROM fact_quote q
JOIN dim_article a USING (article_id)
LEFT JOIN dim_entity e ON e.entity_id = q.speaker_entity_id;

COMMENT ON VIEW v_quotes IS 'Who said what: one row per quote, canonical speaker joined in (null when unresolved), spans into dim_article.body.';
COMMENT ON COLUMN v_quotes.article_uri IS 'Path or URL the article was first read from.';
COMMENT ON COLUMN v_quotes.article_title IS 'Headline, when the source carried one.';
COMMENT ON COLUMN v_quotes.published_at IS 'Publication time (UTC), when known.';
COMMENT ON COLUMN v_quotes.speaker IS 'Canonical speaker name; null when the speaker could not be resolved to a named actor.';
COMMENT ON COLUMN v_quotes.speaker_type IS 'PERSON, ORG, GPE, NORP or OTHER.';
COMMENT ON COLUMN v_quotes.speaker_mention IS 'The speaker mention verbatim (may be a pronoun or surname).';
COMMENT ON COLUMN v_quotes.speaker_start IS 'Start offset of the speaker mention in dim_article.body.';
COMMENT ON COLUMN v_quotes.speaker_end IS 'End offset (exclusive) of the speaker mention.';
COMMENT ON COLUMN v_quotes.cue IS 'The speech verb or cue verbatim (said, added, according to, ...).';
COMMENT ON COLUMN v_quotes.cue_start IS 'Start offset of the cue.';
COMMENT ON COLUMN v_quotes.cue_end IS 'End offset (exclusive) of the cue.';
COMMENT ON COLUMN v_quotes.content IS 'What was said, verbatim.';
COMMENT ON COLUMN v_quotes.content_start IS 'Start offset of the content in dim_article.body.';
COMMENT ON COLUMN v_quotes.content_end IS 'End offset (exclusive) of the content.';
COMMENT ON COLUMN v_quotes.quote_kind IS 'direct (in quote marks), indirect (reported) or mixed.';
COMMENT ON COLUMN v_quotes.confidence IS 'Confidence of the attribution, 0 to 1.';
COMMENT ON COLUMN v_quotes.article_key IS 'The article (dim_article.article_key).';
COMMENT ON COLUMN v_quotes.quote_index IS 'Order of the quote within the article.';
COMMENT ON COLUMN v_quotes.speaker_entity_id IS 'The speaker (dim_entity.entity_id); null when unresolved.';
COMMENT ON COLUMN v_quotes.outlet IS 'Publisher or site name, when known.';
COMMENT ON COLUMN v_quotes.published_date IS 'Publication date (UTC), when known.';
COMMENT ON COLUMN v_quotes.date_key IS 'Publication day yyyymmdd (dim_date.date_key), when known.';
