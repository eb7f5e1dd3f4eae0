-- Signed heads of the audit log's Merkle tree, as issued (printed in a daily report, shown on
-- the public page, asked for with `truce audit head`). Copies kept for convenience: the heads
-- that count are those published outside the database.
CREATE TABLE audit_heads (
    id             INTEGER PRIMARY KEY,
    size           INTEGER NOT NULL,
    line           TEXT NOT NULL UNIQUE,     -- the signed head, as printed
    issued_at      TEXT NOT NULL
);
