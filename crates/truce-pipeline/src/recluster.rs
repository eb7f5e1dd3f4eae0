//! `truce recluster`: every stored event resolved again from scratch, in memory that does not
//! grow with the record.
//!
//! Two passes over the events:
//!
//! 1. Every event is read once, in key order, for the day its window starts (and which incident
//!    it is filed under now): about 40 bytes an event are kept.
//! 2. The events are read again in the order their windows start, a page at a time, and added
//!    to a sweeping [`Resolver`]: before each page, every group no later event can reach is
//!    cut into incidents and let go ([`Resolver::close_before`]), so that only the weeks the
//!    sweep is in are held. The incidents are the ones resolving every event at once gives.
//!
//! The incidents are written as they come, in units of about 2,000 incidents, each unit in
//! one transaction that retires the stored incidents its events were filed under: a unit is
//! closed only where no stored incident is split between it and a later one, so each incident
//! keeps its id by the same rule as before ([`crate::resolve::keep_ids`], over the incidents in
//! the order of their first events), a person's corrections follow it, and the record is whole
//! between two units (every event in one incident: the new ones written so far, the stored ones
//! for the rest). A recluster stopped halfway leaves a record resolved partly anew and partly as
//! it was, and running it again finishes it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use chrono::NaiveDate;
use truce_cluster::ResolverConfig;
use truce_model::{DocumentId, EventRef};
use truce_store::{NewIncident, PendingStage, Store, StoredEvent};

use crate::IngestError;
use crate::resolve::{
    RESOLVING, ResolveSummary, cluster_event, decided_resolver, keep_ids, key_of, merge_group,
};

/// How many incidents a unit of the rewrite holds before it is written (more where a stored
/// incident spans what follows), and how many events the sweep reads at once.
const UNIT: usize = 2_000;

/// How many events the first pass reads at once.
const PAGE: usize = 2_000;

/// Resolves every stored event from scratch and rewrites all incidents. Decisions are kept and
/// applied; incidents keep their ids where their first event stays theirs. Memory holds about
/// 40 bytes an event and the events of the weeks being resolved, not the record.
pub async fn recluster(
    store: &dyn Store,
    config: &ResolverConfig,
) -> Result<ResolveSummary, IngestError> {
    recluster_in_units(store, config, UNIT).await
}

/// [`recluster`], reading the events of the sweep `unit` at a time and writing units of about
/// `unit` incidents (at least one): smaller units hold less between two writes, and read and
/// write in more statements.
pub async fn recluster_in_units(
    store: &dyn Store,
    config: &ResolverConfig,
    unit: usize,
) -> Result<ResolveSummary, IngestError> {
    let started = Instant::now();
    let _turn = RESOLVING.lock().await;
    let mut filed: Vec<(EventRef, i64)> = store
        .incident_members(None)
        .await?
        .into_iter()
        .map(|(id, r)| (r, id))
        .collect();
    filed.sort_unstable();
    let mut rewrite = Rewrite {
        filed,
        unit: unit.max(1),
        ..Rewrite::default()
    };

    // 1. Each event's first day, and how many events each stored incident holds.
    let mut order: Vec<(Option<NaiveDate>, EventRef)> = Vec::new();
    let mut after = None;
    loop {
        let page = store.events_in_order(after, PAGE as u32).await?;
        let Some(last) = page.last() else { break };
        after = Some(key_of(last));
        for e in &page {
            let key = key_of(e);
            order.push((cluster_event(e).window().map(|w| w.0), key));
            if let Some(id) = rewrite.was(key) {
                *rewrite.left.entry(id).or_default() += 1;
            }
        }
    }
    order.sort_unstable();

    // 2. The sweep.
    let mut resolver = decided_resolver(store.decisions(None).await?.iter(), config);
    let mut held: HashMap<EventRef, StoredEvent> = HashMap::new();
    let mut most_held = 0;
    for page in order.chunks(rewrite.unit) {
        // The page's first event starts first of all those still to come.
        if let Some(start) = page[0].0 {
            let groups = resolver.close_before(start);
            rewrite.take(groups, &mut held);
            rewrite.write_if_closed(store, false).await?;
        }
        let keys: Vec<EventRef> = page.iter().map(|(_, k)| *k).collect();
        // Each event read and reduced again: the first pass kept only its first day, so that
        // what is held stays the sweep's weeks.
        for e in store.events_by_ref(&keys).await? {
            if resolver.add(cluster_event(&e)) {
                held.insert(key_of(&e), e);
            }
        }
        most_held = most_held.max(resolver.len());
    }
    let groups = resolver.incidents();
    rewrite.take(groups, &mut held);
    rewrite.write_if_closed(store, true).await?;

    // Stored incidents none of whose events exists any more go too, and the documents waiting
    // for resolution are resolved (those whose events are all filed leave the queue).
    let mut stored: Vec<i64> = rewrite.filed.iter().map(|(_, id)| *id).collect();
    stored.sort_unstable();
    stored.dedup();
    let left_over: Vec<i64> = stored
        .iter()
        .filter(|id| !rewrite.retired.contains(id))
        .copied()
        .collect();
    if !left_over.is_empty() {
        store.replace_incidents(Some(&left_over), &[], &[]).await?;
    }
    let mut after = None;
    loop {
        let waiting = store
            .pending_documents(PendingStage::Resolve, after, 5_000)
            .await?;
        let Some(last) = waiting.last().copied() else {
            break;
        };
        // Taken off the queue, and put back if one of its events is in no incident.
        store.replace_incidents(Some(&[]), &[], &waiting).await?;
        after = Some(last);
    }
    tracing::debug!(
        events = order.len(),
        most_held,
        incidents = rewrite.written.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "reclustered"
    );
    Ok(ResolveSummary {
        events: order.len(),
        incidents: rewrite.written.len(),
        retired: stored.len(),
        elapsed: started.elapsed(),
        written: rewrite.written,
    })
}

