-- Each listen's identity (ListenRequest.listenId) as 16 bytes, unique, so that a batch retried, replayed or written
-- by two instances at once is stored once. Rows written before get a random id, so hosts on V7_1 upgrade in place.
-- (SQLite cannot add a NOT NULL column to a table with rows; the store always writes it.)
ALTER TABLE listen_event ADD COLUMN listen_id BLOB;
UPDATE listen_event SET listen_id = randomblob(16) WHERE listen_id IS NULL;
CREATE UNIQUE INDEX listen_event_listen_id ON listen_event (listen_id);
