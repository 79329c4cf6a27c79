DROP INDEX claims_purge_due;
ALTER TABLE claims DROP COLUMN tombstone;
ALTER TABLE claims DROP COLUMN purged_at;
ALTER TABLE claims DROP COLUMN purge_at;
