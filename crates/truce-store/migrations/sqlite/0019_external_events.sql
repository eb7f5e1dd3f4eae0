-- Events of other datasets (ACLED, UCDP GED) imported beside truce's own record, never mixed
-- with it: what `truce compare` sets truce's incidents against and the dashboard shows as a layer
-- of its own. An event is keyed by its dataset and its id there; importing a later release of
-- the same file updates it in place.
CREATE TABLE external_events (
    id INTEGER PRIMARY KEY,
    dataset TEXT NOT NULL,
    external_id TEXT NOT NULL,
    date TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT,
    location TEXT NOT NULL,
    admin1 TEXT,
    country TEXT,
    lat REAL,
    lon REAL,
    fatalities INTEGER NOT NULL,
    actor TEXT,
    actor2 TEXT,
    inter1 INTEGER,
    inter2 INTEGER,
    violence INTEGER,
    geo_precision INTEGER,
    time_precision INTEGER,
    notes TEXT,
    line INTEGER NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (dataset, external_id)
);

-- Read by day (a comparison's or the map's date range), within one dataset or all.
CREATE INDEX external_events_by_date ON external_events (date, id);
CREATE INDEX external_events_by_dataset_date ON external_events (dataset, date, id);
