//! The register of watched sources: what is fetched, how often, and what its fetches found.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use truce_model::{SourceState, WatchKind, WatchedSource};

use crate::StoreError;

/// A source to add to the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSource {
    /// What is fetched (an absolute http or https URL).
    pub url: String,
    /// What people call it.
    pub name: String,
    /// What it serves.
    pub kind: WatchKind,
    /// Seconds between fetches.
    pub every_secs: u32,
    /// Whether the article each feed item links to is fetched too.
    pub follow_links: bool,
}

/// Storage of the register of watched sources.
#[async_trait]
pub trait SourceRegister: Send + Sync {
    /// Adds a source, due at once; audited as `source.add`. A URL already registered is a
    /// [`StoreError::Conflict`].
    async fn add_source(
        &self,
        source: &NewSource,
        actor: &str,
    ) -> Result<WatchedSource, StoreError>;

    /// Every source, in the order they were added.
    async fn sources(&self) -> Result<Vec<WatchedSource>, StoreError>;

    /// One source.
    async fn source(&self, id: i64) -> Result<Option<WatchedSource>, StoreError>;

    /// Pauses or resumes a source; a resumed one is due at once, and so is one resumed that was
    /// not paused (a fetch asked for now). A change is audited as `source.pause` or
    /// `source.resume`. `None` when there is no such source.
    async fn set_source_paused(
        &self,
        id: i64,
        paused: bool,
        actor: &str,
    ) -> Result<Option<WatchedSource>, StoreError>;

    /// Takes a source off the register with the items it read (the reports it brought stay);
    /// audited as `source.remove`. `false` when there is no such source.
    async fn remove_source(&self, id: i64, actor: &str) -> Result<bool, StoreError>;

    /// Takes the sources not paused that are due by `now`, the most overdue first, at most
    /// `limit` (by the index on when they are due), and moves each one's next fetch to
    /// `lease_until`, so that it is not taken again while it is being fetched; a watcher that
    /// dies meanwhile leaves it due again then. The sources come back as they were before
    /// (`state.next_fetch_at` when they were due).
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WatchedSource>, StoreError>;

    /// When the next source not paused is due.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Records what a fetch found (the state [`SourceState::after_fetch`] gives) and marks
    /// `items` read, in one transaction. A source removed meanwhile is left removed.
    async fn record_fetch(
        &self,
        id: i64,
        state: &SourceState,
        items: &[String],
    ) -> Result<(), StoreError>;

    /// Which of `items` the source has not read yet, in the order given.
    async fn unread_items(&self, id: i64, items: &[String]) -> Result<Vec<String>, StoreError>;
}
