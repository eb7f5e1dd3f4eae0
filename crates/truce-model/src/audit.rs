//! The audit log's hash chain: every human action is an entry whose hash covers its own fields
//! and the previous entry's hash, so any edit, insertion or deletion breaks the chain from there
//! on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (a username, or `system`).
    pub actor: String,
    /// What, as a dotted verb (`review.add`, `case.rule`, `incident.merge`).
    pub action: String,
    /// What it was done to (`incident:12`, `user:ana`).
    pub subject: String,
    /// The details (JSON).
    pub detail: String,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This entry's hash ([`chain_hash`]).
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and the entry's fields, each
/// length-prefixed so that no two different entries hash the same input.
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for part in [prev_hash, seq.as_str(), at, actor, action, subject, detail] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry's claim about a row of the record: the hash of the row's content after the change
/// the entry records (`None`: the row was removed). The latest claim about a row must match the
/// row as stored: an edit made straight in the database, without an entry, breaks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// The table (`incidents`, `reviews`, `case_submissions`, ...).
    pub table: String,
    /// The row's key.
    pub key: i64,
    /// The hash of its content ([`content_hash`]), or `None` when it was removed.
    pub hash: Option<String>,
}

/// The hash of a row's content as the store renders it: SHA-256 over the table's name and the
/// content, length-prefixed, hex.
pub fn content_hash(table: &str, content: &str) -> String {
    let mut h = Sha256::new();
    for part in [table, content] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The seals an entry's detail carries (`"seal": [[table, key, hash|null], ...]`).
pub fn seals_in(detail: &str) -> Vec<Seal> {
    // Most entries carry none: skip the parse.
    if !detail.contains("\"seal\"") {
        return Vec::new();
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(detail) else {
        return Vec::new();
    };
    v["seal"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|s| {
                    Some(Seal {
                        table: s.get(0)?.as_str()?.to_string(),
                        key: s.get(1)?.as_i64()?,
                        hash: s.get(2)?.as_str().map(str::to_string),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Seals as an entry's detail carries them.
pub fn seals_json(seals: &[Seal]) -> serde_json::Value {
    serde_json::Value::Array(
        seals
            .iter()
            .map(|s| serde_json::json!([s.table, s.key, s.hash]))
            .collect(),
    )
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The first entry that does not verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

/// Checks entries in order; the first broken link, if any.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
) -> Result<u64, BrokenLink> {
    let mut prev = GENESIS.to_string();
    let mut n = 0;
    for (expected_seq, e) in (1..).zip(entries) {
        if e.seq != expected_seq {
            return Err(BrokenLink {
                seq: e.seq,
                reason: format!("entry {expected_seq} is missing (found {} next)", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Err(BrokenLink {
                seq: e.seq,
                reason: "its previous-hash does not match the entry before it".into(),
            });
        }
        let h = chain_hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            &e.actor,
            &e.action,
            &e.subject,
            &e.detail,
        );
        if h != e.hash {
            return Err(BrokenLink {
                seq: e.seq,
                reason: "its contents do not match its hash (edited)".into(),
            });
        }
        prev = e.hash.clone();
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let at = format!("2026-03-0{seq}T10:00:00Z");
                let detail = format!("{{\"n\":{seq}}}");
                let hash = chain_hash(&prev, seq, &at, "ana", "review.add", "incident:1", &detail);
                let e = AuditEntry {
                    seq,
                    at,
                    actor: "ana".into(),
                    action: "review.add".into(),
                    subject: "incident:1".into(),
                    detail,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn seals_round_trip_through_an_entrys_detail() {
        let seals = vec![
            Seal {
                table: "reviews".into(),
                key: 3,
                hash: Some(content_hash("reviews", "[3,\"x\"]")),
            },
            Seal {
                table: "incidents".into(),
                key: 9,
                hash: None,
            },
        ];
        let detail = serde_json::json!({"note": "n", "seal": seals_json(&seals)}).to_string();
        assert_eq!(seals_in(&detail), seals);
        assert!(seals_in("{\"note\": 1}").is_empty());
        assert!(seals_in("not json \"seal\"").is_empty());
        assert_ne!(content_hash("a", "bc"), content_hash("ab", "c"));
    }

    #[test]
    fn an_intact_chain_verifies_and_any_change_names_the_first_broken_link() {
        let entries = chain(5);
        assert_eq!(verify_chain(&entries), Ok(5));
        let mut edited = entries.clone();
        edited[2].actor = "mallory".into();
        assert_eq!(verify_chain(&edited).unwrap_err().seq, 3);
        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed).unwrap_err().seq, 3);
        let mut rehashed = entries;
        // Rewriting an entry with a fresh hash still breaks the next link.
        rehashed[1].detail = "{}".into();
        rehashed[1].hash = chain_hash(
            &rehashed[1].prev_hash,
            2,
            &rehashed[1].at,
            "ana",
            "review.add",
            "incident:1",
            "{}",
        );
        assert_eq!(verify_chain(&rehashed).unwrap_err().seq, 3);
    }
}
