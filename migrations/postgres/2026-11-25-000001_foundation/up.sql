-- Organisations and their API clients.
CREATE TABLE organisations (
    code             TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('claimant_representative', 'compensator', 'operator')),
    name             TEXT NOT NULL,
    compensator_type TEXT CHECK (compensator_type IN ('insurer', 'mib', 'self_insured', 'tpa')),
    group_name       TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind, code);

CREATE TABLE api_clients (
    client_id         TEXT PRIMARY KEY,
    organisation_code TEXT NOT NULL REFERENCES organisations (code),
    role              TEXT NOT NULL CHECK (role IN ('claims', 'operator')),
    label             TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    disabled_at       TIMESTAMPTZ,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,
    locked_until      TIMESTAMPTZ,
    last_used_at      TIMESTAMPTZ
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_code);

-- A client has one current secret and, after a rotation, the previous one until it expires.
CREATE TABLE client_secrets (
    id          UUID PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES api_clients (client_id),
    secret_hash TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ
);
CREATE INDEX client_secrets_client ON client_secrets (client_id);

-- Ed25519 keys that sign access tokens; retired keys stop signing but are published until
-- every token they signed has expired.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_key BYTEA NOT NULL,
    public_key  BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);

CREATE TABLE claims (
    id                UUID PRIMARY KEY,
    claim_type        TEXT NOT NULL,
    status            TEXT NOT NULL,
    version           BIGINT NOT NULL,
    claimant_rep_code TEXT NOT NULL REFERENCES organisations (code),
    compensator_code  TEXT NOT NULL REFERENCES organisations (code),
    created_by_code   TEXT NOT NULL REFERENCES organisations (code),
    notification_date DATE NOT NULL,
    child             BOOLEAN NOT NULL,
    cr_reference      TEXT NOT NULL,
    cm_reference      TEXT,
    cnf               JSONB NOT NULL,
    lifecycle         JSONB NOT NULL,
    next_due_at       TIMESTAMPTZ,
    next_deadline_date DATE,
    submitted_at      TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
-- Each party lists its claims newest update first.
CREATE INDEX claims_by_claimant_rep ON claims (claimant_rep_code, updated_at DESC, id DESC);
CREATE INDEX claims_by_compensator ON claims (compensator_code, updated_at DESC, id DESC);
CREATE INDEX claims_by_cr_reference ON claims (cr_reference);
CREATE INDEX claims_by_cm_reference ON claims (cm_reference);
-- The deadline sweeper's queue: claims where time will change something, soonest first.
CREATE INDEX claims_due ON claims (next_due_at) WHERE next_due_at IS NOT NULL;

-- The event feed. Rows get an `id` when inserted and a feed `position` once committed: the
-- sequencer (see docs/ARCHITECTURE.md) numbers committed events in one locked pass, so positions
-- only ever appear in increasing order and a reader that saw position N never later finds a
-- smaller one.
CREATE TABLE claim_events (
    id           BIGSERIAL PRIMARY KEY,
    claim_id     UUID NOT NULL REFERENCES claims (id),
    event_type   TEXT NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    actor_org    TEXT,
    actor_client TEXT,
    acting_user  TEXT,
    data         JSONB NOT NULL,
    position     BIGINT
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);
CREATE UNIQUE INDEX claim_events_position ON claim_events (position);
CREATE INDEX claim_events_unsequenced ON claim_events (id) WHERE position IS NULL;

-- Which organisations see an event (the parties when it happened), with its feed position
-- copied so each organisation's feed is one index range.
CREATE TABLE event_recipients (
    organisation_code TEXT NOT NULL REFERENCES organisations (code),
    event_id          BIGINT NOT NULL REFERENCES claim_events (id),
    position          BIGINT,
    PRIMARY KEY (organisation_code, event_id)
);
CREATE INDEX event_recipients_feed ON event_recipients (organisation_code, position);
CREATE INDEX event_recipients_unsequenced ON event_recipients (event_id) WHERE position IS NULL;

-- The sequencer's one row: the last feed position handed out. Updating it serialises passes.
CREATE TABLE feed_sequencer (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_position BIGINT NOT NULL
);
INSERT INTO feed_sequencer (id, last_position) VALUES (1, 0);

-- The audit trail: every change and every read of a claim, with who did it.
CREATE TABLE claim_audit (
    id           BIGSERIAL PRIMARY KEY,
    claim_id     UUID NOT NULL REFERENCES claims (id),
    occurred_at  TIMESTAMPTZ NOT NULL,
    action       TEXT NOT NULL,
    actor_org    TEXT,
    actor_client TEXT,
    acting_user  TEXT,
    detail       JSONB NOT NULL
);
CREATE INDEX claim_audit_by_claim ON claim_audit (claim_id, id);

-- Responses to POSTs sent with an Idempotency-Key, kept so a retry gets the same answer.
CREATE TABLE idempotency_keys (
    client_id        TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ,
    response_status  INTEGER,
    response_headers JSONB,
    response_body    BYTEA,
    PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The bank-holiday calendar of England and Wales. Seeded from the shipped list once; after that
-- the operator's changes are the truth. `revision` grows with every change so hub processes know
-- to reload.
CREATE TABLE bank_holidays (
    holiday    DATE PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE calendar_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    seeded   BOOLEAN NOT NULL
);
INSERT INTO calendar_state (id, revision, seeded) VALUES (1, 0, FALSE);

-- Offers of a claim to another claimant representative. The claim's own record holds the one
-- pending offer; this table lets the receiver list what it was offered.
CREATE TABLE transfer_offers (
    id          UUID PRIMARY KEY,
    claim_id    UUID NOT NULL REFERENCES claims (id),
    from_code   TEXT NOT NULL REFERENCES organisations (code),
    to_code     TEXT NOT NULL REFERENCES organisations (code),
    status      TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'cancelled')),
    offered_at  TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ
);
CREATE INDEX transfer_offers_to ON transfer_offers (to_code, status, offered_at);
CREATE INDEX transfer_offers_from ON transfer_offers (from_code, status, offered_at);

-- Files attached to a claim by its parties, kept in the database so both backends and every hub
-- process see the same files.
CREATE TABLE attachments (
    id            UUID PRIMARY KEY,
    claim_id      UUID NOT NULL REFERENCES claims (id),
    title         TEXT NOT NULL,
    description   TEXT,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    content       BYTEA NOT NULL,
    uploaded_by   TEXT NOT NULL REFERENCES organisations (code),
    uploaded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_by_claim ON attachments (claim_id, uploaded_at);
