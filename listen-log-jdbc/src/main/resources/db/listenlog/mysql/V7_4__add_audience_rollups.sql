-- listen-log V7_4: the audience figures (docs/metrics.md) of every rolled-up UTC day (hour 24) and hour (0 to 23), per
-- source and for all sources (source_id 0), so that they outlive the raw events; and a signature of each rolled-up
-- day's events per source, by which retention finds late events and late listening-time updates to roll up again.

CREATE TABLE listen_audience (
    source_id              BIGINT   NOT NULL COMMENT '0: all sources',
    day                    DATE     NOT NULL COMMENT 'UTC',
    hour                   SMALLINT NOT NULL COMMENT '0 to 23, or 24 for the whole day',
    minimum_listen_seconds BIGINT   NOT NULL,
    plays                  BIGINT   NOT NULL,
    sessions               BIGINT   NOT NULL,
    bot_plays              BIGINT   NOT NULL,
    unique_listeners       BIGINT   NOT NULL,
    listening_seconds      BIGINT   NOT NULL,
    time_spent_listening   DOUBLE   NOT NULL,
    peak_concurrent        BIGINT   NOT NULL,
    average_quarter_hour   DOUBLE   NOT NULL,
    average_session        DOUBLE   NOT NULL,
    listeners_sketch       BLOB     NULL COMMENT 'day rows: the listeners as a HyperLogLog sketch',
    PRIMARY KEY (source_id, day, hour)
);

CREATE TABLE listen_day_signature (
    source_id    BIGINT NOT NULL,
    day          DATE   NOT NULL,
    events       BIGINT NOT NULL,
    max_id       BIGINT NOT NULL,
    duration_sum BIGINT NOT NULL,
    PRIMARY KEY (source_id, day)
);
