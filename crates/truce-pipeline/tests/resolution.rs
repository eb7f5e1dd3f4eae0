//! Resolution can never corrupt the record: a model-based property test.
//!
//! Random streams of generated reports (towns and days, repeats, toll updates, reports with and
//! without a town, reports of two events) go in through the real path (parsing, extraction,
//! resolution, assessment) in random batches, with people's merges and splits, re-extraction,
//! re-clustering and runs that stop half way (as `kill -9` stops them) in between, in random
//! order. After every step:
//!
//! - every stored event belongs to exactly one incident, and every incident member is an event;
//! - no step fails on a consistent database;
//! - every person's decision holds: a merge keeps its events together, a split keeps them apart,
//!   and a split moves nothing but the event named;
//! - incremental resolution gives the incidents `truce recluster` gives from scratch (a recluster
//!   step must change nothing), and so does re-extraction with the same engine;
//! - a run stopped half way leaves work the next step completes.
//!
//! Half the cases run on a database file, half in memory (the store searches candidates on a
//! connection of its own for a file, through its pool in memory).
//!
//! `PROPTEST_CASES` sets the number of cases (the default below runs in CI); the README gives the
//! long-running command.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;
use truce_extract::{ExtractInput, Extractor};
use truce_model::{DocumentId, EventRef, SourceKind, SourceRef};
use truce_monitor::AlertRule;
use truce_pipeline::{IngestConfig, Ingestor, Quiet, RawInput};
use truce_store::{DecisionKind, PendingStage, Store};

/// Towns the bundled gazetteer places unambiguously, some of them neighbours (Sarmin and
/// Saraqib, Binnish and Taftanaz are a few kilometres apart: strikes the same day there are the
/// near-misses resolution must keep apart).
const TOWNS: [&str; 9] = [
    "Saraqib",
    "Sarmin",
    "Binnish",
    "Taftanaz",
    "Khan Shaykhun",
    "Jisr al-Shughur",
    "Kafr Nabl",
    "Atarib",
    "Sarmada",
];

/// What happened: a kind of attack on a town on a day, with a toll.
#[derive(Debug, Clone)]
struct Occurrence {
    town: usize,
    day: i64,
    kind: usize,
    toll: u32,
}

/// How one report tells an occurrence.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// A wire story with a dateline.
    Wire,
    /// A report that names only the province.
    Townless,
    /// A later report that the toll rose.
    Update,
    /// A report without a toll.
    NoToll,
    /// A report that names no place at all.
    Unplaced,
    /// A report that also tells a second occurrence.
    Two(usize),
}

#[derive(Debug, Clone)]
struct Report {
    occurrence: usize,
    style: Style,
    /// Days between the occurrence and the report.
    delay: i64,
}

#[derive(Debug, Clone)]
enum Step {
    /// A batch of reports; `stop` stops the run after storing them (before extraction).
    Ingest { reports: Vec<Report>, stop: bool },
    /// The same report again (a duplicate).
    Repeat(usize),
    /// Merge two incidents (indices into the current list, wrapped).
    Merge(usize, usize),
    /// Split one event out of an incident (indices wrapped).
    Split(usize, usize),
    /// Re-extract some documents; `stop` stops before resolving them.
    Reextract { documents: Vec<usize>, stop: bool },
    /// Resolve everything from scratch.
    Recluster,
}

const KINDS: [(&str, &str); 3] = [
    (
        "Government warplanes struck the hospital in",
        "air strike on the hospital in",
    ),
    (
        "Artillery shelled the market in",
        "shelling of the market in",
    ),
    ("A car bomb exploded near the bakery in", "car bombing in"),
];

const EPOCH: (i32, u32, u32) = (2026, 3, 2);

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(EPOCH.0, EPOCH.1, EPOCH.2).unwrap() + Duration::days(offset)
}

fn weekday(d: NaiveDate) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][d.weekday().num_days_from_monday() as usize]
}

