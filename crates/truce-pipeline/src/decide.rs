//! People correcting the resolver: merging two incidents, splitting a report's event out of one.
//!
//! A decision is recorded about pairs of events, so that it holds through every later
//! resolution (new reports, re-extraction, `truce recluster`): a merge ties every event of both
//! incidents together; a split keeps the named event apart from each of the others, and keeps
//! the others together as they were, so that nothing moves but what the person named. A later
//! decision about a pair replaces an earlier one, and the resolver never joins two events a
//! person kept apart.

use chrono::Utc;
use truce_model::{Count, DocumentId, EventRef};
use truce_monitor::AlertRule;
use truce_store::{Decision, DecisionKind, Store};

use crate::IngestError;
use crate::resolve::resolve_and_assess;

/// What an incident holds, for people to see before and after a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentShape {
    /// The incident's id.
    pub id: i64,
    /// Its source events.
    pub events: Vec<EventRef>,
    /// Its distinct source documents.
    pub documents: usize,
    /// Its death toll.
    pub fatalities: Option<Count>,
}

impl std::fmt::Display for IncidentShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let toll = match self.fatalities {
            Some(Count {
                low: Some(l),
                high: Some(h),
                ..
            }) if h > l => format!("{l}-{h} killed"),
            Some(Count { low: Some(l), .. }) => format!("{l} killed"),
            _ => "toll unknown".into(),
        };
        let list: Vec<String> = self.events.iter().map(ToString::to_string).collect();
        write!(
            f,
            "incident {}: {} report{} ({}), {toll}",
            self.id,
            self.documents,
            if self.documents == 1 { "" } else { "s" },
            list.join(", ")
        )
    }
}

/// The incidents a decision touched, as they were and as they are.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionOutcome {
    /// Before the decision.
    pub before: Vec<IncidentShape>,
    /// After it, every incident now holding one of the events concerned.
    pub after: Vec<IncidentShape>,
}

/// Why a decision cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    /// No incident has that id.
    #[error("no incident {0} (see `truce incidents`)")]
    NoIncident(i64),
    /// An incident cannot be merged with itself.
    #[error("an incident cannot be merged with itself")]
    SameIncident,
    /// The event named is not in the incident.
    #[error("event {event} is not in incident {incident} (its events: {members})")]
    NotAMember {
        /// The event named.
        event: EventRef,
        /// The incident named.
        incident: i64,
        /// Its events.
        members: String,
    },
    /// The incident holds nothing else to split the event from.
    #[error("incident {incident} has only event {event}; there is nothing to split it from")]
    Alone {
        /// The event named.
        event: EventRef,
        /// The incident named.
        incident: i64,
    },
    /// Storing or resolving failed.
    #[error(transparent)]
    Pipeline(#[from] IngestError),
}

impl From<truce_store::StoreError> for DecisionError {
    fn from(e: truce_store::StoreError) -> Self {
        Self::Pipeline(e.into())
    }
}

/// The shape of an incident, `None` when there is none with that id.
async fn incident_shape(
    store: &dyn Store,
    id: i64,
) -> Result<Option<IncidentShape>, truce_store::StoreError> {
    let Some(stored) = store.incident(id).await? else {
        return Ok(None);
    };
    let documents = stored.incident.documents();
    Ok(Some(IncidentShape {
        id,
        documents: documents.len(),
        events: stored.incident.sources,
        fatalities: stored.incident.fatalities,
    }))
}

async fn shape_of(store: &dyn Store, id: i64) -> Result<IncidentShape, DecisionError> {
    incident_shape(store, id)
        .await?
        .ok_or(DecisionError::NoIncident(id))
}

/// The incidents now holding these events, in id order.
async fn shapes_holding(
    store: &dyn Store,
    events: &[EventRef],
) -> Result<Vec<IncidentShape>, DecisionError> {
    let mut ids: Vec<i64> = store
        .incidents_of(events, &[])
        .await?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut shapes = Vec::with_capacity(ids.len());
    for id in ids {
        shapes.push(shape_of(store, id).await?);
    }
    Ok(shapes)
}

