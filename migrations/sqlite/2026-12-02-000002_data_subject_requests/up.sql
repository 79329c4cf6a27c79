-- Requests people made to a claim's parties about their data (domain.md §9): recorded on the
-- claim, answered by a due date, closed with an outcome.
CREATE TABLE data_subject_requests (
    id               TEXT PRIMARY KEY,
    claim_id         TEXT NOT NULL REFERENCES claims (id),
    kind             TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    reference        TEXT NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES organisations (code),
    recorded_at      TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    extension_reason TEXT,
    extended_at      TEXT,
    outcome          TEXT,
    ground           TEXT,
    closed_at        TEXT
);
CREATE INDEX data_subject_requests_claim ON data_subject_requests (claim_id, recorded_at);
CREATE INDEX data_subject_requests_open ON data_subject_requests (due_on, id) WHERE closed_at IS NULL;