/// The text of a report, and its publication day.
fn write(world: &[Occurrence], r: &Report, n: usize) -> (String, NaiveDate) {
    let o = &world[r.occurrence % world.len()];
    let town = TOWNS[o.town];
    let when = weekday(day(o.day));
    let (verb, noun) = KINDS[o.kind];
    let published = day(o.day + r.delay);
    let text = match r.style {
        Style::Wire => format!(
            "{}, Syria - {verb} {town} on {when}, killing {} people, medics said. Report {n}.",
            town.to_uppercase(),
            o.toll
        ),
        Style::Townless => format!(
            "{verb} a town in Idlib province on {when}, killing {} people, a monitor said. Report {n}.",
            o.toll
        ),
        Style::Update => format!(
            "The death toll from {when}'s {noun} {town} has risen to {}, medics said. Report {n}.",
            o.toll + 3
        ),
        Style::NoToll => {
            format!("Residents of {town} reported an {noun} {town} on {when}. Report {n}.")
        }
        Style::Unplaced => {
            let (_, noun) = KINDS[o.kind];
            let noun = noun.trim_end_matches(" in");
            format!(
                "The {noun} on {when} killed {} people, a local council said. Report {n}.",
                o.toll
            )
        }
        Style::Two(other) => {
            let p = &world[other % world.len()];
            let (verb2, _) = KINDS[p.kind];
            format!(
                "{}, Syria - {verb} {town} on {when}, killing {} people, medics said. \
                 Separately, {} {} on {}, killing {} people. Report {n}.",
                town.to_uppercase(),
                o.toll,
                verb2.to_lowercase(),
                TOWNS[p.town],
                weekday(day(p.day)),
                p.toll
            )
        }
    };
    // A week-day name reaches back at most six days.
    (text, published)
}

fn extractor() -> Arc<Extractor> {
    static ENGINE: OnceLock<Arc<Extractor>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Arc::new(Extractor::new().expect("the engine builds")))
        .clone()
}

/// The incidents as sets of event keys.
async fn partition(store: &dyn Store) -> BTreeSet<BTreeSet<EventRef>> {
    let mut by_incident: BTreeMap<i64, BTreeSet<EventRef>> = BTreeMap::new();
    for (id, r) in store.incident_members(None).await.unwrap() {
        by_incident.entry(id).or_default().insert(r);
    }
    by_incident.into_values().collect()
}

async fn all_events(store: &dyn Store) -> BTreeSet<EventRef> {
    let mut keys = BTreeSet::new();
    let mut after = None;
    loop {
        let page = store.events_in_order(after, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(EventRef {
            document: last.document_id.0,
            ordinal: last.ordinal,
        });
        keys.extend(page.iter().map(|e| EventRef {
            document: e.document_id.0,
            ordinal: e.ordinal,
        }));
    }
    keys
}

/// The invariants that hold whenever no work is pending.
async fn check(store: &dyn Store) -> Result<(), TestCaseError> {
    for stage in [PendingStage::Extract, PendingStage::Resolve] {
        let left = store.pending_documents(stage, None, 10).await.unwrap();
        prop_assert!(left.is_empty(), "{stage:?} left pending: {left:?}");
    }
    let events = all_events(store).await;
    let members: Vec<(i64, EventRef)> = store.incident_members(None).await.unwrap();
    let filed: BTreeSet<EventRef> = members.iter().map(|(_, r)| *r).collect();
    prop_assert_eq!(filed.len(), members.len(), "an event filed twice");
    prop_assert_eq!(
        &filed,
        &events,
        "events outside every incident, or members without an event"
    );
    let incident_of: BTreeMap<EventRef, i64> = members.iter().map(|(id, r)| (*r, *id)).collect();
    for (id, _) in &members {
        let stored = store.incident(*id).await.unwrap();
        prop_assert!(stored.is_some(), "member of a missing incident {id}");
        let sources: BTreeSet<EventRef> = stored.unwrap().incident.sources.into_iter().collect();
        let filed_here: BTreeSet<EventRef> = members
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, r)| *r)
            .collect();
        prop_assert_eq!(
            sources,
            filed_here,
            "incident {}'s record and members differ",
            id
        );
    }
    for d in store.decisions(None).await.unwrap() {
        let (Some(a), Some(b)) = (incident_of.get(&d.a), incident_of.get(&d.b)) else {
            continue;
        };
        match d.kind {
            DecisionKind::Together => {
                prop_assert_eq!(a, b, "merge of {} and {} not kept", d.a, d.b)
            }
            DecisionKind::Apart => prop_assert_ne!(a, b, "split of {} and {} not kept", d.a, d.b),
        }
    }
    Ok(())
}

