-- The register of sources watched around the clock (`truce sources`, `truce watch`): a feed,
-- a page or a JSON endpoint fetched on its own schedule. What its fetches found is kept as the
-- model's `SourceState` (JSON), so that a restarted watcher goes on where it stopped: the
-- validators it sends back (ETag, Last-Modified), the failures it backs off from, the items it
-- has read.
CREATE TABLE watched_sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    every_secs INTEGER NOT NULL CHECK (every_secs > 0),
    follow_links INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    -- When it is due (RFC 3339, UTC, fixed width: compared as text).
    next_fetch_at TEXT NOT NULL,
    state TEXT NOT NULL
);

-- The watcher asks for the sources due next: only those not paused, by when they are due.
CREATE INDEX watched_sources_due ON watched_sources (next_fetch_at) WHERE paused = 0;

-- The items of a source already read (a feed item by its id, else its link, else its content),
-- so that an item edited after it was read is not taken in again and the article it links to
-- is fetched once.
CREATE TABLE watched_items (
    source_id INTEGER NOT NULL REFERENCES watched_sources (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (source_id, key)
) WITHOUT ROWID;
