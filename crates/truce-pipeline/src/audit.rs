//! Whether the record can be trusted: the audit log checked as a hash chain, as a Merkle tree
//! against every signed head issued or published before, and against the rows it vouches for.
//!
//! - An edited or deleted entry breaks the chain.
//! - Entries cut from the end (truncation), or a log rewritten with every hash recomputed, no
//!   longer match a head published before: the log is shorter than the head, or its first
//!   entries have another root.
//! - A row of the record edited straight in the database (an incident, a review, a case item,
//!   a ruling), without an entry, no longer matches the latest seal an entry made of it.

use std::collections::HashMap;

use chrono::Utc;
use truce_model::merkle::{Hash32, TreeBuilder, from_hex, to_hex};
use truce_model::{
    AuditEntry, BrokenLink, PublicKey, SignedTreeHead, SigningKey, TreeHead, seals_in, verify_chain,
};
use truce_store::Store;

use crate::IngestError;

/// What a check of one head found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadCheck {
    /// The head, as printed.
    pub head: String,
    /// Where it came from (`given`, `issued`).
    pub origin: &'static str,
    /// `Ok` with a note when it holds; why not otherwise.
    pub outcome: Result<&'static str, String>,
}

/// A row whose content does not match what the log says of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowFinding {
    /// The table.
    pub table: String,
    /// The row's key.
    pub key: i64,
}

impl std::fmt::Display for RowFinding {
    /// `table:key`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.table, self.key)
    }
}

/// Everything `truce audit verify` found.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// Entries in the log.
    pub entries: u64,
    /// The Merkle root over them.
    pub root: Hash32,
    /// The chain: intact, or its first broken link.
    pub chain: Result<(), BrokenLink>,
    /// Each head held against the log.
    pub heads: Vec<HeadCheck>,
    /// Rows sealed: how many were checked.
    pub rows_checked: usize,
    /// Rows whose content differs from their latest seal (edited without an entry).
    pub altered: Vec<RowFinding>,
    /// Rows no entry vouches for (written without an entry, or before seals existed: `truce
    /// audit seal` vouches for those once).
    pub unvouched: Vec<RowFinding>,
    /// Rows an entry vouches for that are gone (deleted without an entry).
    pub missing: Vec<RowFinding>,
}

impl AuditReport {
    /// Whether nothing was found wrong.
    pub fn intact(&self) -> bool {
        self.chain.is_ok()
            && self.heads.iter().all(|h| h.outcome.is_ok())
            && self.altered.is_empty()
            && self.unvouched.is_empty()
            && self.missing.is_empty()
    }
}

/// Every entry of the log (of one subject: `incident:12`), in order.
pub async fn all_entries(
    store: &dyn Store,
    subject: Option<&str>,
) -> Result<Vec<AuditEntry>, IngestError> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = store.audit(subject, after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        all.extend(page);
    }
    Ok(all)
}

/// An entry as a leaf of the tree: its chain hash's bytes.
fn leaf(e: &AuditEntry) -> Vec<u8> {
    from_hex(&e.hash).map_or_else(|| e.hash.as_bytes().to_vec(), |h| h.to_vec())
}