struct Run {
    store: Box<dyn Store>,
    world: Vec<Occurrence>,
    texts: Vec<(String, NaiveDate)>,
    written: usize,
}

impl Run {
    async fn ingest(&mut self, lines: &[(String, NaiveDate)], stop: bool) {
        let jsonl: String = lines
            .iter()
            .enumerate()
            .map(|(k, (text, published))| {
                serde_json::json!({"id": format!("r{}-{k}", self.written), "published": published.to_string(), "text": text})
                    .to_string()
                    + "\n"
            })
            .collect();
        self.written += 1;
        store_jsonl(
            self.store.as_ref(),
            &format!("batch-{}", self.written),
            jsonl,
        )
        .await;
        if !stop {
            self.finish().await;
        }
    }

    /// What the next command does first: finish the work a stopped run left.
    async fn finish(&self) {
        truce_pipeline::finish_pending(self.store.as_ref(), extractor(), AlertRule::default())
            .await
            .unwrap();
    }

    async fn incidents(&self) -> Vec<(i64, Vec<EventRef>)> {
        let mut by: BTreeMap<i64, Vec<EventRef>> = BTreeMap::new();
        for (id, r) in self.store.incident_members(None).await.unwrap() {
            by.entry(id).or_default().push(r);
        }
        by.into_iter().collect()
    }

