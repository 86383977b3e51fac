-- 0005: etl_run records a fingerprint of what each run read (whosaid/manifest.py), so a rerun over
-- unchanged inputs can stop before starting anything. Older runs keep a null: the next run over
-- their inputs goes through the flow once (it skips what is loaded) and records one.

ALTER TABLE etl_run ADD COLUMN IF NOT EXISTS input_fingerprint VARCHAR;
