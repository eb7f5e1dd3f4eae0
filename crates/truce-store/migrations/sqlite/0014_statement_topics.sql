-- The diplomatic track: statements about the ceasefire or the talks carry their topic
-- (`ceasefire`, `talks`), read newest first from a partial index that holds only them.
ALTER TABLE statements ADD COLUMN topic TEXT;
UPDATE statements SET topic = json_extract(record, '$.topic')
 WHERE json_extract(record, '$.topic') IS NOT NULL;
CREATE INDEX statements_by_topic ON statements (topic, id) WHERE topic IS NOT NULL;
