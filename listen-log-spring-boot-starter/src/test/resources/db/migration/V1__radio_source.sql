CREATE TABLE radio_source (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL);
INSERT INTO radio_source (id, name) VALUES (1, 'Radio One'), (2, 'Radio Two');
