-- listen-log V7_7: the UTC days (per source) whose events changed since they may have been rolled up, so that a
-- retention run repairs what changed without reading the kept events. The store marks the days of what it writes and
-- of the listening time it updates, in the same transaction; the trigger below marks the days of events deleted by
-- anyone but retention's purge (a deletion request: DELETE FROM listen_event WHERE ip = ?). A rollup deletes the
-- marks it read, by version; a mark raised meanwhile stays for the next run.
-- listen_day_signature, by which runs found changed days until now, is compared once more by the first run after
-- this migration and then emptied.

CREATE TABLE listen_day_change (
    day       TEXT    NOT NULL, -- UTC
    source_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (day, source_id)
);

-- The first day a retention run still repairs, set by each run before it purges: the purge deletes only older events,
-- which mark nothing.
ALTER TABLE listen_rollup_state ADD COLUMN repairs_from TEXT;

CREATE TRIGGER listen_event_deleted AFTER DELETE ON listen_event FOR EACH ROW
BEGIN
    INSERT INTO listen_day_change (day, source_id, version)
    SELECT substr(OLD.occurred_at, 1, 10), OLD.source_id, 1 FROM listen_rollup_state
    WHERE id = 1 AND (repairs_from IS NULL OR substr(OLD.occurred_at, 1, 10) >= repairs_from)
    ON CONFLICT (day, source_id) DO UPDATE SET version = version + 1;
END;
