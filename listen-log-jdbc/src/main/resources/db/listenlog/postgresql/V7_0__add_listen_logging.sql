-- listen-log V7_0 (PostgreSQL): a play counter per radio source and one listen_event row per play.
-- Extends the host's radio_source(id) table, which the host must create in an earlier migration.

ALTER TABLE radio_source ADD COLUMN listen_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE listen_event (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id        BIGINT      NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    ip               TEXT,             -- anonymized (keyed hash) client address, never the address itself
    user_agent       TEXT,
    referrer         TEXT,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    extra            JSONB,
    CONSTRAINT fk_listen_event_source FOREIGN KEY (source_id) REFERENCES radio_source (id)
);

CREATE INDEX idx_listen_event_source ON listen_event (source_id);
CREATE INDEX idx_listen_event_time ON listen_event (occurred_at);