    async fn step(&mut self, step: &Step) -> Result<(), TestCaseError> {
        let store = self.store.as_ref();
        match step {
            Step::Ingest { reports, stop } => {
                let lines: Vec<(String, NaiveDate)> = reports
                    .iter()
                    .map(|r| {
                        let n = self.texts.len();
                        let line = write(&self.world, r, n);
                        self.texts.push(line.clone());
                        line
                    })
                    .collect();
                self.ingest(&lines, *stop).await;
            }
            Step::Repeat(k) => {
                if !self.texts.is_empty() {
                    let line = self.texts[k % self.texts.len()].clone();
                    self.ingest(&[line], false).await;
                }
            }
            Step::Merge(x, y) => {
                self.finish().await;
                let list = self.incidents().await;
                if list.len() >= 2 {
                    let a = list[x % list.len()].0;
                    let b = list[(x + 1 + y % (list.len() - 1)) % list.len()].0;
                    let before: BTreeSet<EventRef> = list
                        .iter()
                        .filter(|(id, _)| *id == a || *id == b)
                        .flat_map(|(_, m)| m.iter().copied())
                        .collect();
                    truce_pipeline::merge_incidents(
                        store,
                        a,
                        b,
                        "tester",
                        None,
                        AlertRule::default(),
                    )
                    .await
                    .unwrap();
                    let now: BTreeSet<i64> = store
                        .incidents_of(&before.iter().copied().collect::<Vec<_>>(), &[])
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|(_, id)| id)
                        .collect();
                    prop_assert_eq!(now.len(), 1, "merged events are in {:?}", now);
                }
            }
            Step::Split(x, y) => {
                self.finish().await;
                let list: Vec<(i64, Vec<EventRef>)> = self
                    .incidents()
                    .await
                    .into_iter()
                    .filter(|(_, m)| m.len() >= 2)
                    .collect();
                if !list.is_empty() {
                    let (id, members) = &list[x % list.len()];
                    let event = members[y % members.len()];
                    truce_pipeline::split_event(
                        store,
                        *id,
                        event,
                        "tester",
                        None,
                        AlertRule::default(),
                    )
                    .await
                    .unwrap();
                    let now: BTreeMap<EventRef, i64> = store
                        .incidents_of(members, &[])
                        .await
                        .unwrap()
                        .into_iter()
                        .collect();
                    let rest: BTreeSet<i64> = members
                        .iter()
                        .filter(|m| **m != event)
                        .map(|m| now[m])
                        .collect();
                    prop_assert_eq!(rest.len(), 1, "a split moved more than the event named");
                    prop_assert!(!rest.contains(&now[&event]), "the split event stayed");
                }
            }
            Step::Reextract { documents, stop } => {
                self.finish().await;
                let before = partition(store).await;
                let ids: Vec<DocumentId> = store
                    .list_documents(&truce_store::DocumentQuery {
                        limit: 10_000,
                        ..Default::default()
                    })
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|d| d.id)
                    .collect();
                if ids.is_empty() {
                    return Ok(());
                }
                let mut chosen: Vec<DocumentId> =
                    documents.iter().map(|k| ids[k % ids.len()]).collect();
                chosen.sort();
                chosen.dedup();
                if *stop {
                    // Stopped after saving the extractions, before resolving them.
                    let engine = extractor();
                    let mut records = Vec::new();
                    for id in &chosen {
                        let doc = store.document(*id).await.unwrap().unwrap();
                        records.push((
                            *id,
                            engine.extract(&ExtractInput {
                                id: id.to_string(),
                                text: doc.doc.text.unwrap_or_default(),
                                published: doc.doc.published,
                            }),
                        ));
                    }
                    store
                        .save_extractions(&engine.version(), &records)
                        .await
                        .unwrap();
                    let pending = store
                        .pending_documents(PendingStage::Resolve, None, 10_000)
                        .await
                        .unwrap();
                    prop_assert_eq!(pending, chosen.clone());
                    self.finish().await;
                } else {
                    truce_pipeline::extract_documents(store, extractor(), Some(&chosen))
                        .await
                        .unwrap();
                }
                prop_assert_eq!(
                    partition(store).await,
                    before,
                    "re-extraction changed incidents"
                );
            }
            Step::Recluster => {
                self.finish().await;
                let before = partition(store).await;
                // Units of one incident: every place where a unit can close is one, and an
                // incident split between two units is met wherever the stream splits one.
                truce_pipeline::recluster_in_units(
                    store,
                    &truce_cluster::ResolverConfig::default(),
                    1,
                )
                .await
                .unwrap();
                prop_assert_eq!(
                    partition(store).await,
                    before,
                    "incremental resolution differs from resolution from scratch"
                );
            }
        }
        Ok(())
    }
}

fn occurrence() -> impl Strategy<Value = Occurrence> {
    (0..TOWNS.len(), 0i64..12, 0..KINDS.len(), 1u32..30).prop_map(|(town, day, kind, toll)| {
        Occurrence {
            town,
            day,
            kind,
            toll,
        }
    })
}

