//! The resolution stage: stored events -> incidents, around whatever changed.
//!
//! After documents are extracted (or re-extracted), only their neighbourhood is re-resolved, and
//! the result is the one a full `truce recluster` gives, without reading every event:
//!
//! 1. Their events are loaded, with the incidents their earlier events were filed under.
//! 2. The neighbourhood of each event that may have changed is searched (the store's candidates
//!    near it in place and time, narrowed by the rules to the compatible ones), and what it
//!    finds is loaded with its incidents (each read whole) and the events people tied to it.
//! 3. Everything loaded is resolved. Every event whose incident comes out different from the
//!    one stored may have changed, and is searched in turn (step 2); when none is left to
//!    search, the incidents are written.
//!
//! Why the events beyond an incident that comes out as it was need not be read: the resolver
//! joins events greedily, strongest compatible pair first, two groups only when every pair
//! across them is compatible, in an order fixed by the pairs alone (`truce_cluster::Resolver`).
//! Groups only grow, so an incident that comes out exactly as stored never held, at any step,
//! an event from outside it: it grew through the same pairs, in the same order, as when it was
//! stored. An event beyond it was compared, step by step, with the same groups as then, and
//! comes out as then; and it is compatible with no event whose incident changed, or step 2
//! would have loaded it. (Before, the neighbourhood was closed over every compatible event: in a
//! long record, chains of reports placed only by country, each compatible with town reports of
//! the days around it, walked it back month after month; at a million incidents a page of 256
//! reports loaded 1,500 events in 90 rounds, with the same result.)

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use truce_cluster::{
    ClusterEvent, Constraint, Resolver, ResolverConfig, Source, Verdict, compare, merge,
};
use truce_model::{DocumentId, EventRef};
use truce_store::{Decision, DecisionKind, NearQuery, NewIncident, Store, StoreError, StoredEvent};

use crate::IngestError;

/// What one run of the stage did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolveSummary {
    /// Events considered (the changed ones and their neighbourhood).
    pub events: usize,
    /// Incidents written.
    pub incidents: usize,
    /// Incidents replaced or removed.
    pub retired: usize,
    /// The ids of the incidents written.
    pub written: Vec<i64>,
    /// Wall time.
    pub elapsed: Duration,
}

pub(crate) fn cluster_event(e: &StoredEvent) -> ClusterEvent {
    let key = EventRef {
        document: e.document_id.0,
        ordinal: e.ordinal,
    };
    ClusterEvent::from_event(key, &e.event, e.published)
}

pub(crate) fn key_of(e: &StoredEvent) -> EventRef {
    EventRef {
        document: e.document_id.0,
        ordinal: e.ordinal,
    }
}

/// Where the store should look for events that may be the same occurrence as `e`.
fn near_query(e: &ClusterEvent, config: &ResolverConfig) -> Option<NearQuery> {
    let (from, to) = e.window()?;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let bbox = match (e.point(), e.reach_km(config)) {
        // Any point-placed partner is within the wider of the two reaches.
        (Some((lat, lon)), Some(_)) => Some(truce_geo::distance::box_around(
            lat,
            lon,
            config.near_km.max(config.same_place_km) + 1.0,
        )),
        _ => None,
    };
    let area = e.country.clone().map(|c| (c, e.admin1.clone()));
    // A report that names no place is matched only with events dated to the day, from the day
    // before its window to the day after (see `truce_cluster::compare`).
    let unplaced =
        (e.time_precision == 1).then(|| (day(from - Days::days(1)), day(to + Days::days(1))));
    // Wider than any partner's window reaches: a week-precision date widens by 3 days, a
    // month-precision one by up to a month before or after its day.
    Some(NearQuery {
        window: (day(from), day(to)),
        from: day(from - Days::days(32)),
        to: day(to + Days::days(32)),
        bbox,
        area,
        whole_area: e.precision() == 3,
        unplaced,
        anywhere: e.point().is_none() && e.country.is_none(),
        event_types: truce_cluster::compatible_kinds(&e.event_type),
    })
}

/// One resolution at a time in this process: a resolution reads a neighbourhood, decides, and
/// writes it back; two at once over overlapping neighbourhoods would each write what the other
/// had not seen. (Another process writing the same database is caught by the store, which
/// refuses a write built on a neighbourhood that changed: see [`resolve_documents`].)
pub(crate) static RESOLVING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How many times a resolution is tried again when another process changed its neighbourhood
/// between its reading and its writing.
const ATTEMPTS: usize = 8;

