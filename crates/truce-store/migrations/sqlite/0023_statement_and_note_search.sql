-- Full-text search over what people said and what the workspace wrote down, beside the
-- reports' (0020): statements (speaker, title, organisation, words), messages and review notes.
-- External content, diacritics folded, kept in step by triggers. A message is read back only
-- by those in its audience (the query applies the rule); review notes are the staff's.
CREATE VIRTUAL TABLE statements_search USING fts5(
    speaker, title, organization, text,
    content = 'statements', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER statements_search_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_search (rowid, speaker, title, organization, text)
        VALUES (new.id, new.speaker, new.title, new.organization, new.text);
END;

CREATE TRIGGER statements_search_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_search (statements_search, rowid, speaker, title, organization, text)
        VALUES ('delete', old.id, old.speaker, old.title, old.organization, old.text);
END;

CREATE TRIGGER statements_search_update AFTER UPDATE OF speaker, title, organization, text
    ON statements BEGIN
    INSERT INTO statements_search (statements_search, rowid, speaker, title, organization, text)
        VALUES ('delete', old.id, old.speaker, old.title, old.organization, old.text);
    INSERT INTO statements_search (rowid, speaker, title, organization, text)
        VALUES (new.id, new.speaker, new.title, new.organization, new.text);
END;

INSERT INTO statements_search (statements_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE messages_search USING fts5(
    body,
    content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
END;

CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
END;

INSERT INTO messages_search (messages_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE reviews_search USING fts5(
    note,
    content = 'reviews', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER reviews_search_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO reviews_search (rowid, note) VALUES (new.id, new.note);
END;

CREATE TRIGGER reviews_search_delete AFTER DELETE ON reviews BEGIN
    INSERT INTO reviews_search (reviews_search, rowid, note) VALUES ('delete', old.id, old.note);
END;

CREATE TRIGGER reviews_search_update AFTER UPDATE OF note ON reviews BEGIN
    INSERT INTO reviews_search (reviews_search, rowid, note) VALUES ('delete', old.id, old.note);
    INSERT INTO reviews_search (rowid, note) VALUES (new.id, new.note);
END;

INSERT INTO reviews_search (reviews_search) VALUES ('rebuild');
