-- listen-log V7_0 (PostgreSQL, listen_event partitioned by month): a play counter per radio source and one
-- listen_event row per play, in one partition per UTC month of occurred_at. The opt-in alternative to
-- db/listenlog/postgresql for raw events kept long: ListenRetention creates the partitions ahead of time and drops a
-- whole month once every day in it is rolled up and past retention. Extends the host's radio_source(id) table, which
-- the host must create in an earlier migration.

ALTER TABLE radio_source ADD COLUMN listen_count BIGINT NOT NULL DEFAULT 0;

-- A sequence rather than an identity column: PostgreSQL before 17 has no identity columns on partitioned tables.
CREATE SEQUENCE listen_event_id_seq;

CREATE TABLE listen_event (
    id               BIGINT      NOT NULL DEFAULT nextval('listen_event_id_seq'),
    source_id        BIGINT      NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    ip               TEXT,             -- anonymized (keyed hash) client address, never the address itself
    user_agent       TEXT,
    referrer         TEXT,
    duration_seconds INTEGER CHECK (duration_seconds >= 0),
    extra            JSONB,
    -- A partitioned table's unique keys include the partition key.
    CONSTRAINT pk_listen_event PRIMARY KEY (id, occurred_at),
    CONSTRAINT fk_listen_event_source FOREIGN KEY (source_id) REFERENCES radio_source (id)
) PARTITION BY RANGE (occurred_at);

ALTER SEQUENCE listen_event_id_seq OWNED BY listen_event.id;

CREATE INDEX idx_listen_event_source ON listen_event (source_id);
CREATE INDEX idx_listen_event_time ON listen_event (occurred_at);

-- Rows of months without a partition of their own (far past or far future): purged by row, like an unpartitioned
-- table.
CREATE TABLE listen_event_default PARTITION OF listen_event DEFAULT;

-- This month and the next two; ListenRetention keeps creating them ahead.
DO $$
DECLARE
    first_day DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
BEGIN
    FOR i IN 0..2 LOOP
        EXECUTE format('CREATE TABLE listen_event_p%s PARTITION OF listen_event FOR VALUES FROM (%L) TO (%L)',
                       to_char(first_day, 'YYYYMM'), first_day || ' 00:00:00+00',
                       (first_day + INTERVAL '1 month')::date || ' 00:00:00+00');
        first_day := (first_day + INTERVAL '1 month')::date;
    END LOOP;
END
$$;
