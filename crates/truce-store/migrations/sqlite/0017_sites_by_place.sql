-- Assessing an incident looks up the protected sites near it, by latitude band and then
-- longitude, instead of reading the whole register for every page of incidents.
CREATE INDEX protected_sites_by_place ON protected_sites (lat, lon);