/// Re-resolves the neighbourhood of these documents' events (their current events, and the
/// incidents their earlier events were in) and rewrites the incidents there.
///
/// Resolutions in one process wait their turn; when another process (a `truce ingest` beside a
/// running server) changed the neighbourhood between the reading and the writing, the store
/// refuses the write (`Conflict`) and the resolution is read and decided again.
pub async fn resolve_documents(
    store: &dyn Store,
    documents: &[DocumentId],
    config: &ResolverConfig,
) -> Result<ResolveSummary, IngestError> {
    let _turn = RESOLVING.lock().await;
    let mut attempt = 1;
    loop {
        match resolve_once(store, documents, config).await {
            Err(IngestError::Store(StoreError::Conflict(why))) if attempt < ATTEMPTS => {
                tracing::debug!("resolution attempt {attempt} met another writer ({why}); again");
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(10 << attempt.min(6))).await;
            }
            other => return other,
        }
    }
}

async fn resolve_once(
    store: &dyn Store,
    documents: &[DocumentId],
    config: &ResolverConfig,
) -> Result<ResolveSummary, IngestError> {
    let started = Instant::now();
    if documents.is_empty() {
        return Ok(ResolveSummary::default());
    }
    let mut loaded: BTreeMap<EventRef, (StoredEvent, ClusterEvent)> = BTreeMap::new();
    // Events loaded whose incidents and decisions are not read yet.
    let mut unsettled: Vec<EventRef> = Vec::new();
    // Events whose neighbourhood is to be searched, and those searched.
    let mut to_search: Vec<EventRef> = Vec::new();
    let mut searched: BTreeSet<EventRef> = BTreeSet::new();
    let mut known_incidents: BTreeSet<i64> = BTreeSet::new();
    // The stored incidents of the loaded events, each read whole.
    let mut stored = Holdings::default();
    let mut decisions: BTreeMap<(EventRef, EventRef), Decision> = BTreeMap::new();
    // Candidate lookups made, candidates read to be compared, resolutions of the loaded events.
    let (mut lookups, mut read, mut passes) = (0, 0, 0);
    let read_again: BTreeSet<i64> = documents.iter().map(|d| d.0).collect();

    let take = |events: Vec<StoredEvent>,
                loaded: &mut BTreeMap<EventRef, (StoredEvent, ClusterEvent)>,
                queue: &mut Vec<EventRef>| {
        for e in events {
            let key = key_of(&e);
            if let std::collections::btree_map::Entry::Vacant(slot) = loaded.entry(key) {
                let ce = cluster_event(&e);
                slot.insert((e, ce));
                queue.push(key);
            }
        }
    };
    take(
        store.events_of_documents(documents).await?,
        &mut loaded,
        &mut unsettled,
    );
    to_search.clone_from(&unsettled);
    let mut fresh_incidents: Vec<i64> = store
        .incidents_of(&[], documents)
        .await?
        .into_iter()
        .map(|(_, id)| id)
        .collect();

    let groups = loop {
        // Every incident touched read whole, and the incidents and decisions of every event
        // loaded (a person's merge brings its partner in).
        loop {
            fresh_incidents.retain(|id| known_incidents.insert(*id));
            if !fresh_incidents.is_empty() {
                let members = store.incident_members(Some(&fresh_incidents)).await?;
                fresh_incidents.clear();
                let mut missing: Vec<EventRef> = Vec::new();
                for (id, r) in members {
                    stored.file(r, id);
                    if !loaded.contains_key(&r) {
                        missing.push(r);
                    }
                }
                if !missing.is_empty() {
                    take(
                        store.events_by_ref(&missing).await?,
                        &mut loaded,
                        &mut unsettled,
                    );
                }
            }
            if unsettled.is_empty() {
                break;
            }
            let batch: Vec<EventRef> = std::mem::take(&mut unsettled);
            fresh_incidents = store
                .incidents_of(&batch, &[])
                .await?
                .into_iter()
                .map(|(_, id)| id)
                .collect();
            let mut partners = Vec::new();
            for d in store.decisions(Some(&batch)).await? {
                for r in [d.a, d.b] {
                    if d.kind == DecisionKind::Together && !loaded.contains_key(&r) {
                        partners.push(r);
                    }
                }
                decisions.insert((d.a, d.b), d);
            }
            if !partners.is_empty() {
                take(
                    store.events_by_ref(&partners).await?,
                    &mut loaded,
                    &mut unsettled,
                );
            }
        }
        if !to_search.is_empty() {
            let round: Vec<EventRef> = std::mem::take(&mut to_search);
            // Compatible events near each: the candidates of the whole round found in one
            // call, the ones not loaded yet read in one more, each compared with the events
            // whose neighbourhood it lies in.
            let (keys, queries): (Vec<EventRef>, Vec<NearQuery>) = round
                .iter()
                .filter_map(|key| Some((*key, near_query(&loaded[key].1, config)?)))
                .unzip();
            searched.extend(round);
            let found = store.event_refs_near(&queries).await?;
            lookups += queries.len();
            let unseen: BTreeSet<EventRef> = found
                .iter()
                .flatten()
                .filter(|r| !loaded.contains_key(r))
                .copied()
                .collect();
            if !unseen.is_empty() {
                let unseen: Vec<EventRef> = unseen.into_iter().collect();
                read += unseen.len();
                let mut candidates: BTreeMap<EventRef, (StoredEvent, ClusterEvent)> = store
                    .events_by_ref(&unseen)
                    .await?
                    .into_iter()
                    .map(|e| {
                        let ce = cluster_event(&e);
                        (key_of(&e), (e, ce))
                    })
                    .collect();
                let mut compatible: BTreeSet<EventRef> = BTreeSet::new();
                for (key, refs) in keys.iter().zip(&found) {
                    let event = &loaded[key].1;
                    for r in refs {
                        if compatible.contains(r) {
                            continue;
                        }
                        if let Some((_, candidate)) = candidates.get(r)
                            && matches!(compare(event, candidate, config), Verdict::Same(_))
                        {
                            compatible.insert(*r);
                        }
                    }
                }
                for r in compatible {
                    if let Some(pair) = candidates.remove(&r) {
                        loaded.insert(r, pair);
                        unsettled.push(r);
                    }
                }
            }
            continue;
        }
        // Everything loaded is settled and searched where it must be: resolve it, and search
        // around every event whose incident comes out different from the one stored. Around an
        // incident that comes out as it was nothing is searched: the events beyond it were
        // resolved beside it as it is, and nothing they were compared with has changed (see
        // the module's documentation).
        passes += 1;
        let groups = group_loaded(&loaded, decisions.values(), config);
        to_search = groups
            .iter()
            .filter(|g| stored.holds(g, &read_again).is_none())
            .flatten()
            .filter(|e| !searched.contains(e))
            .copied()
            .collect();
        if to_search.is_empty() {
            break groups;
        }
    };
    let new = merge_groups(&loaded, groups);
    let previous: BTreeMap<EventRef, i64> = store
        .incidents_of(&loaded.keys().copied().collect::<Vec<_>>(), documents)
        .await?
        .into_iter()
        .collect();
    let new = keep_ids(new, &previous);
    // An incident of the neighbourhood that comes out as it was (its id, its events, none of
    // them read again) is left where it is: neither rewritten nor assessed again.
    let (unchanged, new) = unchanged_incidents(new, &previous, &read_again);
    let retire: Vec<i64> = known_incidents
        .iter()
        .filter(|id| !unchanged.contains(id))
        .copied()
        .collect();
    let written = store
        .replace_incidents(Some(&retire), &new, documents)
        .await?;
    tracing::debug!(
        documents = documents.len(),
        events = loaded.len(),
        lookups,
        read,
        passes,
        retired = retire.len(),
        written = written.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "resolved a neighbourhood"
    );
    Ok(ResolveSummary {
        events: loaded.len(),
        incidents: written.len(),
        retired: retire.len(),
        elapsed: started.elapsed(),
        written,
    })
}

