-- listen-log V7_6: the downloads of every rolled-up UTC day per source and file (ListenLogFilter's download prefix logs
-- them as listens whose extra is {"download": "<file>"}), people's and bots' apart, so that downloads per file
-- outlive the raw events.

CREATE TABLE listen_download (
    source_id     INTEGER NOT NULL,
    day           TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    downloads     INTEGER NOT NULL,  -- by people
    bot_downloads INTEGER NOT NULL,
    PRIMARY KEY (source_id, day, file)
);