fn decision(
    kind: DecisionKind,
    x: EventRef,
    y: EventRef,
    by: &str,
    note: &Option<String>,
) -> Decision {
    Decision {
        kind,
        a: x.min(y),
        b: x.max(y),
        decided_by: by.to_string(),
        decided_at: Utc::now(),
        note: note.clone(),
    }
}

/// Ties every event of `a` and `b` together, whatever the rules later say: one audit entry,
/// then the neighbourhood resolved again.
pub async fn merge_incidents(
    store: &dyn Store,
    a: i64,
    b: i64,
    by: &str,
    note: Option<String>,
    alert_rule: AlertRule,
) -> Result<DecisionOutcome, DecisionError> {
    if a == b {
        return Err(DecisionError::SameIncident);
    }
    let before = vec![shape_of(store, a).await?, shape_of(store, b).await?];
    let mut all: Vec<EventRef> = before.iter().flat_map(|s| s.events.clone()).collect();
    all.sort();
    all.dedup();
    let mut decisions: Vec<Decision> = all
        .windows(2)
        .map(|w| decision(DecisionKind::Together, w[0], w[1], by, &note))
        .collect();
    // Earlier splits between these events are overruled by this merge, or they would still
    // hold two of its events apart.
    for d in store.decisions(Some(&all)).await? {
        if d.kind == DecisionKind::Apart && all.contains(&d.a) && all.contains(&d.b) {
            decisions.push(decision(DecisionKind::Together, d.a, d.b, by, &note));
        }
    }
    decisions.sort_by_key(|d| (d.a, d.b));
    decisions.dedup_by_key(|d| (d.a, d.b));
    store
        .record_decisions(&decisions, &format!("incident:{a}"))
        .await?;
    re_resolve(store, &all, alert_rule).await?;
    Ok(DecisionOutcome {
        before,
        after: shapes_holding(store, &all).await?,
    })
}

/// Keeps `event` apart from every other event of incident `id`, and those others together as
/// they are: only the named event moves (to an incident of its own, or to another the rules
/// find it belongs to).
pub async fn split_event(
    store: &dyn Store,
    id: i64,
    event: EventRef,
    by: &str,
    note: Option<String>,
    alert_rule: AlertRule,
) -> Result<DecisionOutcome, DecisionError> {
    let shape = shape_of(store, id).await?;
    if !shape.events.contains(&event) {
        let members: Vec<String> = shape.events.iter().map(ToString::to_string).collect();
        return Err(DecisionError::NotAMember {
            event,
            incident: id,
            members: members.join(", "),
        });
    }
    if shape.events.len() == 1 {
        return Err(DecisionError::Alone {
            event,
            incident: id,
        });
    }
    let rest: Vec<EventRef> = shape
        .events
        .iter()
        .copied()
        .filter(|m| *m != event)
        .collect();
    let mut decisions: Vec<Decision> = rest
        .iter()
        .map(|m| decision(DecisionKind::Apart, *m, event, by, &note))
        .collect();
    decisions.extend(
        rest.windows(2)
            .map(|w| decision(DecisionKind::Together, w[0], w[1], by, &note)),
    );
    store
        .record_decisions(&decisions, &format!("incident:{id}"))
        .await?;
    let all = shape.events.clone();
    re_resolve(store, &all, alert_rule).await?;
    Ok(DecisionOutcome {
        before: vec![shape],
        after: shapes_holding(store, &all).await?,
    })
}

/// Resolves the events' neighbourhood again and assesses the incidents written.
async fn re_resolve(
    store: &dyn Store,
    events: &[EventRef],
    alert_rule: AlertRule,
) -> Result<(), IngestError> {
    let mut docs: Vec<DocumentId> = events.iter().map(|r| DocumentId(r.document)).collect();
    docs.sort();
    docs.dedup();
    resolve_and_assess(store, &docs, alert_rule).await?;
    Ok(())
}
