-- One row: the day before which every daily anonymizer key was destroyed. A key of an earlier day is never created
-- again, not even by an instance that lags behind. 'YYYY-MM-DD' text like listen_anonymizer_key.day.
CREATE TABLE listen_anonymizer_horizon (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    destroyed_before TEXT    NOT NULL
);

INSERT INTO listen_anonymizer_horizon (id, destroyed_before) VALUES (1, '0001-01-01');
