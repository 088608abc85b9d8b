-- listen-log V7_1 (MySQL and MariaDB): daily rollups that outlive the raw listen_event rows, the rollup watermark,
-- and the shared keys of the daily rotating IP anonymizer. All days are UTC days.

-- source_id takes the exact type of radio_source.id, as listen_event.source_id does in V7_0: MySQL and MariaDB accept
-- a foreign key only between integer columns of the same size and signedness.
SET @listenlog_source_id_type = (
    SELECT COLUMN_TYPE FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'radio_source' AND COLUMN_NAME = 'id');

SET @listenlog_create_listen_daily = CONCAT(
    'CREATE TABLE listen_daily (',
    ' source_id ', @listenlog_source_id_type, ' NOT NULL,',
    ' day DATE NOT NULL COMMENT ''UTC'',',
    ' plays BIGINT NOT NULL,',
    ' unique_listeners BIGINT NOT NULL COMMENT ''distinct non-null ip of the source that day'',',
    ' total_duration_seconds BIGINT NOT NULL COMMENT ''sum of the known durations'',',
    ' PRIMARY KEY (source_id, day),',
    ' INDEX idx_listen_daily_day (day),',
    ' CONSTRAINT fk_listen_daily_source FOREIGN KEY (source_id) REFERENCES radio_source (id)',
    ') ENGINE = InnoDB DEFAULT CHARSET = utf8mb4');

PREPARE listenlog_create_listen_daily FROM @listenlog_create_listen_daily;
EXECUTE listenlog_create_listen_daily;
DEALLOCATE PREPARE listenlog_create_listen_daily;

-- All sources together: unique listeners across sources cannot be summed from listen_daily.
CREATE TABLE listen_daily_total (
    day                    DATE   NOT NULL PRIMARY KEY COMMENT 'UTC',
    plays                  BIGINT NOT NULL,
    unique_listeners       BIGINT NOT NULL,
    total_duration_seconds BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row: the last UTC day whose rollup is complete (NULL before the first rollup).
CREATE TABLE listen_rollup_state (
    id                INT  NOT NULL PRIMARY KEY CHECK (id = 1),
    rolled_up_through DATE NULL COMMENT 'UTC'
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO listen_rollup_state (id, rolled_up_through) VALUES (1, NULL);

CREATE TABLE listen_anonymizer_key (
    day        DATE          NOT NULL PRIMARY KEY COMMENT 'UTC',
    key_bytes  VARBINARY(64) NOT NULL,
    created_at DATETIME(6)   NOT NULL COMMENT 'UTC'
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
