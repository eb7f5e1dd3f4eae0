-- The extractor's output for each document: the whole record, and its events as rows.
-- Re-extraction replaces both; human decisions live elsewhere and are never touched here.
CREATE TABLE extractions (
    document_id        INTEGER PRIMARY KEY REFERENCES documents(id),
    extractor_version  TEXT NOT NULL,
    extracted_at       TEXT NOT NULL,
    record             TEXT NOT NULL          -- the extraction record (JSON), as `truce extract` prints it
);

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents(id),
    ordinal            INTEGER NOT NULL,      -- position in the document's record
    event_type         TEXT NOT NULL,
    sub_event_type     TEXT,
    date               TEXT,
    date_end           TEXT,
    country            TEXT,
    admin1             TEXT,
    location_name      TEXT,
    lat                REAL,
    lon                REAL,
    geo_precision      INTEGER,
    fatalities_low     INTEGER,
    fatalities_best    INTEGER,
    fatalities_high    INTEGER,
    target             TEXT,
    confidence         REAL NOT NULL,
    record             TEXT NOT NULL,         -- the event (JSON)
    extractor_version  TEXT NOT NULL,
    UNIQUE (document_id, ordinal)
);

CREATE INDEX events_by_date ON events (date, id);
CREATE INDEX events_by_type ON events (event_type, date);
CREATE INDEX events_by_document ON events (document_id);
