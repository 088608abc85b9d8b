-- Each listen's identity (ListenRequest.listenId), unique, so that a batch retried, replayed or written by two
-- instances at once is stored once. Rows written before get a random id, so hosts on V7_1 upgrade in place.
ALTER TABLE listen_event ADD COLUMN listen_id UUID;
UPDATE listen_event SET listen_id = gen_random_uuid() WHERE listen_id IS NULL;
ALTER TABLE listen_event ALTER COLUMN listen_id SET NOT NULL;
CREATE UNIQUE INDEX listen_event_listen_id ON listen_event (listen_id);
