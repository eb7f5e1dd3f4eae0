-- Whether an event's place is a town named like its first-order area (Location::names_its_area):
-- the resolver places such events by their area, and its candidate search must know it.
ALTER TABLE events ADD COLUMN area_named INTEGER NOT NULL DEFAULT 0;
