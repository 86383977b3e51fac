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
    q.quote_index
FROM fact_quote q
JOIN dim_article a USING (article_id)
LEFT JOIN dim_entity e ON e.entity_id = q.speaker_entity_id;
