-- listen-log V7_5: each listen's listener identity (a hash of the address hash and the user agent; NULL for rows
-- written before and under ListenerIdentity.ADDRESS, which count by the address hash as before) and the country and
-- first-level region a GeoLookup found for its address (never anything finer); and the audience of every rolled-up
-- UTC day per country (ZZ: not located), per source and for all sources (source_id 0), so that it outlives the raw
-- events.

ALTER TABLE listen_event
    ADD COLUMN listener CHAR(64)   NULL,
    ADD COLUMN country  CHAR(2)    NULL,
    ADD COLUMN region   VARCHAR(6) NULL;

CREATE TABLE listen_audience_country (
    source_id         BIGINT  NOT NULL COMMENT '0: all sources',
    day               DATE    NOT NULL COMMENT 'UTC',
    country           CHAR(2) NOT NULL COMMENT 'ISO 3166-1 alpha-2, or ZZ',
    sessions          BIGINT  NOT NULL,
    unique_listeners  BIGINT  NOT NULL,
    listening_seconds BIGINT  NOT NULL,
    listeners_sketch  BLOB    NOT NULL COMMENT 'the day''s listeners as a HyperLogLog sketch',
    PRIMARY KEY (source_id, day, country)
);
