-- v_dq_failures: data-quality expectations that failed, per run.
CREATE OR REPLACE VIEW v_dq_failures AS
SELECT r.run_id, r.started_at, d.table_name, d.expectation_type, d.column_name, d.unexpected_count, d.element_count
FROM dq_result d
JOIN etl_run r USING (run_id)
WHERE NOT d.success
ORDER BY r.started_at DESC, d.table_name;

COMMENT ON VIEW v_dq_failures IS 'Data-quality expectations (generated from schemas/) that failed, per run, newest first.';
COMMENT ON COLUMN v_dq_failures.run_id IS 'The etl_run.';
COMMENT ON COLUMN v_dq_failures.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN v_dq_failures.table_name IS 'The table validated.';
COMMENT ON COLUMN v_dq_failures.expectation_type IS 'The Great Expectations expectation that failed.';
COMMENT ON COLUMN v_dq_failures.column_name IS 'The column it checked, when a column expectation.';
COMMENT ON COLUMN v_dq_failures.unexpected_count IS 'Rows that failed it (they went to quarantine).';
COMMENT ON COLUMN v_dq_failures.element_count IS 'Rows validated.';
