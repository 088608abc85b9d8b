-- listen-log V7_1 (PostgreSQL): daily rollups that outlive the raw listen_event rows, the rollup watermark, and the
-- shared keys of the daily rotating IP anonymizer. All days are UTC days.

CREATE TABLE listen_daily (
    source_id              BIGINT NOT NULL,
    day                    DATE   NOT NULL,
    plays                  BIGINT NOT NULL,
    unique_listeners       BIGINT NOT NULL,  -- distinct non-null ip of the source that day
    total_duration_seconds BIGINT NOT NULL,  -- sum of the known durations
    CONSTRAINT pk_listen_daily PRIMARY KEY (source_id, day),
    CONSTRAINT fk_listen_daily_source FOREIGN KEY (source_id) REFERENCES radio_source (id)
);

CREATE INDEX idx_listen_daily_day ON listen_daily (day);

-- All sources together: unique listeners across sources cannot be summed from listen_daily.
CREATE TABLE listen_daily_total (
    day                    DATE   NOT NULL PRIMARY KEY,
    plays                  BIGINT NOT NULL,
    unique_listeners       BIGINT NOT NULL,
    total_duration_seconds BIGINT NOT NULL
);

-- One row: the last UTC day whose rollup is complete (NULL before the first rollup).
CREATE TABLE listen_rollup_state (
    id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    rolled_up_through DATE
);

INSERT INTO listen_rollup_state (id, rolled_up_through) VALUES (1, NULL);

CREATE TABLE listen_anonymizer_key (
    day        DATE        NOT NULL PRIMARY KEY,
    key_bytes  BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
