-- Management information (domain.md §9). Each change of a claim appends anonymous facts (a
-- status reached, an exit, a missed deadline, a decision or settlement with the business days it
-- took) to `claim_statistics`; the housekeeping rolls them up into per-day counts in
-- `claim_statistics_daily`, so a report reads a few rows per day whatever the number of claims.
-- Neither table names a claim or a person, and purging a claim leaves both as they are. Absent
-- codes are '' and absent business days -1, so the daily key has no NULLs.
CREATE TABLE claim_statistics (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL,
    claim_type    TEXT NOT NULL,
    occurred_on   DATE NOT NULL,
    month         TEXT NOT NULL,
    detail        TEXT NOT NULL,
    party         TEXT NOT NULL,
    business_days INTEGER NOT NULL
);
CREATE INDEX claim_statistics_by_day ON claim_statistics (occurred_on);

CREATE TABLE claim_statistics_daily (
    occurred_on   DATE NOT NULL,
    kind          TEXT NOT NULL,
    claim_type    TEXT NOT NULL,
    detail        TEXT NOT NULL,
    party         TEXT NOT NULL,
    business_days INTEGER NOT NULL,
    month         TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (occurred_on, kind, claim_type, detail, party, business_days)
);

-- Each party's purged claims, latest purge first (`GET /v1/purged-claims`).
CREATE INDEX claims_purged_by_claimant_rep ON claims (claimant_rep_code, purged_at DESC, id DESC) WHERE purged_at IS NOT NULL;
CREATE INDEX claims_purged_by_compensator ON claims (compensator_code, purged_at DESC, id DESC) WHERE purged_at IS NOT NULL;

-- Accounts (domain.md §9): why a client was disabled, and organisations the operator removed.
ALTER TABLE api_clients ADD COLUMN disabled_reason TEXT;
-- When the client last got a token, by real time: a client holding a live token is in use.
ALTER TABLE api_clients ADD COLUMN last_token_at TIMESTAMPTZ;
ALTER TABLE organisations ADD COLUMN removed_at TIMESTAMPTZ;
-- A legal hold lasts 6 years from when it was placed (holds placed before this had no end).
ALTER TABLE organisations ADD COLUMN legal_hold_until TIMESTAMPTZ;

-- Events are kept 30 days (api.md §5): the cleaner deletes the oldest first.
CREATE INDEX claim_events_by_time ON claim_events (occurred_at);
