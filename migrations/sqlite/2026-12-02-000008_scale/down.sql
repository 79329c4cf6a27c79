DROP INDEX claims_recount;
ALTER TABLE claims DROP COLUMN calendar_revision;
DROP INDEX claims_by_compensator_deadline;
DROP INDEX claims_by_claimant_rep_deadline;
DROP INDEX claims_by_compensator_status;
DROP INDEX claims_by_claimant_rep_status;
