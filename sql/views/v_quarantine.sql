-- v_quarantine: what was not loaded and why, newest first.
CREATE OR REPLACE VIEW v_quarantine AS
SELECT stage, reason, uri, table_name, detail, record, first_run_id, last_run_id, quarantined_at
FROM quarantine
ORDER BY quarantined_at DESC;

COMMENT ON VIEW v_quarantine IS 'What was not loaded and why (inputs, extraction failures, rows that failed a data-quality expectation), newest first.';
COMMENT ON COLUMN v_quarantine.stage IS 'Where it was stopped: ingest, extract or validate.';
COMMENT ON COLUMN v_quarantine.reason IS 'Why: a short code (empty, binary, undecodable, parse_error, ...) or the expectation that failed.';
COMMENT ON COLUMN v_quarantine.uri IS 'The input path or URL, when known.';
COMMENT ON COLUMN v_quarantine.table_name IS 'The table a rejected row was meant for (validate stage).';
COMMENT ON COLUMN v_quarantine.detail IS 'Details of the failure.';
COMMENT ON COLUMN v_quarantine.record IS 'The rejected row as JSON (validate stage).';
COMMENT ON COLUMN v_quarantine.first_run_id IS 'etl_run that first quarantined it.';
COMMENT ON COLUMN v_quarantine.last_run_id IS 'etl_run that last quarantined it.';
COMMENT ON COLUMN v_quarantine.quarantined_at IS 'When it was quarantined (UTC).';
