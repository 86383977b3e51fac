-- What does the warehouse know about an entity?
-- The v_entity_profile row of $entity (canonical name, case-insensitive): mentions, quotes,
-- accusations made and received, denials, and its top counterparts each way.
-- param: entity = Guo Jiakun
-- columns: entity, entity_type, country_code, n_mentions, n_articles, n_quotes, n_accusations_made, n_accusations_received, n_denials, top_accused, top_accusers
SELECT entity, entity_type, country_code, n_mentions, n_articles, n_quotes, n_accusations_made,
       n_accusations_received, n_denials, top_accused, top_accusers
FROM v_entity_profile
WHERE lower(entity) = lower($entity);
