-- The area filter finds incidents by the name of their first-order area or of their place,
-- whatever their country (the area index begins with the country): each term by its index.
CREATE INDEX incidents_by_admin1 ON incidents (admin1, date, id);
CREATE INDEX incidents_by_location ON incidents (location_name, date, id);
