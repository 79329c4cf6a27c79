DROP INDEX claim_events_by_time;
DROP INDEX claims_purged_by_compensator;
DROP INDEX claims_purged_by_claimant_rep;
ALTER TABLE organisations DROP COLUMN removed_at;
ALTER TABLE api_clients DROP COLUMN last_token_at;
ALTER TABLE api_clients DROP COLUMN disabled_reason;
DROP INDEX claim_statistics_by_day;
DROP TABLE claim_statistics;
DROP TABLE claim_statistics_daily;
