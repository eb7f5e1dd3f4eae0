-- Full-text search over what an incident names: its place, first-order area, country, types,
-- target and alleged perpetrators (FTS5; external content: the index keeps the words, triggers
-- keep it in step with `incidents`). The incident list's text filter reads it, with the reports'
-- index, newest matches first, instead of reading every incident's text. Diacritics folded.
CREATE VIRTUAL TABLE incidents_search USING fts5(
    location_name, admin1, country, event_type, sub_event_type, target, perpetrators,
    content = 'incidents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_search (rowid, location_name, admin1, country, event_type,
                                  sub_event_type, target, perpetrators)
        VALUES (new.id, new.location_name, new.admin1, new.country, new.event_type,
                new.sub_event_type, new.target, new.perpetrators);
END;

CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, location_name, admin1, country,
                                  event_type, sub_event_type, target, perpetrators)
        VALUES ('delete', old.id, old.location_name, old.admin1, old.country, old.event_type,
                old.sub_event_type, old.target, old.perpetrators);
END;

CREATE TRIGGER incidents_search_update
    AFTER UPDATE OF location_name, admin1, country, event_type, sub_event_type, target,
                    perpetrators ON incidents BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, location_name, admin1, country,
                                  event_type, sub_event_type, target, perpetrators)
        VALUES ('delete', old.id, old.location_name, old.admin1, old.country, old.event_type,
                old.sub_event_type, old.target, old.perpetrators);
    INSERT INTO incidents_search (rowid, location_name, admin1, country, event_type,
                                  sub_event_type, target, perpetrators)
        VALUES (new.id, new.location_name, new.admin1, new.country, new.event_type,
                new.sub_event_type, new.target, new.perpetrators);
END;

-- The incidents already stored.
INSERT INTO incidents_search (incidents_search) VALUES ('rebuild');
