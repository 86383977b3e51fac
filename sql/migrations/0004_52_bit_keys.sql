-- 0004: surrogate keys shrink from 60 to 52 bits (normalize.stable_id: the first 13 instead of 15 hex
-- digits of SHA-256(natural key)), so BI front ends that hold ids as JavaScript numbers (exact only
-- below 2**53) show and join them exactly.
--
-- Both keys are prefixes of the same digest, so new_id = old_id >> 8 for every key: the warehouse is
-- re-keyed in place, every reference moving with its key, without re-extracting anything. Quarantine
-- keys are those ids in hex, so the new key is the old one less its last two hex digits.
--
-- Only a warehouse whose keys are still 60-bit is re-keyed: one created from the contracts after the
-- change already has 52-bit keys (checked by recomputing article and entity ids from their natural
-- keys), and shifting those again would break every join.

CREATE TEMP TABLE migration_0004 AS
SELECT
    EXISTS (SELECT 1 FROM dim_article WHERE article_id = ('0x' || sha256(article_key)[1:15])::BIGINT)
    OR EXISTS (SELECT 1 FROM dim_entity WHERE entity_id = ('0x' || sha256(entity_key)[1:15])::BIGINT)
    AS sixty_bit;

UPDATE dim_article SET article_id = article_id >> 8, outlet_id = outlet_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE dim_outlet SET outlet_id = outlet_id >> 8 WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE article_uri SET article_id = article_id >> 8 WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE dim_entity SET entity_id = entity_id >> 8 WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE bridge_entity_affiliation
SET person_entity_id = person_entity_id >> 8, org_entity_id = org_entity_id >> 8, first_article_id = first_article_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE fact_mention SET article_id = article_id >> 8, entity_id = entity_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE fact_quote SET article_id = article_id >> 8, speaker_entity_id = speaker_entity_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE fact_accusation
SET article_id = article_id >> 8, accuser_entity_id = accuser_entity_id >> 8, accused_entity_id = accused_entity_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE fact_denial SET article_id = article_id >> 8, denier_entity_id = denier_entity_id >> 8
WHERE (SELECT sixty_bit FROM migration_0004);
UPDATE quarantine SET quarantine_key = left(quarantine_key, length(quarantine_key) - 2)
WHERE (SELECT sixty_bit FROM migration_0004) AND length(quarantine_key) > 2;

DROP TABLE migration_0004;
