-- listen-log V7_4: the audience figures (docs/metrics.md) of every rolled-up UTC day (hour 24) and hour (0 to 23), per
-- source and for all sources (source_id 0), so that they outlive the raw events; and a signature of each rolled-up
-- day's events per source, by which retention finds late events and late listening-time updates to roll up again.

CREATE TABLE listen_audience (
    source_id              INTEGER NOT NULL,  -- 0: all sources
    day                    TEXT    NOT NULL,
    hour                   INTEGER NOT NULL,  -- 0 to 23, or 24 for the whole day
    minimum_listen_seconds INTEGER NOT NULL,  -- the session minimum the figures were computed with
    plays                  INTEGER NOT NULL,
    sessions               INTEGER NOT NULL,
    bot_plays              INTEGER NOT NULL,
    unique_listeners       INTEGER NOT NULL,
    listening_seconds      INTEGER NOT NULL,
    time_spent_listening   REAL    NOT NULL,
    peak_concurrent        INTEGER NOT NULL,
    average_quarter_hour   REAL    NOT NULL,
    average_session        REAL    NOT NULL,
    listeners_sketch       BLOB,              -- day rows: the listeners as a HyperLogLog sketch, for range cume
    PRIMARY KEY (source_id, day, hour)
);

CREATE TABLE listen_day_signature (
    source_id    INTEGER NOT NULL,
    day          TEXT    NOT NULL,
    events       INTEGER NOT NULL,
    max_id       INTEGER NOT NULL,
    duration_sum INTEGER NOT NULL,
    PRIMARY KEY (source_id, day)
);
