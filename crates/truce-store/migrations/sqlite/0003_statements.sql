-- Statements extracted from documents (re-extraction replaces them, like events).
CREATE TABLE statements (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents(id),
    ordinal            INTEGER NOT NULL,
    speaker            TEXT,
    title              TEXT,
    organization       TEXT,
    cue                TEXT,
    text               TEXT NOT NULL,
    direct             INTEGER NOT NULL,
    stance             TEXT,
    date               TEXT,                  -- the document's publication date
    record             TEXT NOT NULL,
    extractor_version  TEXT NOT NULL,
    UNIQUE (document_id, ordinal)
);

CREATE INDEX statements_by_speaker ON statements (speaker);
CREATE INDEX statements_by_date ON statements (date, id);
CREATE INDEX statements_by_document ON statements (document_id);
