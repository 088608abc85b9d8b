-- Each listen's identity (ListenRequest.listenId) as 16 bytes, unique, so that a batch retried, replayed or written
-- by two instances at once is stored once. Rows written before get a random id, so hosts on V7_1 upgrade in place.
ALTER TABLE listen_event ADD COLUMN listen_id BINARY(16) NULL;
UPDATE listen_event SET listen_id = UNHEX(REPLACE(UUID(), '-', '')) WHERE listen_id IS NULL;
ALTER TABLE listen_event MODIFY listen_id BINARY(16) NOT NULL;
CREATE UNIQUE INDEX listen_event_listen_id ON listen_event (listen_id);
