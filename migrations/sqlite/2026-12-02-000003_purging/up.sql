-- Retention (domain.md §9): when a claim's personal data is due to be purged, and once purged,
-- when, with the anonymous facts kept for statistics (outcome, exit reason).
ALTER TABLE claims ADD COLUMN purge_at TEXT;
ALTER TABLE claims ADD COLUMN purged_at TEXT;
ALTER TABLE claims ADD COLUMN tombstone TEXT;
CREATE INDEX claims_purge_due ON claims (purge_at) WHERE purged_at IS NULL;
