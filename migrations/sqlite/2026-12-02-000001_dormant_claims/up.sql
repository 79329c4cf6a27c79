-- Small claims nobody has acted on for 30 calendar days (see docs/SMALL-CLAIMS.md): a column so
-- lists can filter on it, kept from the claim's lifecycle on every write.
ALTER TABLE claims ADD COLUMN dormant BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX claims_dormant ON claims (compensator_code, claimant_rep_code) WHERE dormant;
