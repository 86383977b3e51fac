-- 0001 baseline: the warehouse schema as released before schema versioning (commit de7a2f6).
-- Generated once from schemas/*.yml of that release and committed; never edit it: a warehouse made by
-- that release is version 1, and later changes are later migrations. Tables only: COMMENTs and views
-- are re-applied from schemas/ and sql/views/ on every run, so they need no migration.

CREATE TABLE IF NOT EXISTS etl_run (
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    inputs VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    spacy_model VARCHAR NOT NULL,
    n_files INTEGER,
    n_articles_read INTEGER,
    n_articles_new INTEGER,
    n_articles_skipped INTEGER,
    n_mentions INTEGER,
    n_quotes INTEGER,
    n_accusations INTEGER,
    n_denials INTEGER,
    n_quarantined INTEGER,
    message VARCHAR,
    PRIMARY KEY (run_id)
);

CREATE TABLE IF NOT EXISTS dim_article (
    article_id BIGINT NOT NULL,
    article_key VARCHAR NOT NULL,
    uri VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMP,
    published_date DATE,
    published_raw VARCHAR,
    outlet VARCHAR,
    author VARCHAR,
    source_id VARCHAR,
    source_format VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    body_chars INTEGER NOT NULL,
    n_tokens INTEGER NOT NULL,
    n_sentences INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    spacy_model VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (article_id),
    UNIQUE (article_key)
);

CREATE TABLE IF NOT EXISTS article_uri (
    article_id BIGINT NOT NULL,
    uri VARCHAR NOT NULL,
    first_run_id VARCHAR NOT NULL,
    PRIMARY KEY (article_id, uri)
);

CREATE TABLE IF NOT EXISTS dim_entity (
    entity_id BIGINT NOT NULL,
    entity_key VARCHAR NOT NULL,
    canonical_name VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,
    country_code VARCHAR,
    PRIMARY KEY (entity_id),
    UNIQUE (entity_key)
);

CREATE TABLE IF NOT EXISTS fact_mention (
    article_id BIGINT NOT NULL,
    mention_index INTEGER NOT NULL,
    entity_id BIGINT NOT NULL,
    mention_text VARCHAR NOT NULL,
    mention_start INTEGER NOT NULL,
    mention_end INTEGER NOT NULL,
    label VARCHAR NOT NULL,
    sent_index INTEGER NOT NULL,
    PRIMARY KEY (article_id, mention_index)
);

CREATE TABLE IF NOT EXISTS fact_quote (
    article_id BIGINT NOT NULL,
    quote_index INTEGER NOT NULL,
    speaker_entity_id BIGINT,
    speaker_text VARCHAR,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_ref_text VARCHAR,
    speaker_ref_start INTEGER,
    speaker_ref_end INTEGER,
    cue VARCHAR,
    cue_lemma VARCHAR,
    cue_start INTEGER,
    cue_end INTEGER,
    content VARCHAR NOT NULL,
    content_norm VARCHAR NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    quote_kind VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    sent_index INTEGER NOT NULL,
    PRIMARY KEY (article_id, quote_index)
);

CREATE TABLE IF NOT EXISTS fact_accusation (
    article_id BIGINT NOT NULL,
    accusation_index INTEGER NOT NULL,
    accuser_entity_id BIGINT NOT NULL,
    accused_entity_id BIGINT NOT NULL,
    accuser_text VARCHAR NOT NULL,
    accuser_start INTEGER NOT NULL,
    accuser_end INTEGER NOT NULL,
    accused_text VARCHAR NOT NULL,
    accused_start INTEGER NOT NULL,
    accused_end INTEGER NOT NULL,
    charge VARCHAR NOT NULL,
    charge_norm VARCHAR NOT NULL,
    charge_start INTEGER NOT NULL,
    charge_end INTEGER NOT NULL,
    cue VARCHAR NOT NULL,
    cue_lemma VARCHAR NOT NULL,
    cue_start INTEGER NOT NULL,
    cue_end INTEGER NOT NULL,
    cameo_code VARCHAR NOT NULL,
    stance VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    quote_index INTEGER,
    PRIMARY KEY (article_id, accusation_index)
);

CREATE TABLE IF NOT EXISTS fact_denial (
    article_id BIGINT NOT NULL,
    denial_index INTEGER NOT NULL,
    denier_entity_id BIGINT NOT NULL,
    denier_text VARCHAR NOT NULL,
    denier_start INTEGER NOT NULL,
    denier_end INTEGER NOT NULL,
    charge VARCHAR NOT NULL,
    charge_start INTEGER NOT NULL,
    charge_end INTEGER NOT NULL,
    cue VARCHAR NOT NULL,
    cue_start INTEGER NOT NULL,
    cue_end INTEGER NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    quote_index INTEGER,
    PRIMARY KEY (article_id, denial_index)
);

CREATE TABLE IF NOT EXISTS dq_result (
    run_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    expectation_id VARCHAR NOT NULL,
    expectation_type VARCHAR NOT NULL,
    column_name VARCHAR,
    kwargs VARCHAR,
    success BOOLEAN NOT NULL,
    element_count BIGINT,
    unexpected_count BIGINT,
    evaluated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, table_name, expectation_id)
);

CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_key VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    uri VARCHAR,
    article_key VARCHAR,
    table_name VARCHAR,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    record VARCHAR,
    first_run_id VARCHAR NOT NULL,
    last_run_id VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (quarantine_key)
);
