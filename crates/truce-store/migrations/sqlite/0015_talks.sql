-- Rounds of talks and meetings read from reports (re-extraction replaces them, like statements):
-- the diplomatic track's rounds, newest first by row id. Filled from the stored extraction
-- records of documents read before this table existed.
CREATE TABLE talks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    ordinal      INTEGER NOT NULL,
    date         TEXT,                  -- the document's publication date
    record       TEXT NOT NULL,         -- the talk as extracted (JSON)
    UNIQUE (document_id, ordinal)
);
CREATE INDEX talks_by_document ON talks (document_id);

INSERT INTO talks (document_id, ordinal, date, record)
SELECT x.document_id, CAST(t.key AS INTEGER), d.published, t.value
FROM extractions x
JOIN documents d ON d.id = x.document_id
JOIN json_each(x.record, '$.talks') t
ORDER BY x.document_id, CAST(t.key AS INTEGER);
