-- API tokens expire (those made before expiry existed: 90 days after they were made), and failed
-- logins are counted per account in the database, so that a lockout survives a restart, holds
-- across every address, and no flood of other names can clear it; it ends by itself or when an
-- administrator unlocks the account.

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+90 days');

ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_since TEXT;
ALTER TABLE users ADD COLUMN locked_until TEXT;
