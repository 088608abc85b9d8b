-- Each listen's identity (ListenRequest.listenId). On a partitioned table a unique key includes the partition key, so
-- it is unique with occurred_at; the store reads which ids are stored (under its source locks) before writing, so a
-- listen id is stored once across months too.
ALTER TABLE listen_event ADD COLUMN listen_id UUID;
UPDATE listen_event SET listen_id = gen_random_uuid() WHERE listen_id IS NULL;
ALTER TABLE listen_event ALTER COLUMN listen_id SET NOT NULL;
CREATE UNIQUE INDEX listen_event_listen_id ON listen_event (listen_id, occurred_at);
