-- An alert an incident no longer raises (a correction moved it away from the site, a new report
-- changed its place or target) is cleared, not deleted: the alert log keeps what was raised and
-- when, and says since when it no longer stands.
ALTER TABLE alerts ADD COLUMN cleared_at TEXT;
