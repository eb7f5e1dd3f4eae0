-- The dashboard's list and map read a date range, filtered by type, area or target: an index that
-- holds all of these answers them without touching the table, whose rows are long (the record)
-- and keep the later columns (admin1, target) behind it, on overflow pages.
CREATE INDEX incidents_for_map ON incidents
    (date, id, lat, lon, event_type, sub_event_type, fatalities_high, country, admin1, target);

-- Ceasefire agreements as added, each version kept: `definition` is the agreement with its zones
-- resolved (JSON), `source` the TOML text it was read from.
CREATE TABLE agreements (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    version            INTEGER NOT NULL,
    definition         TEXT NOT NULL,
    source             TEXT NOT NULL,
    added_by           TEXT NOT NULL,
    added_at           TEXT NOT NULL,
    UNIQUE (name, version)
);

-- Each incident held against the agreement in force: rewritten whenever it is assessed again.
CREATE TABLE assessments (
    incident_id        INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    verdict            TEXT NOT NULL CHECK (verdict IN ('likely violation', 'outside scope', 'unclear')),
    agreement          TEXT,
    agreement_version  INTEGER,
    reasons            TEXT NOT NULL,          -- JSON array of sentences
    assessed_at        TEXT NOT NULL
);

CREATE INDEX assessments_by_verdict ON assessments (verdict, incident_id);

-- The register of protected sites (exact coordinates: never shown to the public).
CREATE TABLE protected_sites (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    lat                REAL NOT NULL,
    lon                REAL NOT NULL,
    operator           TEXT,
    notifications      TEXT NOT NULL,          -- JSON array of {party, notified, acknowledged}
    added_at           TEXT NOT NULL,
    UNIQUE (name, lat, lon)
);

-- Alerts raised: once per incident, site (or target kind alone) and kind.
CREATE TABLE alerts (
    id                 INTEGER PRIMARY KEY,
    incident_id        INTEGER NOT NULL,
    site_id            INTEGER REFERENCES protected_sites(id) ON DELETE SET NULL,
    kind               TEXT NOT NULL,
    label              TEXT NOT NULL,
    record             TEXT NOT NULL,          -- the alert (JSON)
    raised_at          TEXT NOT NULL,
    UNIQUE (incident_id, site_id, kind)
);

CREATE INDEX alerts_by_incident ON alerts (incident_id);
