-- Incidents: events from many reports that tell one occurrence. Rebuilt by the resolver around
-- whatever changes; people's decisions live in incident_decisions and are never rewritten by it.
CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY,
    event_type         TEXT NOT NULL,
    sub_event_type     TEXT,
    date               TEXT,                  -- YYYY-MM-DD, the most precise source's
    date_end           TEXT,
    country            TEXT,
    location_name      TEXT,
    lat                REAL,
    lon                REAL,
    fatalities_low     INTEGER,
    fatalities_high    INTEGER,
    sources            INTEGER NOT NULL,      -- source events
    documents          INTEGER NOT NULL,      -- distinct source documents
    record             TEXT NOT NULL,         -- the merged incident (JSON)
    updated_at         TEXT NOT NULL
);

CREATE INDEX incidents_by_date ON incidents (date, id);
CREATE INDEX incidents_by_place ON incidents (lat, lon);

-- Which incident each event belongs to. Keyed by (document, ordinal), not by event row, so that
-- re-extraction (which replaces event rows) can find the incidents its old events were in.
CREATE TABLE incident_members (
    document_id        INTEGER NOT NULL,
    ordinal            INTEGER NOT NULL,
    incident_id        INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, ordinal)
);

CREATE INDEX incident_members_by_incident ON incident_members (incident_id);

-- People's decisions: two events are the same occurrence ('together') or not ('apart').
-- The pair is stored smaller first; a later decision about the same pair replaces the earlier.
CREATE TABLE incident_decisions (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('together', 'apart')),
    a_document         INTEGER NOT NULL,
    a_ordinal          INTEGER NOT NULL,
    b_document         INTEGER NOT NULL,
    b_ordinal          INTEGER NOT NULL,
    decided_by         TEXT NOT NULL,
    decided_at         TEXT NOT NULL,
    note               TEXT,
    UNIQUE (a_document, a_ordinal, b_document, b_ordinal)
);

CREATE INDEX incident_decisions_by_b ON incident_decisions (b_document, b_ordinal);

-- Candidate search for the resolver: events by place and by area.
CREATE INDEX events_by_place ON events (lat, lon);
CREATE INDEX events_by_area ON events (country, admin1, date);
