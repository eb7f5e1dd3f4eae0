-- Raw inputs, exactly as read: content-addressed and never changed.
CREATE TABLE raw_blobs (
    hash       TEXT PRIMARY KEY,            -- sha256, lower-case hex
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    stored_at  TEXT NOT NULL
);

-- One row per report: a whole file, one feed item, one JSONL record, or one input that failed.
CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    content_hash     TEXT NOT NULL UNIQUE,  -- identity of the report's own bytes
    raw_hash         TEXT REFERENCES raw_blobs(hash),
    external_id      TEXT,
    format           TEXT,
    source_kind      TEXT NOT NULL,
    source_location  TEXT NOT NULL,
    source_part      TEXT,
    title            TEXT,
    url              TEXT,
    published        TEXT,                  -- YYYY-MM-DD
    language         TEXT,
    text             TEXT,
    status           TEXT NOT NULL CHECK (status IN ('parsed', 'failed', 'superseded')),
    error            TEXT,
    attempts         INTEGER NOT NULL DEFAULT 1,
    ingested_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE INDEX documents_by_status ON documents (status, id);
CREATE INDEX documents_by_external_id ON documents (external_id);
CREATE INDEX documents_by_raw ON documents (raw_hash);
CREATE INDEX documents_by_source ON documents (source_location, status);
