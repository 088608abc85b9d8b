-- listen-log V7_7: the UTC days (per source) whose events changed since they may have been rolled up, so that a
-- retention run repairs what changed without reading the kept events. The store marks the days of what it writes and
-- of the listening time it updates, in the same transaction; the trigger below marks the days of events deleted by
-- anyone but retention's purge (a deletion request: DELETE FROM listen_event WHERE ip = ?). A rollup deletes the
-- marks it read, by version; a mark raised meanwhile stays for the next run.
-- listen_day_signature, by which runs found changed days until now, is compared once more by the first run after
-- this migration and then emptied.

CREATE TABLE listen_day_change (
    day       DATE    NOT NULL, -- UTC
    source_id BIGINT  NOT NULL,
    version   BIGINT  NOT NULL,
    CONSTRAINT pk_listen_day_change PRIMARY KEY (day, source_id)
);

-- The first day a retention run still repairs, set by each run before it purges: the purge deletes only older events,
-- which mark nothing.
ALTER TABLE listen_rollup_state ADD COLUMN repairs_from DATE;

CREATE FUNCTION listen_event_mark_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO listen_day_change (day, source_id, version)
    SELECT DISTINCT CAST(gone.occurred_at AT TIME ZONE 'UTC' AS DATE), gone.source_id, 1
    FROM gone, listen_rollup_state s
    WHERE s.id = 1 AND (s.repairs_from IS NULL OR CAST(gone.occurred_at AT TIME ZONE 'UTC' AS DATE) >= s.repairs_from)
    ORDER BY 1, 2
    ON CONFLICT (day, source_id) DO UPDATE SET version = listen_day_change.version + 1;
    RETURN NULL;
END
$$;

-- One call per statement over the rows it deleted, not one per row: a purge batch costs one scan of them.
CREATE TRIGGER listen_event_deleted AFTER DELETE ON listen_event REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION listen_event_mark_deleted();
