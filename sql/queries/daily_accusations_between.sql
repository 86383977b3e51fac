-- How many accusations per day in a period?
-- The daily series from v_daily_accusations between two publication dates (inclusive, UTC),
-- zero-filled, for a line chart or to spot spikes.
-- param: start_date = 2025-06-01
-- param: end_date = 2025-06-30
-- columns: date, weekday_name, n_articles, n_accusations, n_accusers, n_accused
SELECT date, weekday_name, n_articles, n_accusations, n_accusers, n_accused
FROM v_daily_accusations
WHERE date BETWEEN CAST($start_date AS DATE) AND CAST($end_date AS DATE)
ORDER BY date;
