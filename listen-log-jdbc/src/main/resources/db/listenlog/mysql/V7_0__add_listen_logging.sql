-- listen-log V7_0 (MySQL and MariaDB): a play counter per radio source and one listen_event row per play.
-- Extends the host's radio_source(id) table, which the host must create in an earlier migration.

ALTER TABLE radio_source ADD COLUMN listen_count BIGINT NOT NULL DEFAULT 0;

-- source_id takes the exact type of radio_source.id (INT, INT UNSIGNED, BIGINT...): MySQL and MariaDB accept a
-- foreign key only between integer columns of the same size and signedness.
SET @listenlog_source_id_type = (
    SELECT COLUMN_TYPE FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'radio_source' AND COLUMN_NAME = 'id');

SET @listenlog_create_listen_event = CONCAT(
    'CREATE TABLE listen_event (',
    ' id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,',
    ' source_id ', @listenlog_source_id_type, ' NOT NULL,',
    ' occurred_at DATETIME(6) NOT NULL COMMENT ''UTC'',',
    ' ip VARCHAR(255) NULL COMMENT ''anonymized (keyed hash) client address, never the address itself'',',
    ' user_agent TEXT NULL,',
    ' referrer TEXT NULL,',
    ' duration_seconds INT NULL CHECK (duration_seconds >= 0),',
    ' extra JSON NULL,',
    ' INDEX idx_listen_event_source (source_id),',
    ' INDEX idx_listen_event_time (occurred_at),',
    ' CONSTRAINT fk_listen_event_source FOREIGN KEY (source_id) REFERENCES radio_source (id)',
    ') ENGINE = InnoDB DEFAULT CHARSET = utf8mb4');

PREPARE listenlog_create_listen_event FROM @listenlog_create_listen_event;
EXECUTE listenlog_create_listen_event;
DEALLOCATE PREPARE listenlog_create_listen_event;
