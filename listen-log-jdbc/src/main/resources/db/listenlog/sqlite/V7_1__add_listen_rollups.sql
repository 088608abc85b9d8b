-- listen-log V7_1 (SQLite): daily rollups that outlive the raw listen_event rows, the rollup watermark, and the
-- shared keys of the daily rotating IP anonymizer. All days are UTC days, stored as 'YYYY-MM-DD' text.

CREATE TABLE listen_daily (
    source_id              INTEGER NOT NULL REFERENCES radio_source (id),
    day                    TEXT    NOT NULL,
    plays                  INTEGER NOT NULL,
    unique_listeners       INTEGER NOT NULL,  -- distinct non-null ip of the source that day
    total_duration_seconds INTEGER NOT NULL,  -- sum of the known durations
    PRIMARY KEY (source_id, day)
);

CREATE INDEX idx_listen_daily_day ON listen_daily (day);

-- All sources together: unique listeners across sources cannot be summed from listen_daily.
CREATE TABLE listen_daily_total (
    day                    TEXT    NOT NULL PRIMARY KEY,
    plays                  INTEGER NOT NULL,
    unique_listeners       INTEGER NOT NULL,
    total_duration_seconds INTEGER NOT NULL
);

-- One row: the last UTC day whose rollup is complete (NULL before the first rollup).
CREATE TABLE listen_rollup_state (
    id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    rolled_up_through TEXT
);

INSERT INTO listen_rollup_state (id, rolled_up_through) VALUES (1, NULL);

CREATE TABLE listen_anonymizer_key (
    day        TEXT NOT NULL PRIMARY KEY,
    key_bytes  BLOB NOT NULL,
    created_at TEXT NOT NULL  -- ISO-8601 UTC, like listen_event.occurred_at
);
