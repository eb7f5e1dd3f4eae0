-- The candidate search reads events by where they are first, then by how far their own days
-- reach, then by their days. Indexes that began with the day read every event of the world on
-- those days and kept the nearby ones; the area and country lookups read every event of an area
-- or a country over six months whatever its own precision: costs that grew with the whole record
-- (at 100,000 incidents an ingest ran seven times slower than into an empty database, most of it
-- reading a country's half year for each event placed in a country alone).

-- A cell of half a degree of latitude by half a degree of longitude (about 55 by 45 km in Syria).
ALTER TABLE events ADD COLUMN cell INTEGER GENERATED ALWAYS AS
    (CAST((lat + 90) * 2 AS INTEGER) * 1000 + CAST((lon + 180) * 2 AS INTEGER)) VIRTUAL;

-- How far an event's own days reach (migration 0013): 0, a day or a week (three days around its
-- date are read); 1, a month (a month around); 2, a stated range (up to 92 days before).
ALTER TABLE events ADD COLUMN span INTEGER GENERATED ALWAYS AS
    (CASE WHEN date_end IS NOT NULL THEN 2 WHEN coalesce(time_precision, 3) >= 3 THEN 1 ELSE 0 END)
    VIRTUAL;

DROP INDEX events_fine_by_day_place;
DROP INDEX events_coarse_by_day_place;
DROP INDEX events_ranged_by_day_place;
DROP INDEX events_by_day_place;
DROP INDEX events_by_area_placed;
DROP INDEX events_by_area;
DROP INDEX events_by_country_day;
DROP INDEX events_by_place;

-- Points: the cells around a place, each span with its own days.
CREATE INDEX events_points_by_cell ON events (cell, span, date, lat, lon);

-- Every event of an area, or of a country, by span and day (an event placed by area or country
-- alone may be the same as any of them).
CREATE INDEX events_by_area_span ON events (country, admin1, span, date);
CREATE INDEX events_by_country_span ON events (country, span, date);

-- Events placed by area only (no point, an area's precision, or a town named like its area), by
-- area (the country alone for those placed in a country), span and day.
CREATE INDEX events_area_placed_by_span ON events (country, admin1, span, date)
    WHERE lat IS NULL OR coalesce(geo_precision, 3) >= 3 OR area_named;
