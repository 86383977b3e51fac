-- v_dq_failures: data-quality expectations that failed, per run.
CREATE OR REPLACE VIEW v_dq_failures AS
SELECT r.run_id, r.started_at, d.table_name, d.expectation_type, d.column_name, d.unexpected_count, d.element_count
FROM dq_result d
JOIN etl_run r USING (run_id)
WHERE NOT d.success
ORDER BY r.started_at DESC, d.table_name;
