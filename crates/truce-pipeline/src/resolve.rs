//! The resolution stage: stored events -> incidents, around whatever changed.
//!
//! After documents are extracted (or re-extracted), only their neighbourhood is re-resolved: their
//! events, the events the store offers as candidates near them in place and time, and, step by
//! step, everything connected to those (compatible events, the incidents they were filed under,
//! the events people tied them to). That closed neighbourhood is resolved from scratch, so the
//! result is the one a full `truce recluster` gives, without reading every event.

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

fn cluster_event(e: &StoredEvent) -> ClusterEvent {
    let key = EventRef {
        document: e.document_id.0,
        ordinal: e.ordinal,
    };
    ClusterEvent::from_event(key, &e.event, e.published)
}

fn key_of(e: &StoredEvent) -> EventRef {
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
static RESOLVING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
    let mut queue: Vec<EventRef> = Vec::new();
    let mut known_incidents: BTreeSet<i64> = BTreeSet::new();
    let mut decisions: BTreeMap<(EventRef, EventRef), Decision> = BTreeMap::new();
    // Candidate lookups made, and candidates read to be compared.
    let (mut lookups, mut read) = (0, 0);

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
        &mut queue,
    );
    let mut fresh_incidents: Vec<i64> = store
        .incidents_of(&[], documents)
        .await?
        .into_iter()
        .map(|(_, id)| id)
        .collect();

    loop {
        // Members of incidents not yet seen.
        fresh_incidents.retain(|id| known_incidents.insert(*id));
        if !fresh_incidents.is_empty() {
            let members: Vec<EventRef> = store
                .incident_members(Some(&fresh_incidents))
                .await?
                .into_iter()
                .map(|(_, r)| r)
                .filter(|r| !loaded.contains_key(r))
                .collect();
            fresh_incidents.clear();
            if !members.is_empty() {
                take(
                    store.events_by_ref(&members).await?,
                    &mut loaded,
                    &mut queue,
                );
            }
        }
        if queue.is_empty() {
            break;
        }
        let round: Vec<EventRef> = std::mem::take(&mut queue);
        // Compatible events near each new one: the candidates of the whole round found in one
        // call, the ones not loaded yet read in one more, each compared with the events whose
        // neighbourhood it lies in.
        let (searched, queries): (Vec<EventRef>, Vec<NearQuery>) = round
            .iter()
            .filter_map(|key| Some((*key, near_query(&loaded[key].1, config)?)))
            .unzip();
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
            for (key, refs) in searched.iter().zip(&found) {
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
                    queue.push(r);
                }
            }
        }
        // The incidents this round's events are filed under, and the events people tied them to.
        fresh_incidents = store
            .incidents_of(&round, &[])
            .await?
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let mut partners = Vec::new();
        for d in store.decisions(Some(&round)).await? {
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
                &mut queue,
            );
        }
    }

    let new = resolve_loaded(&loaded, decisions.values(), config);
    let previous: BTreeMap<EventRef, i64> = store
        .incidents_of(&loaded.keys().copied().collect::<Vec<_>>(), documents)
        .await?
        .into_iter()
        .collect();
    let new = keep_ids(new, &previous);
    // An incident of the neighbourhood that comes out as it was (its id, its events, none of
    // them read again) is left where it is: neither rewritten nor assessed again.
    let (unchanged, new) = unchanged_incidents(new, &previous, documents);
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

/// Resolves every stored event from scratch and rewrites all incidents. Decisions are kept and
/// applied; incidents keep their ids where their first event stays theirs.
pub async fn recluster(
    store: &dyn Store,
    config: &ResolverConfig,
) -> Result<ResolveSummary, IngestError> {
    let started = Instant::now();
    let mut loaded: BTreeMap<EventRef, (StoredEvent, ClusterEvent)> = BTreeMap::new();
    let mut after = None;
    loop {
        let page = store.events_in_order(after, 5000).await?;
        let Some(last) = page.last() else { break };
        after = Some(key_of(last));
        for e in page {
            let ce = cluster_event(&e);
            loaded.insert(key_of(&e), (e, ce));
        }
    }
    let decisions = store.decisions(None).await?;
    let new = resolve_loaded(&loaded, decisions.iter(), config);
    let previous: BTreeMap<EventRef, i64> = store
        .incident_members(None)
        .await?
        .into_iter()
        .map(|(id, r)| (r, id))
        .collect();
    let retired = previous.values().collect::<BTreeSet<_>>().len();
    let new = keep_ids(new, &previous);
    let written = store.replace_incidents(None, &new, &[]).await?;
    Ok(ResolveSummary {
        events: loaded.len(),
        incidents: written.len(),
        retired,
        elapsed: started.elapsed(),
        written,
    })
}

/// Resolves loaded events under people's decisions into merged incidents (ids not yet chosen).
fn resolve_loaded<'a>(
    loaded: &BTreeMap<EventRef, (StoredEvent, ClusterEvent)>,
    decisions: impl Iterator<Item = &'a Decision>,
    config: &ResolverConfig,
) -> Vec<NewIncident> {
    let mut resolver = Resolver::new(*config);
    for d in decisions {
        resolver.constrain(match d.kind {
            DecisionKind::Together => Constraint::Together { a: d.a, b: d.b },
            DecisionKind::Apart => Constraint::Apart { a: d.a, b: d.b },
        });
    }
    for (_, ce) in loaded.values() {
        resolver.add(ce.clone());
    }
    resolver
        .incidents()
        .into_iter()
        .filter_map(|keys| {
            let sources: Vec<Source<'_>> = keys
                .iter()
                .filter_map(|k| loaded.get(k))
                .map(|(e, _)| Source {
                    key: key_of(e),
                    event: &e.event,
                    reported: e.published,
                })
                .collect();
            merge(&sources).map(|incident| NewIncident { id: None, incident })
        })
        .collect()
}

/// Splits the incidents a resolution came to into the ids of those the store already holds as
/// they are (the same id, exactly the same events, none of them from `read_again`, the documents
/// whose events were just extracted: their merged record would be written the same) and the
/// others, which are written.
fn unchanged_incidents(
    new: Vec<NewIncident>,
    previous: &BTreeMap<EventRef, i64>,
    read_again: &[DocumentId],
) -> (BTreeSet<i64>, Vec<NewIncident>) {
    let mut held: BTreeMap<i64, BTreeSet<EventRef>> = BTreeMap::new();
    for (event, id) in previous {
        held.entry(*id).or_default().insert(*event);
    }
    let read_again: BTreeSet<i64> = read_again.iter().map(|d| d.0).collect();
    let mut unchanged = BTreeSet::new();
    let mut changed = Vec::with_capacity(new.len());
    for n in new {
        let sources = &n.incident.sources;
        let same = n.id.and_then(|id| held.get(&id)).is_some_and(|events| {
            events.len() == sources.len()
                && sources
                    .iter()
                    .all(|s| events.contains(s) && !read_again.contains(&s.document))
        });
        match n.id {
            Some(id) if same => {
                unchanged.insert(id);
            }
            _ => changed.push(n),
        }
    }
    (unchanged, changed)
}

/// Gives each new incident the id of the incident its first event was in, unless an earlier new
/// incident took it; otherwise the id most of its events were in; otherwise a fresh one.
fn keep_ids(mut new: Vec<NewIncident>, previous: &BTreeMap<EventRef, i64>) -> Vec<NewIncident> {
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
