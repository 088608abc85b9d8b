-- listen-log V7_6: the downloads of every rolled-up UTC day per source and file (ListenLogFilter's download prefix logs
-- them as listens whose extra is {"download": "<file>"}), people's and bots' apart, so that downloads per file
-- outlive the raw events.

CREATE TABLE listen_download (
    source_id     BIGINT       NOT NULL,
    day           DATE         NOT NULL,
    file          VARCHAR(512) NOT NULL,
    downloads     BIGINT       NOT NULL,  -- by people
    bot_downloads BIGINT       NOT NULL,
    CONSTRAINT pk_listen_download PRIMARY KEY (source_id, day, file)
);
