-- Work that a crash can interrupt is queued in the same transaction that makes it necessary, and
-- leaves the queue in the transaction that completes it: a stored document waits for extraction,
-- an extracted one for resolution. Whatever the next command is, it finds what is left to do
-- here, in time proportional to what is left, not to the record.
CREATE TABLE pending_documents (
    document_id        INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    stage              TEXT NOT NULL CHECK (stage IN ('extract', 'resolve')),
    since              TEXT NOT NULL
);

CREATE INDEX pending_documents_by_stage ON pending_documents (stage, document_id);

-- Incident ids are never given twice: an id retired by a merge may still name a review, a case
-- file or an audit entry, which must never come to speak of another occurrence.
CREATE TABLE incident_sequence (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    last               INTEGER NOT NULL
);

INSERT INTO incident_sequence (id, last) SELECT 1, max(
    coalesce((SELECT max(id) FROM incidents), 0),
    coalesce((SELECT max(incident_id) FROM incident_state), 0),
    coalesce((SELECT max(incident_id) FROM reviews), 0),
    coalesce((SELECT max(incident_id) FROM messages), 0),
    coalesce((SELECT max(incident_id) FROM cases), 0),
    coalesce((SELECT max(incident_id) FROM case_submissions), 0),
    coalesce((SELECT max(incident_id) FROM case_rfis), 0),
    coalesce((SELECT max(incident_id) FROM corrections), 0),
    coalesce((SELECT max(incident_id) FROM alerts), 0));

-- A database an older build left behind: events outside every incident (an ingest that stopped
-- between extraction and resolution) are queued for resolution now.
INSERT INTO pending_documents (document_id, stage, since)
SELECT DISTINCT e.document_id, 'resolve', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM events e
WHERE NOT EXISTS (SELECT 1 FROM incident_members m
                  WHERE m.document_id = e.document_id AND m.ordinal = e.ordinal);
