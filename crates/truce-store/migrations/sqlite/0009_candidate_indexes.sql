-- The resolver's candidate search (events near one being placed) is served by indexes that start
-- with the day, or with the area and then the day, so that its cost follows how many events
-- a few weeks hold, never how many the record holds: a latitude band or a whole country
-- gathered every event ever placed there.
CREATE INDEX events_by_day_place ON events (date, lat, lon);
CREATE INDEX events_by_country_day ON events (country, date);
