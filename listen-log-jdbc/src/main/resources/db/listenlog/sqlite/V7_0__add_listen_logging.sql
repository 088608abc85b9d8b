-- listen-log V7_0 (SQLite): a play counter per radio source and one listen_event row per play.
-- Extends the host's radio_source(id) table, which the host must create in an earlier migration.

ALTER TABLE radio_source ADD COLUMN listen_count INTEGER NOT NULL DEFAULT 0;  -- SQLite INTEGER is 64-bit

CREATE TABLE listen_event (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id        INTEGER NOT NULL REFERENCES radio_source (id),
    -- ISO-8601 UTC text of fixed width, e.g. 2025-05-01T12:34:56.123456Z, so that text order is time order
    occurred_at      TEXT    NOT NULL,
    ip               TEXT,             -- anonymized (keyed hash) client address, never the address itself
    user_agent       TEXT,
    referrer         TEXT,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    extra            TEXT              -- JSON
);

CREATE INDEX idx_listen_event_source ON listen_event (source_id);
CREATE INDEX idx_listen_event_time ON listen_event (occurred_at);
