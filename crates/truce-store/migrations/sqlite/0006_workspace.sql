-- The monitoring workspace: accounts, sessions, API tokens, reviews, messages, case files,
-- corrections, and the hash-chained audit log of every human action.

-- Searchable copies of merged fields, for the dashboard's filters.
ALTER TABLE incidents ADD COLUMN admin1 TEXT;
ALTER TABLE incidents ADD COLUMN target TEXT;
ALTER TABLE incidents ADD COLUMN perpetrators TEXT;  -- '|'-separated, with a leading and trailing '|'
CREATE INDEX incidents_by_type_date ON incidents (event_type, date, id);
CREATE INDEX incidents_by_area_date ON incidents (country, admin1, date, id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,            -- argon2id PHC string
    role           TEXT NOT NULL CHECK (role IN ('admin', 'co-chair', 'party', 'monitor', 'viewer')),
    party          TEXT,                     -- for role 'party': the actor name it answers for
    created_at     TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,         -- sha256 of the cookie's random token
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,     -- sha256 of the token; the token itself is shown once
    created_at     TEXT NOT NULL,
    revoked_at     TEXT
);

-- The current review state of an incident (the latest review), for filtering.
CREATE TABLE incident_state (
    incident_id    INTEGER PRIMARY KEY,
    status         TEXT NOT NULL,
    grade          TEXT,
    updated_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX incident_state_by_status ON incident_state (status, incident_id);

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('unverified', 'under review', 'confirmed', 'disputed', 'discounted')),
    grade          TEXT CHECK (grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')),
    note           TEXT NOT NULL,
    reviewed_by    TEXT NOT NULL,
    reviewed_at    TEXT NOT NULL
);
CREATE INDEX reviews_by_incident ON reviews (incident_id, id);

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL,
    author         TEXT NOT NULL,
    body           TEXT NOT NULL,
    mentions       TEXT NOT NULL,            -- JSON array of usernames
    posted_at      TEXT NOT NULL
);
CREATE INDEX messages_by_incident ON messages (incident_id, id);

CREATE TABLE message_reads (
    user_id        INTEGER NOT NULL,
    incident_id    INTEGER NOT NULL,
    last_read      INTEGER NOT NULL,
    PRIMARY KEY (user_id, incident_id)
);

CREATE TABLE cases (
    incident_id    INTEGER PRIMARY KEY,
    opened_by      TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    ruling         TEXT CHECK (ruling IN ('violation', 'no violation', 'undetermined')),
    ruling_note    TEXT,
    ruled_by       TEXT,
    ruled_at       TEXT,
    published_at   TEXT
);

CREATE TABLE case_submissions (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL,
    party          TEXT NOT NULL,
    author         TEXT NOT NULL,
    body           TEXT NOT NULL,
    submitted_at   TEXT NOT NULL
);
CREATE INDEX case_submissions_by_incident ON case_submissions (incident_id, id);

CREATE TABLE case_rfis (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL,
    addressed_to   TEXT NOT NULL,            -- a party
    question       TEXT NOT NULL,
    deadline       TEXT NOT NULL,            -- YYYY-MM-DD
    asked_by       TEXT NOT NULL,
    asked_at       TEXT NOT NULL,
    answer         TEXT,
    answered_by    TEXT,
    answered_at    TEXT
);
CREATE INDEX case_rfis_by_incident ON case_rfis (incident_id, id);

CREATE TABLE corrections (
    id             INTEGER PRIMARY KEY,
    incident_id    INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('correction', 'retraction')),
    field          TEXT,
    old_value      TEXT,
    new_value      TEXT,
    reason         TEXT NOT NULL,
    corrected_by   TEXT NOT NULL,
    corrected_at   TEXT NOT NULL
);
CREATE INDEX corrections_by_incident ON corrections (incident_id, id);

-- Append-only; each entry's hash covers its fields and the previous entry's hash.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    subject        TEXT NOT NULL,            -- 'incident:12', 'user:ana', ...
    detail         TEXT NOT NULL,            -- JSON
    prev_hash      TEXT NOT NULL UNIQUE,     -- one successor per entry: a fork cannot be written
    hash           TEXT NOT NULL
);
CREATE INDEX audit_by_subject ON audit_log (subject, seq);
