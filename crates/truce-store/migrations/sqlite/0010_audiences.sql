-- Every item of an incident's workspace carries its audience, set when it is written and read
-- back only for those in it (truce_model::Audience): 'co-chairs', 'staff', 'party' (with
-- audience_party), 'parties' or 'public'.

ALTER TABLE messages ADD COLUMN audience TEXT NOT NULL DEFAULT 'staff'
    CHECK (audience IN ('co-chairs', 'staff', 'party', 'parties', 'public'));
ALTER TABLE messages ADD COLUMN audience_party TEXT;

-- Messages written before audiences: a party's went to the staff and that party, everyone
-- else's stay with the staff (the narrowest reading that keeps each author's own words in view).
UPDATE messages
   SET audience = 'party',
       audience_party = (SELECT u.party FROM users u WHERE u.username = messages.author)
 WHERE author IN (SELECT username FROM users WHERE role = 'party' AND party IS NOT NULL);

ALTER TABLE audit_log ADD COLUMN audience TEXT NOT NULL DEFAULT 'staff'
    CHECK (audience IN ('co-chairs', 'staff', 'party', 'parties', 'public'));
ALTER TABLE audit_log ADD COLUMN audience_party TEXT;

-- History written before audiences, entry by entry as the items it records.
UPDATE audit_log SET audience = 'party', audience_party = json_extract(detail, '$.party')
 WHERE action IN ('case.submit', 'case.rfi') AND json_extract(detail, '$.party') IS NOT NULL;
UPDATE audit_log SET audience = 'party',
       audience_party = (SELECT r.addressed_to FROM case_rfis r
                          WHERE r.id = json_extract(audit_log.detail, '$.rfi'))
 WHERE action = 'case.answer'
   AND EXISTS (SELECT 1 FROM case_rfis r WHERE r.id = json_extract(audit_log.detail, '$.rfi'));
UPDATE audit_log SET audience = 'co-chairs' WHERE action = 'case.rule';
UPDATE audit_log SET audience = 'public'
 WHERE action IN ('incident.correct', 'incident.retract', 'case.publish');
UPDATE audit_log SET audience = 'parties' WHERE action = 'case.open';
UPDATE audit_log SET audience = 'party',
       audience_party = (SELECT m.audience_party FROM messages m
                          WHERE m.id = json_extract(audit_log.detail, '$.message'))
 WHERE action = 'message.post'
   AND EXISTS (SELECT 1 FROM messages m WHERE m.id = json_extract(audit_log.detail, '$.message')
                                          AND m.audience = 'party');

-- A party reads the incidents it is asked about, besides those it is blamed for.
CREATE INDEX case_rfis_by_party ON case_rfis (addressed_to, incident_id);
