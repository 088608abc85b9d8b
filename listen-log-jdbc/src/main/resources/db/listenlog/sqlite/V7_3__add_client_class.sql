-- What the logger's ClientClassifier made of each listen's user agent: 'person' or 'bot', the app or browser, the
-- device or platform family. Rows written before stay unclassified (NULL), and audience figures count them as people.
ALTER TABLE listen_event ADD COLUMN client_class TEXT;
ALTER TABLE listen_event ADD COLUMN client_app TEXT;
ALTER TABLE listen_event ADD COLUMN client_platform TEXT;
