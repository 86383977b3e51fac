-- v_quarantine: what was not loaded and why, newest first.
CREATE OR REPLACE VIEW v_quarantine AS
SELECT stage, reason, uri, table_name, detail, record, first_run_id, last_run_id, quarantined_at
FROM quarantine
ORDER BY quarantined_at DESC;
