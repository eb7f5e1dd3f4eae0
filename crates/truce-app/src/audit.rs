//! The audit log as a proof: its signed head (issued for reports and exports, each kept on the
//! log) and its full check (the chain, the heads issued before, every row it vouches for).

use truce_model::{AuditEntry, PublicKey, SignedTreeHead, SigningKey};
pub use truce_pipeline::audit::{AuditReport, HeadCheck, RowFinding};
use truce_store::Store;

use crate::AppError;

/// The log's head signed with `key`: `last` again when the log has not grown since it was
/// issued, else a new head, kept on the log.
pub async fn signed_head(
    store: &dyn Store,
    key: &SigningKey,
    last: Option<&SignedTreeHead>,
) -> Result<SignedTreeHead, AppError> {
    let head = truce_pipeline::audit::current_head(store).await?;
    match last {
        Some(sth) if (sth.head.size, sth.head.root) == (head.size, head.root) => Ok(sth.clone()),
        _ => Ok(truce_pipeline::audit::issue(store, key, head).await?),
    }
}

/// Checks the whole log: its chain, the `given` heads and those it kept (signatures against
/// `key`), and every row it vouches for.
pub async fn verify(
    store: &dyn Store,
    given: &[SignedTreeHead],
    key: Option<&PublicKey>,
) -> Result<AuditReport, AppError> {
    Ok(truce_pipeline::audit::verify_audit(store, given, key).await?)
}

/// Signs the log's head now with `key` and keeps it on the log (a daily report pins it).
pub async fn issue_head(store: &dyn Store, key: &SigningKey) -> Result<SignedTreeHead, AppError> {
    Ok(truce_pipeline::audit::issue_head(store, key).await?)
}

/// Every entry of the log (of one subject: `incident:12`), in order.
pub async fn entries(
    store: &dyn Store,
    subject: Option<&str>,
) -> Result<Vec<AuditEntry>, AppError> {
    Ok(truce_pipeline::audit::all_entries(store, subject).await?)
}

/// Vouches once, as `actor`, for the rows no entry vouches for (a database from before seals
/// existed). Returns how many.
pub async fn seal_unvouched(store: &dyn Store, actor: &str) -> Result<usize, AppError> {
    Ok(truce_pipeline::audit::seal_unvouched(store, actor).await?)
}
