-- The candidate search narrows by each candidate's own window of days (a day, a week, a month,
-- by its time precision), so that a dense record does not hand the resolver every event of two
-- months around a place: the precision is kept as a column beside the date.
ALTER TABLE events ADD COLUMN time_precision INTEGER;
UPDATE events SET time_precision = json_extract(record, '$.time_precision');

-- Events placed by area only (no point, an area's precision, or a town named like its area): the
-- only ones of an area the candidate search wants unless it asks for the whole area, read
-- without visiting the point-placed events of the same area and days.
CREATE INDEX events_by_area_placed ON events (country, admin1, date)
    WHERE lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named;

-- Points by how far their own days reach: day- and week-precise dates (read three days around
-- the event's window), month-precise ones (a month around), stated ranges (the widest). Each
-- holds the columns its lookup tests, so that the lookup never visits the table.
CREATE INDEX events_fine_by_day_place ON events (date, lat, lon, time_precision, date_end)
    WHERE date_end IS NULL AND coalesce(time_precision, 3) < 3;
CREATE INDEX events_coarse_by_day_place ON events (date, lat, lon, time_precision, date_end)
    WHERE date_end IS NULL AND coalesce(time_precision, 3) >= 3;
CREATE INDEX events_ranged_by_day_place ON events (date, lat, lon, date_end)
    WHERE date_end IS NOT NULL;