/// [`resolve_documents`], then the incidents it wrote held against the agreements and the
/// register of protected sites ([`crate::monitor_incidents`]): what every path that changes
/// events does next.
pub async fn resolve_and_assess(
    store: &dyn Store,
    documents: &[DocumentId],
    alert_rule: truce_monitor::AlertRule,
) -> Result<(ResolveSummary, crate::MonitorSummary), IngestError> {
    let resolved = resolve_documents(store, documents, &ResolverConfig::default()).await?;
    let monitored = crate::monitor_incidents(store, Some(&resolved.written), alert_rule).await?;
    Ok((resolved, monitored))
}

/// Groups loaded events under people's decisions into incidents (each a sorted list of keys).
fn group_loaded<'a>(
    loaded: &BTreeMap<EventRef, (StoredEvent, ClusterEvent)>,
    decisions: impl Iterator<Item = &'a Decision>,
    config: &ResolverConfig,
) -> Vec<Vec<EventRef>> {
    let mut resolver = decided_resolver(decisions, config);
    for (_, ce) in loaded.values() {
        resolver.add(ce.clone());
    }
    resolver.incidents()
}

/// An empty resolver bound by people's decisions.
pub(crate) fn decided_resolver<'a>(
    decisions: impl Iterator<Item = &'a Decision>,
    config: &ResolverConfig,
) -> Resolver {
    let mut resolver = Resolver::new(*config);
    for d in decisions {
        resolver.constrain(match d.kind {
            DecisionKind::Together => Constraint::Together { a: d.a, b: d.b },
            DecisionKind::Apart => Constraint::Apart { a: d.a, b: d.b },
        });
    }
    resolver
}

