-- One row: the day before which every daily anonymizer key was destroyed. A key of an earlier day is never created
-- again, not even by an instance that lags behind. DATE begins at 1000-01-01 here.
CREATE TABLE listen_anonymizer_horizon (
    id               TINYINT NOT NULL PRIMARY KEY CHECK (id = 1),
    destroyed_before DATE    NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO listen_anonymizer_horizon (id, destroyed_before) VALUES (1, '1000-01-01');
