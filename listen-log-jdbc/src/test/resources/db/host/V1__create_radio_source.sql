-- A host application's own first migration, as a host would have it before adding listen-log.
-- INTEGER on purpose: on MariaDB/MySQL the listen-log migration must match a 32-bit id for its foreign key.
CREATE TABLE radio_source (
    id   INTEGER      NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL
);

INSERT INTO radio_source (id, name) VALUES (1, 'Radio One'), (2, 'Jazz FM'), (3, 'Ünïcødé Radio');
