-- Lists filtered by status (`GET /v1/claims?status=…`) read an index range of the caller's
-- claims in that status, newest change first, instead of scanning and sorting all of them.
CREATE INDEX claims_by_claimant_rep_status ON claims (claimant_rep_code, status, updated_at DESC, id DESC);
CREATE INDEX claims_by_compensator_status ON claims (compensator_code, status, updated_at DESC, id DESC);
-- `deadline_before` reads the caller's claims with a deadline before the date.
CREATE INDEX claims_by_claimant_rep_deadline ON claims (claimant_rep_code, next_deadline_date)
    WHERE next_deadline_date IS NOT NULL;
CREATE INDEX claims_by_compensator_deadline ON claims (compensator_code, next_deadline_date)
    WHERE next_deadline_date IS NOT NULL;
-- The revision of the bank-holiday calendar each claim's deadlines were counted on. A calendar
-- change raises the revision; the recount (background work, in batches) walks the claims with an
-- open deadline counted on an older one, so a restart carries on where the last stopped. Claims
-- already in the database were counted on the calendar as it stands.
ALTER TABLE claims ADD COLUMN calendar_revision BIGINT NOT NULL DEFAULT 0;
UPDATE claims SET calendar_revision = (SELECT revision FROM calendar_state WHERE id = 1);
CREATE INDEX claims_recount ON claims (calendar_revision, id) WHERE next_deadline_date IS NOT NULL;