fn report() -> impl Strategy<Value = Report> {
    let style = prop_oneof![
        4 => Just(Style::Wire),
        1 => Just(Style::Townless),
        2 => Just(Style::Update),
        1 => Just(Style::NoToll),
        1 => Just(Style::Unplaced),
        1 => any::<usize>().prop_map(Style::Two),
    ];
    (any::<usize>(), style, 0i64..4).prop_map(|(occurrence, style, delay)| Report {
        occurrence,
        style,
        delay,
    })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (prop::collection::vec(report(), 1..8), prop::bool::weighted(0.2))
            .prop_map(|(reports, stop)| Step::Ingest { reports, stop }),
        1 => any::<usize>().prop_map(Step::Repeat),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(x, y)| Step::Merge(x, y)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(x, y)| Step::Split(x, y)),
        1 => (prop::collection::vec(any::<usize>(), 1..4), any::<bool>())
            .prop_map(|(documents, stop)| Step::Reextract { documents, stop }),
        1 => Just(Step::Recluster),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000),
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn resolution_keeps_every_invariant_whatever_arrives(
        world in prop::collection::vec(occurrence(), 2..10),
        steps in prop::collection::vec(step(), 1..14),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        // Half the cases on a database file, whose candidate search runs on a connection of
        // its own, half in memory, where it runs through the pool.
        let dir = tempfile::tempdir().unwrap();
        let location = if world.len() % 2 == 0 {
            dir.path().join("truce.db").display().to_string()
        } else {
            ":memory:".to_string()
        };
        rt.block_on(async {
            let mut run = Run {
                store: truce_store::open(&location).await.unwrap(),
                world,
                texts: Vec::new(),
                written: 0,
            };
            for step in &steps {
                run.step(step).await?;
                run.finish().await;
                check(run.store.as_ref()).await?;
            }
            // Whatever happened, resolving from scratch agrees with what is stored.
            let before = partition(run.store.as_ref()).await;
            truce_pipeline::recluster(run.store.as_ref(), &truce_cluster::ResolverConfig::default())
                .await
                .unwrap();
            prop_assert_eq!(partition(run.store.as_ref()).await, before);
            check(run.store.as_ref()).await
        })?;
    }
}

/// Stores a JSONL body as standard input named `location` (extraction and resolution wait).
async fn store_jsonl(store: &dyn Store, location: &str, jsonl: String) {
    let input = RawInput {
        source: SourceRef {
            kind: SourceKind::Stdin,
            location: location.to_string(),
            part: None,
        },
        extension: Some("jsonl".into()),
        url: None,
        bytes: Ok(jsonl.into_bytes().into()),
    };
    Ingestor::new(store, IngestConfig::default(), &Quiet)
        .ingest_input(input)
        .await
        .unwrap();
}

/// Takes in one report per line (`published`, `text`) and finishes every stage.
async fn take_in_reports(store: &dyn Store, name: &str, reports: &[(&str, &str)]) {
    let jsonl: String = reports
        .iter()
        .enumerate()
        .map(|(k, (published, text))| {
            serde_json::json!({"id": format!("{name}-{k}"), "published": published, "text": text})
                .to_string()
                + "\n"
        })
        .collect();
    store_jsonl(store, name, jsonl).await;
    truce_pipeline::finish_pending(store, extractor(), AlertRule::default())
        .await
        .unwrap();
}

