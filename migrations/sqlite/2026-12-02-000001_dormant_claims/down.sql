DROP INDEX claims_dormant;
ALTER TABLE claims DROP COLUMN dormant;
