-- listen-log V7_4: the audience figures (docs/metrics.md) of every rolled-up UTC day (hour 24) and hour (0 to 23), per
-- source and for all sources (source_id 0), so that they outlive the raw events; and a signature of each rolled-up
-- day's events per source, by which retention finds late events and late listening-time updates to roll up again.

CREATE TABLE listen_audience (
    source_id              BIGINT           NOT NULL,  -- 0: all sources
    day                    DATE             NOT NULL,
    hour                   SMALLINT         NOT NULL,  -- 0 to 23, or 24 for the whole day
    minimum_listen_seconds BIGINT           NOT NULL,  -- the session minimum the figures were computed with
    plays                  BIGINT           NOT NULL,
    sessions               BIGINT           NOT NULL,
    bot_plays              BIGINT           NOT NULL,
    unique_listeners       BIGINT           NOT NULL,
    listening_seconds      BIGINT           NOT NULL,
    time_spent_listening   DOUBLE PRECISION NOT NULL,
    peak_concurrent        BIGINT           NOT NULL,
    average_quarter_hour   DOUBLE PRECISION NOT NULL,
    average_session        DOUBLE PRECISION NOT NULL,
    listeners_sketch       BYTEA,                      -- day rows: the listeners as a HyperLogLog sketch, for range cume
    CONSTRAINT pk_listen_audience PRIMARY KEY (source_id, day, hour)
);

CREATE TABLE listen_day_signature (
    source_id    BIGINT NOT NULL,
    day          DATE   NOT NULL,
    events       BIGINT NOT NULL,
    max_id       BIGINT NOT NULL,
    duration_sum BIGINT NOT NULL,
    CONSTRAINT pk_listen_day_signature PRIMARY KEY (source_id, day)
);