/// Merges each group of loaded events into an incident record (ids not yet chosen).
fn merge_groups(
    loaded: &BTreeMap<EventRef, (StoredEvent, ClusterEvent)>,
    groups: Vec<Vec<EventRef>>,
) -> Vec<NewIncident> {
    groups
        .into_iter()
        .filter_map(|keys| merge_group(keys.iter().filter_map(|k| loaded.get(k).map(|(e, _)| e))))
        .collect()
}

/// Merges the events of one group into an incident record (its id not yet chosen).
pub(crate) fn merge_group<'a>(
    events: impl Iterator<Item = &'a StoredEvent>,
) -> Option<NewIncident> {
    let sources: Vec<Source<'_>> = events
        .map(|e| Source {
            key: key_of(e),
            event: &e.event,
            reported: e.published,
        })
        .collect();
    merge(&sources).map(|incident| NewIncident { id: None, incident })
}

/// Stored incidents by their events: which incident each event is filed under, and each
/// incident's events.
#[derive(Debug, Default)]
struct Holdings {
    incident_of: BTreeMap<EventRef, i64>,
    events: BTreeMap<i64, BTreeSet<EventRef>>,
}

impl Holdings {
    /// Notes that `event` is filed under incident `id`.
    fn file(&mut self, event: EventRef, id: i64) {
        self.incident_of.insert(event, id);
        self.events.entry(id).or_default().insert(event);
    }

    /// The stored incident that is exactly these events, none of them just read again from a
    /// document of `read_again` (whose merged record would then be written the same), if any.
    fn holds(&self, events: &[EventRef], read_again: &BTreeSet<i64>) -> Option<i64> {
        let id = *self.incident_of.get(events.first()?)?;
        let held = self.events.get(&id)?;
        (held.len() == events.len()
            && events
                .iter()
                .all(|e| held.contains(e) && !read_again.contains(&e.document)))
        .then_some(id)
    }
}

/// Splits the incidents a resolution came to into the ids of those the store already holds as
/// they are (the same id, exactly the same events, none of them read again) and the others,
/// which are written.
fn unchanged_incidents(
    new: Vec<NewIncident>,
    previous: &BTreeMap<EventRef, i64>,
    read_again: &BTreeSet<i64>,
) -> (BTreeSet<i64>, Vec<NewIncident>) {
    let mut held = Holdings::default();
    for (event, id) in previous {
        held.file(*event, *id);
    }
    let mut unchanged = BTreeSet::new();
    let mut changed = Vec::with_capacity(new.len());
    for n in new {
        match n.id {
            Some(id) if held.holds(&n.incident.sources, read_again) == Some(id) => {
                unchanged.insert(id);
            }
            _ => changed.push(n),
        }
    }
    (unchanged, changed)
}

/// Gives each new incident the id of the incident its first event was in, unless an earlier new
/// incident took it; otherwise the id most of its events were in; otherwise a fresh one.
pub(crate) fn keep_ids(
    mut new: Vec<NewIncident>,
    previous: &BTreeMap<EventRef, i64>,
) -> Vec<NewIncident> {
    let mut taken: BTreeSet<i64> = BTreeSet::new();
    for n in &mut new {
        let first = n
            .incident
            .sources
            .first()
            .and_then(|k| previous.get(k))
            .copied();
        let id = first.filter(|id| !taken.contains(id)).or_else(|| {
            let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
            for k in &n.incident.sources {
                if let Some(id) = previous.get(k).filter(|id| !taken.contains(id)) {
                    *counts.entry(*id).or_default() += 1;
                }
            }
            counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(id, _)| id)
        });
        if let Some(id) = id {
            taken.insert(id);
        }
        n.id = id;
    }
    new
}
