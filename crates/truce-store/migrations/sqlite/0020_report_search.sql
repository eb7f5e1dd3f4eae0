-- Full-text search over the reports' titles and text (FTS5). External content: the index keeps
-- the words, not a second copy of the text, and triggers keep it in step with `documents`.
-- Diacritics are folded, so that "Ariha" finds "Arīḩā".
CREATE VIRTUAL TABLE documents_search USING fts5(
    title, text,
    content = 'documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_search (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_search (documents_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;

CREATE TRIGGER documents_search_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_search (documents_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_search (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- The reports already stored.
INSERT INTO documents_search (documents_search) VALUES ('rebuild');