/// The log's head now (size and root), unsigned.
pub async fn current_head(store: &dyn Store) -> Result<TreeHead, IngestError> {
    let mut tree = TreeBuilder::new();
    for e in all_entries(store, None).await? {
        tree.push(&leaf(&e));
    }
    Ok(TreeHead {
        size: tree.size(),
        root: tree.root(),
        at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// Signs the log's head now with the installation's key and keeps a copy in the store.
pub async fn issue_head(
    store: &dyn Store,
    key: &SigningKey,
) -> Result<SignedTreeHead, IngestError> {
    issue(store, key, current_head(store).await?).await
}

/// Signs a head with the installation's key and keeps a copy in the store.
pub async fn issue(
    store: &dyn Store,
    key: &SigningKey,
    head: TreeHead,
) -> Result<SignedTreeHead, IngestError> {
    let sth = key.sign(head);
    store
        .save_tree_head(sth.head.size, &sth.to_string())
        .await?;
    Ok(sth)
}

/// Checks the log: its chain, every head given and issued before (signatures with `key` when
/// given), and every sealed row.
pub async fn verify_audit(
    store: &dyn Store,
    given: &[SignedTreeHead],
    key: Option<&PublicKey>,
) -> Result<AuditReport, IngestError> {
    let entries = all_entries(store, None).await?;
    let chain = verify_chain(&entries).map(|_| ());

    // Heads to hold the log to: those given, then those issued (kept in the store).
    let mut heads: Vec<(SignedTreeHead, &'static str, String)> = given
        .iter()
        .map(|h| (h.clone(), "given", h.to_string()))
        .collect();
    let mut bad_lines = Vec::new();
    for line in store.tree_heads().await? {
        match line.parse::<SignedTreeHead>() {
            Ok(h) => heads.push((h, "issued", line)),
            Err(e) => bad_lines.push(HeadCheck {
                head: line,
                origin: "issued",
                outcome: Err(e.to_string()),
            }),
        }
    }
    let mut wanted: HashMap<u64, Option<Hash32>> =
        heads.iter().map(|(h, _, _)| (h.head.size, None)).collect();
    let mut tree = TreeBuilder::new();
    if let Some(slot) = wanted.get_mut(&0) {
        *slot = Some(tree.root());
    }
    for e in &entries {
        tree.push(&leaf(e));
        if let Some(slot) = wanted.get_mut(&tree.size()) {
            *slot = Some(tree.root());
        }
    }
    let mut seals = latest_seals(&entries);
    let mut checks = bad_lines;
    for (h, origin, line) in heads {
        let signature = match key.map(|k| k.verify(&h)) {
            Some(Err(e)) => Err(e.to_string()),
            Some(Ok(())) => Ok("holds, signature checked"),
            None => Ok("holds (signature not checked: no public key)"),
        };
        let outcome = match wanted.get(&h.head.size).copied().flatten() {
            None => Err(format!(
                "the log holds {} entries, fewer than the {} this head pinned: entries were cut \
                 from its end",
                tree.size(),
                h.head.size
            )),
            Some(root) if root != h.head.root => Err(format!(
                "the first {} entries have root {}, not the {} this head pinned: the log was \
                 rewritten",
                h.head.size,
                to_hex(&root),
                to_hex(&h.head.root)
            )),
            Some(_) => signature,
        };
        checks.push(HeadCheck {
            head: line,
            origin,
            outcome,
        });
    }

    let rows = store.sealed_rows().await?;
    let (mut altered, mut unvouched) = (Vec::new(), Vec::new());
    let rows_checked = rows.len();
    for r in rows {
        let finding = RowFinding {
            table: r.table.clone(),
            key: r.key,
        };
        match seals.remove(&(r.table, r.key)) {
            None => unvouched.push(finding),
            Some(sealed) if sealed != r.hash => altered.push(finding),
            Some(_) => {}
        }
    }
    let mut missing: Vec<RowFinding> = seals
        .into_iter()
        .filter(|(_, hash)| hash.is_some())
        .map(|((table, key), _)| RowFinding { table, key })
        .collect();
    missing.sort();
    Ok(AuditReport {
        entries: tree.size(),
        root: tree.root(),
        chain,
        heads: checks,
        rows_checked,
        altered,
        unvouched,
        missing,
    })
}

/// The latest seal of every row the entries vouch for (`None`: removed).
fn latest_seals(entries: &[AuditEntry]) -> HashMap<(String, i64), Option<String>> {
    let mut seals = HashMap::new();
    for e in entries {
        for s in seals_in(&e.detail) {
            seals.insert((s.table, s.key), s.hash);
        }
    }
    seals
}

/// Vouches once for rows no entry vouches for (a database from before seals existed): entries
/// by `actor` sealing them as they stand. Returns how many.
pub async fn seal_unvouched(store: &dyn Store, actor: &str) -> Result<usize, IngestError> {
    let vouched = latest_seals(&all_entries(store, None).await?);
    let seals: Vec<truce_model::Seal> = store
        .sealed_rows()
        .await?
        .into_iter()
        .filter(|s| !vouched.contains_key(&(s.table.clone(), s.key)))
        .collect();
    for chunk in seals.chunks(5000) {
        store
            .append_audit(&truce_store::NewAudit::staff(
                actor,
                "audit.seal",
                "audit",
                serde_json::json!({"seal": truce_model::seals_json(chunk)}),
            ))
            .await?;
    }
    Ok(seals.len())
}
