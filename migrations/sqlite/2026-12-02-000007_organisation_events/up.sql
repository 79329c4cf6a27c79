-- Events about an organisation rather than a claim (an API client disabled for disuse) carry no
-- claim id. SQLite drops NOT NULL only by rebuilding the table (keeping its ids and sequence).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE claim_events_copy AS SELECT * FROM claim_events;
CREATE TABLE claim_events_sequence AS SELECT seq FROM sqlite_sequence WHERE name = 'claim_events';
DROP TABLE claim_events;
CREATE TABLE claim_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id     TEXT REFERENCES claims (id),
    event_type   TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    actor_org    TEXT,
    actor_client TEXT,
    acting_user  TEXT,
    data         TEXT NOT NULL,
    position     BIGINT
);
INSERT INTO claim_events (id, claim_id, event_type, occurred_at, actor_org, actor_client, acting_user, data, position)
    SELECT id, claim_id, event_type, occurred_at, actor_org, actor_client, acting_user, data, position FROM claim_events_copy;
-- Keep the id sequence where it was, even if the newest events were deleted.
DELETE FROM sqlite_sequence WHERE name = 'claim_events';
INSERT INTO sqlite_sequence (name, seq) SELECT 'claim_events', seq FROM claim_events_sequence;
DROP TABLE claim_events_copy;
DROP TABLE claim_events_sequence;
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);
CREATE UNIQUE INDEX claim_events_position ON claim_events (position);
CREATE INDEX claim_events_unsequenced ON claim_events (id) WHERE position IS NULL;
CREATE INDEX claim_events_by_time ON claim_events (occurred_at);
COMMIT;
PRAGMA foreign_keys = ON;
