-- Management information (domain.md §9): one anonymous row per countable fact about a claim (a
-- status reached, an exit, a missed deadline, a decision or settlement with the business days it
-- took). Rows name codes and days, never a person, and are kept when the claim is purged.
CREATE TABLE claim_statistics (
    id            BIGSERIAL PRIMARY KEY,
    claim_id      UUID NOT NULL,
    kind          TEXT NOT NULL,
    claim_type    TEXT NOT NULL,
    occurred_on   DATE NOT NULL,
    month         TEXT NOT NULL,
    detail        TEXT,
    party         TEXT,
    business_days INTEGER
);
CREATE INDEX claim_statistics_by_day ON claim_statistics (occurred_on, kind);

-- Accounts (domain.md §9): why a client was disabled, and organisations the operator removed.
ALTER TABLE api_clients ADD COLUMN disabled_reason TEXT;
-- When the client last got a token, by real time: a client holding a live token is in use.
ALTER TABLE api_clients ADD COLUMN last_token_at TIMESTAMPTZ;
ALTER TABLE organisations ADD COLUMN removed_at TIMESTAMPTZ;

-- Events are kept 30 days (api.md §5): the cleaner deletes the oldest first.
CREATE INDEX claim_events_by_time ON claim_events (occurred_at);