/// A new report whose neighbourhood holds an incident it cannot join leaves that incident as
/// it was: not written again, not given a new time, not assessed again.
#[tokio::test]
async fn an_incident_a_new_report_cannot_join_is_not_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = truce_store::open(dir.path().join("truce.db").to_str().unwrap())
        .await
        .unwrap();
    // Two tellings of one strike, tolls 20 and 22.
    take_in_reports(
        store.as_ref(),
        "first",
        &[
            (
                "2026-03-04",
                "An air strike hit the vegetable market in Saraqib on 3 March 2026, killing 20 \
                 people, rescuers said.",
            ),
            (
                "2026-03-05",
                "The toll of the air strike on the market in Saraqib on 3 March 2026 rose to 22 \
                 dead, a monitoring group said.",
            ),
        ],
    )
    .await;
    let members = store.incident_members(None).await.unwrap();
    let incidents: BTreeSet<i64> = members.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        incidents.len(),
        1,
        "one incident of two reports: {members:?}"
    );
    let first = *incidents.first().unwrap();
    let before = store.incident(first).await.unwrap().unwrap();

    // A third telling with 170 dead: compatible with the report of 22 (less than eight times
    // as many), not with the report of 20 (more than eight times, and 150 more), so it cannot
    // join the incident, and the two first reports stay the closer pair.
    take_in_reports(
        store.as_ref(),
        "second",
        &[(
            "2026-03-06",
            "At least 170 people were killed when an air strike hit the market in Saraqib on 3 \
             March 2026, the civil defence said.",
        )],
    )
    .await;
    let members = store.incident_members(None).await.unwrap();
    let incidents: BTreeSet<i64> = members.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        incidents.len(),
        2,
        "the third report stands apart: {members:?}"
    );
    let after = store.incident(first).await.unwrap().unwrap();
    assert_eq!(after.incident, before.incident);
    assert_eq!(
        after.updated_at, before.updated_at,
        "the incident the new report could not join was written again"
    );

    // Resolving the third report's neighbourhood again reads the first incident's events (the
    // report of 22 is compatible with it) and writes only its own incident.
    let third: Vec<DocumentId> = members
        .iter()
        .filter(|(id, _)| *id != first)
        .map(|(_, r)| DocumentId(r.document))
        .collect();
    let summary = truce_pipeline::resolve_documents(
        store.as_ref(),
        &third,
        &truce_cluster::ResolverConfig::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        summary.events, 3,
        "the neighbourhood holds all three reports"
    );
    assert_eq!(summary.written.len(), 1);
    assert!(!summary.written.contains(&first));
    assert_eq!(
        store.incident(first).await.unwrap().unwrap().updated_at,
        before.updated_at
    );
}

/// Reports placed only by their province are compatible with the town reports of the days
/// around them, so a month of them chains every incident of the month to the next. A new report
/// at the end of the chain is resolved with what it can change, not with the whole month, and
/// the incidents are still the ones `truce recluster` gives.
#[tokio::test]
async fn a_new_report_does_not_walk_a_chain_of_compatible_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let store = truce_store::open(dir.path().join("truce.db").to_str().unwrap())
        .await
        .unwrap();
    // Each day a strike on a town, reported the day after, and a strike somewhere in the
    // province, reported the same day: a date that only repeats the day of publication may be
    // a day late, so the province's report may also be the town's strike of the day before.
    let mut chain: Vec<(String, String)> = Vec::new();
    for day in 1..=24 {
        let town = TOWNS[day % TOWNS.len()];
        chain.push((
            format!("2026-03-{:02}", day + 1),
            format!(
                "An air strike hit the market in {town} on {day} March 2026, killing 10 \
                 people, rescuers said."
            ),
        ));
        chain.push((
            format!("2026-03-{day:02}"),
            format!(
                "An air strike in Idlib province on {day} March 2026 killed 11 people, a \
                 monitoring group said."
            ),
        ));
    }
    let lines: Vec<(&str, &str)> = chain
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    take_in_reports(store.as_ref(), "month", &lines).await;
    let month = partition(store.as_ref()).await;
    assert!(month.len() >= 12, "the month is many incidents: {month:?}");
    let last_of_month = month.iter().flatten().map(|e| e.document).max().unwrap();

    take_in_reports(
        store.as_ref(),
        "next",
        &[(
            "2026-03-25",
            "An air strike in Idlib province on 25 March 2026 killed 11 people, a monitoring \
             group said.",
        )],
    )
    .await;
    let new_document = store
        .list_documents(&truce_store::DocumentQuery {
            after: Some(DocumentId(last_of_month)),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id;
    let summary = truce_pipeline::resolve_documents(
        store.as_ref(),
        &[new_document],
        &truce_cluster::ResolverConfig::default(),
    )
    .await
    .unwrap();
    assert!(
        summary.events < 12,
        "the new report's resolution read {} of the month's {} events",
        summary.events,
        chain.len() + 1
    );
    let incremental = partition(store.as_ref()).await;
    truce_pipeline::recluster(store.as_ref(), &truce_cluster::ResolverConfig::default())
        .await
        .unwrap();
    assert_eq!(partition(store.as_ref()).await, incremental);
}
