-- Organisations and their API clients.
CREATE TABLE organisations (
    code             TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('claimant_representative', 'compensator', 'operator')),
    name             TEXT NOT NULL,
    compensator_type TEXT CHECK (compensator_type IN ('insurer', 'mib', 'self_insured', 'tpa')),
    group_name       TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind, code);

CREATE TABLE api_clients (
    client_id         TEXT PRIMARY KEY,
    organisation_code TEXT NOT NULL REFERENCES organisations (code),
    role              TEXT NOT NULL CHECK (role IN ('claims', 'operator')),
    label             TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    disabled_at       TEXT,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,
    locked_until      TEXT,
    last_used_at      TEXT
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_code);

-- A client has one current secret and, after a rotation, the previous one until it expires.
CREATE TABLE client_secrets (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES api_clients (client_id),
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);
CREATE INDEX client_secrets_client ON client_secrets (client_id);

-- Ed25519 keys that sign access tokens; retired keys stop signing but are published until
-- every token they signed has expired.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_key BLOB NOT NULL,
    public_key  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);

CREATE TABLE claims (
    id                TEXT PRIMARY KEY,
    claim_type        TEXT NOT NULL,
    status            TEXT NOT NULL,
    version           BIGINT NOT NULL,
    claimant_rep_code TEXT NOT NULL REFERENCES organisations (code),
    compensator_code  TEXT NOT NULL REFERENCES organisations (code),
    created_by_code   TEXT NOT NULL REFERENCES organisations (code),
    notification_date TEXT NOT NULL,
    child             BOOLEAN NOT NULL,
    cr_reference      TEXT NOT NULL,
    cm_reference      TEXT,
    cnf               TEXT NOT NULL,
    submitted_at      TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
-- Each party lists its claims newest update first.
CREATE INDEX claims_by_claimant_rep ON claims (claimant_rep_code, updated_at DESC, id DESC);
CREATE INDEX claims_by_compensator ON claims (compensator_code, updated_at DESC, id DESC);
CREATE INDEX claims_by_cr_reference ON claims (cr_reference);
CREATE INDEX claims_by_cm_reference ON claims (cm_reference);

-- The event feed: what each party is told, in feed order.
CREATE TABLE claim_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id     TEXT NOT NULL REFERENCES claims (id),
    event_type   TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    actor_org    TEXT,
    actor_client TEXT,
    acting_user  TEXT,
    data         TEXT NOT NULL
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);

-- Which organisations see an event: the parties at the time it happened.
CREATE TABLE event_recipients (
    organisation_code TEXT NOT NULL REFERENCES organisations (code),
    event_id          BIGINT NOT NULL REFERENCES claim_events (id),
    PRIMARY KEY (organisation_code, event_id)
);

-- The audit trail: every change and every read of a claim, with who did it.
CREATE TABLE claim_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id     TEXT NOT NULL REFERENCES claims (id),
    occurred_at  TEXT NOT NULL,
    action       TEXT NOT NULL,
    actor_org    TEXT,
    actor_client TEXT,
    acting_user  TEXT,
    detail       TEXT NOT NULL
);
CREATE INDEX claim_audit_by_claim ON claim_audit (claim_id, id);

-- Responses to POSTs sent with an Idempotency-Key, kept so a retry gets the same answer.
CREATE TABLE idempotency_keys (
    client_id        TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    completed_at     TEXT,
    response_status  INTEGER,
    response_headers TEXT,
    response_body    BLOB,
    PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
