-- One row: the day before which every daily anonymizer key was destroyed. A key of an earlier day is never created
-- again, not even by an instance that lags behind.
CREATE TABLE listen_anonymizer_horizon (
    id               SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    destroyed_before DATE     NOT NULL
);

INSERT INTO listen_anonymizer_horizon (id, destroyed_before) VALUES (1, DATE '0001-01-01');
