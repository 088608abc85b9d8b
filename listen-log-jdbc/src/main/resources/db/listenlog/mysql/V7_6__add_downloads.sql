-- listen-log V7_6: the downloads of every rolled-up UTC day per source and file (ListenLogFilter's download prefix logs
-- them as listens whose extra is {"download": "<file>"}), people's and bots' apart, so that downloads per file
-- outlive the raw events.

CREATE TABLE listen_download (
    source_id     BIGINT       NOT NULL,
    day           DATE         NOT NULL COMMENT 'UTC',
    file          VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    downloads     BIGINT       NOT NULL COMMENT 'by people',
    bot_downloads BIGINT       NOT NULL,
    PRIMARY KEY (source_id, day, file)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
