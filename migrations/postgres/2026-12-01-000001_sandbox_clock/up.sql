-- The sandbox clock, shared by every sandbox process on the database and kept across restarts:
-- business time is real time plus `offset_micros`. The one row exists once a sandbox has started.
CREATE TABLE sandbox_clock (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    offset_micros BIGINT NOT NULL,
    moved_at      TIMESTAMPTZ NOT NULL
);
