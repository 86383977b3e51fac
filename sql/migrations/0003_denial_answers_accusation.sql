-- 0003: a denial links to the accusation it answers (fact_denial.answers_accusation_index).
-- Older denials keep a null link until their article is re-extracted (`whosaid run --reprocess`, or
-- the next extractor version): the link comes from extraction, so SQL cannot fill it.

ALTER TABLE fact_denial ADD COLUMN IF NOT EXISTS answers_accusation_index INTEGER;