/// The incidents resolved and not yet written, and what is needed to write them.
#[derive(Default)]
struct Rewrite {
    /// How many incidents a unit holds before it is written.
    unit: usize,
    /// Where each event was filed when the recluster began, by event.
    filed: Vec<(EventRef, i64)>,
    /// For each stored incident, how many of its events are not resolved yet.
    left: HashMap<i64, u32>,
    /// Stored incidents some but not all of whose events are resolved.
    split: HashSet<i64>,
    /// The unit: incidents resolved, by their first event.
    new: Vec<(EventRef, NewIncident)>,
    /// The unit's events where they were filed.
    previous: BTreeMap<EventRef, i64>,
    /// The unit's stored incidents, to retire.
    retire: BTreeSet<i64>,
    /// The unit's documents.
    documents: BTreeSet<i64>,
    /// Stored incidents retired so far.
    retired: HashSet<i64>,
    /// Incidents written so far.
    written: Vec<i64>,
}

impl Rewrite {
    fn was(&self, key: EventRef) -> Option<i64> {
        self.filed
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.filed[i].1)
    }

    /// Adds resolved groups to the unit, merged into incident records; their events are let go.
    fn take(&mut self, groups: Vec<Vec<EventRef>>, held: &mut HashMap<EventRef, StoredEvent>) {
        for keys in groups {
            let events: Vec<StoredEvent> = keys.iter().filter_map(|k| held.remove(k)).collect();
            for e in &events {
                let key = key_of(e);
                self.documents.insert(key.document);
                if let Some(id) = self.was(key) {
                    self.previous.insert(key, id);
                    self.retire.insert(id);
                    let left = self.left.entry(id).or_default();
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        self.split.remove(&id);
                    } else {
                        self.split.insert(id);
                    }
                }
            }
            if let (Some(first), Some(incident)) = (keys.first(), merge_group(events.iter())) {
                self.new.push((*first, incident));
            }
        }
    }

    /// Writes the unit when it is large enough and no stored incident is split between it and
    /// what follows, or when it is the `last` (whatever a stored incident still waits for: an
    /// event removed since the first pass).
    async fn write_if_closed(&mut self, store: &dyn Store, last: bool) -> Result<(), IngestError> {
        if !last && (!self.split.is_empty() || self.new.len() < self.unit) {
            return Ok(());
        }
        if self.new.is_empty() && self.retire.is_empty() {
            return Ok(());
        }
        let mut new = std::mem::take(&mut self.new);
        new.sort_unstable_by_key(|(first, _)| *first);
        let new = keep_ids(
            new.into_iter().map(|(_, n)| n).collect(),
            &std::mem::take(&mut self.previous),
        );
        let retire: Vec<i64> = std::mem::take(&mut self.retire).into_iter().collect();
        let documents: Vec<DocumentId> = std::mem::take(&mut self.documents)
            .into_iter()
            .map(DocumentId)
            .collect();
        let written = store
            .replace_incidents(Some(&retire), &new, &documents)
            .await?;
        self.retired.extend(retire);
        self.written.extend(written);
        Ok(())
    }
}
