-- listen-log V7_5: each listen's listener identity (a hash of the address hash and the user agent; NULL for rows
-- written before and under ListenerIdentity.ADDRESS, which count by the address hash as before) and the country and
-- first-level region a GeoLookup found for its address (never anything finer); and the audience of every rolled-up
-- UTC day per country (ZZ: not located), per source and for all sources (source_id 0), so that it outlives the raw
-- events.

ALTER TABLE listen_event ADD COLUMN listener TEXT;
ALTER TABLE listen_event ADD COLUMN country TEXT;
ALTER TABLE listen_event ADD COLUMN region TEXT;

CREATE TABLE listen_audience_country (
    source_id         INTEGER NOT NULL,  -- 0: all sources
    day               TEXT    NOT NULL,
    country           TEXT    NOT NULL,  -- ISO 3166-1 alpha-2, or ZZ
    sessions          INTEGER NOT NULL,
    unique_listeners  INTEGER NOT NULL,
    listening_seconds INTEGER NOT NULL,
    listeners_sketch  BLOB    NOT NULL,  -- the day's listeners as a HyperLogLog sketch, for range cume
    PRIMARY KEY (source_id, day, country)
);
