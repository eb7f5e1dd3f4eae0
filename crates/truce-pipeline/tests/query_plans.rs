//! Every statement the ingest path runs is served by an index: taking in one more report must
//! cost the same whatever the database holds (issue "Ingest that keeps its pace").
//!
//! A database is filled through the real path (stored, extracted, resolved, assessed), then a
//! second batch is taken in and read again (`truce reextract`) and a register of protected sites
//! imported (`truce sites import`) and every incident assessed again (`truce assess`, an
//! agreement added or changed) while every SQL statement sqlx runs is captured from its
//! tracing events (`POST /api/v1/documents` makes the same calls as the ingest and the
//! re-extraction here: `Ingestor`, then `extract_documents`); each is then explained
//! (`EXPLAIN QUERY PLAN`) against the filled database, and a full scan of a table that grows
//! with the record fails the test, naming the statement and the plan.
//! The incident list's text filter, which every reader of the dashboard runs, is judged with
//! them.
//! Scans that are known and still to be removed are listed in [`KNOWN`], each with its reason, so
//! that any new one fails.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use truce_extract::Extractor;
use truce_monitor::AlertRule;
use truce_pipeline::{Ingestor, Quiet};

/// Tables that grow with the record.
const GROWING: &[&str] = &[
    "raw_blobs",
    "documents",
    "extractions",
    "events",
    "statements",
    "talks",
    "incidents",
    "incident_members",
    "incident_decisions",
    "incident_state",
    "reviews",
    "messages",
    "corrections",
    "audit_log",
    "audit_heads",
    "assessments",
    "alerts",
    "pending_documents",
    "protected_sites",
];

/// Full scans on the ingest path that are known, with why they are still there. A statement is
/// matched by a fragment of its text.
const KNOWN: &[(&str, &str)] = &[(
    "WHERE 1 = 1 ORDER BY i.date DESC, i.id DESC LIMIT",
    "the first page of a walk over every incident, newest first (`truce assess`): the date \
     index read in its order and stopped by LIMIT after one page; the pages after it start \
     where the one before ended (a range of the same index)",
)];

#[derive(Default)]
struct Statement {
    summary: String,
    sql: String,
}

impl Visit for Statement {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_string(),
            "db.statement" | "statement" => self.sql = value.to_string(),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// Collects the text of every statement sqlx runs, and of those the store runs on connections
/// of its own (the resolver's candidate search).
struct Capture(Arc<Mutex<BTreeSet<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let target = event.metadata().target();
        if target != "sqlx::query" && target != truce_store::SQL_TARGET {
            return;
        }
        let mut st = Statement::default();
        event.record(&mut st);
        let sql = if st.sql.trim().is_empty() {
            st.summary
        } else {
            st.sql
        };
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        if !sql.is_empty() {
            self.0.lock().unwrap().insert(sql);
        }
    }
}

/// Words that may follow a table's name in `FROM` or `JOIN` and are not an alias.
const NOT_ALIASES: &[&str] = &[
    "where",
    "join",
    "left",
    "inner",
    "cross",
    "on",
    "using",
    "not",
    "indexed",
    "order",
    "group",
    "limit",
    "union",
    "as",
    "set",
    "values",
    "natural",
    "outer",
    "window",
    "having",
    "returning",
];

/// The tables a statement names, by their aliases (`FROM events e`, `JOIN documents AS d`), so
/// that a plan's `SCAN e` is known to read `events`.
fn aliases(sql: &str) -> std::collections::BTreeMap<String, String> {
    let tokens: Vec<String> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut map = std::collections::BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        if t != "from" && t != "join" {
            continue;
        }
        let Some(table) = tokens.get(i + 1) else {
            continue;
        };
        let mut next = i + 2;
        if tokens.get(next).map(String::as_str) == Some("as") {
            next += 1;
        }
        if let Some(alias) = tokens.get(next)
            && !NOT_ALIASES.contains(&alias.as_str())
        {
            map.insert(alias.clone(), table.clone());
        }
    }
    map
}

#[test]
fn a_plan_s_alias_names_its_table() {
    let a = aliases(
        "SELECT e.id FROM events e JOIN documents AS d ON d.id = e.document_id \
         LEFT JOIN incident_state s ON s.incident_id = 1 WHERE e.id > 0",
    );
    assert_eq!(a.get("e").map(String::as_str), Some("events"));
    assert_eq!(a.get("d").map(String::as_str), Some("documents"));
    assert_eq!(a.get("s").map(String::as_str), Some("incident_state"));
    assert!(aliases("SELECT id FROM events WHERE id = 1").is_empty());
}

const TOWNS: &[&str] = &[
    "Saraqib",
    "Ariha",
    "Maarat al-Numan",
    "Khan Shaykhun",
    "Kafr Nabl",
    "Jisr al-Shughur",
    "Sarmin",
    "Binnish",
    "Taftanaz",
    "Atarib",
    "Darat Izza",
    "Sarmada",
];

const KINDS: &[&str] = &[
    "An air strike hit a market in {town}, killing {n} people, rescuers said.",
    "Government forces shelled {town} overnight, wounding {n} civilians, a monitor said.",
    "Clashes between rebels and government troops near {town} left {n} fighters dead.",
    "A car bomb exploded at a checkpoint in {town}, killing {n} people.",
    "Residents of {town} protested against the shelling of their town; nobody was hurt.",
];

/// `count` short reports in the style of a monitor's notes, spread over towns and days.
fn reports(from: usize, count: usize) -> String {
    let mut out = String::new();
    for i in from..from + count {
        let town = TOWNS[(i * 7) % TOWNS.len()];
        let kind = KINDS[(i * 3) % KINDS.len()];
        let day = 1 + (i * 5) % 28;
        let month = 1 + (i / 28) % 12;
        let text = format!(
            "{} The UN envoy said the ceasefire was at risk. Report {i}.",
            kind.replace("{town}", town)
                .replace("{n}", &(2 + i % 9).to_string())
        );
        out.push_str(
            &serde_json::json!({
                "id": format!("r{i}"),
                "text": text,
                "published": format!("2026-{month:02}-{day:02}"),
            })
            .to_string(),
        );
        out.push('\n');
    }
    out
}

async fn take_in(store: &dyn truce_store::Store, dir: &std::path::Path, name: &str, body: String) {
    let file = dir.join(name);
    std::fs::write(&file, body).unwrap();
    Ingestor::new(store, Default::default(), &Quiet)
        .ingest_paths(&[file], &[])
        .await
        .unwrap();
    truce_pipeline::finish_pending(
        store,
        Arc::new(Extractor::new().unwrap()),
        AlertRule::default(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn every_statement_of_the_ingest_path_is_served_by_an_index() {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(Capture(seen.clone())),
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("truce.db");
    let store = truce_store::open(db.to_str().unwrap()).await.unwrap();
    take_in(store.as_ref(), dir.path(), "first.jsonl", reports(0, 400)).await;
    seen.lock().unwrap().clear();
    take_in(store.as_ref(), dir.path(), "second.jsonl", reports(400, 40)).await;
    // `truce reextract ID...`: the newest documents read again, their incidents redone.
    let newest: Vec<truce_model::DocumentId> = store
        .list_documents(&truce_store::DocumentQuery {
            after: Some(truce_model::DocumentId(400)),
            limit: 40,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(newest.len(), 40);
    truce_pipeline::extract_documents(
        store.as_ref(),
        Arc::new(Extractor::new().unwrap()),
        Some(&newest),
    )
    .await
    .unwrap();
    // `truce sites import`: the register grows, and only the incidents near the new sites are
    // checked against them (the sites near each page of incidents looked up by place).
    let sites: Vec<truce_monitor::ProtectedSite> = [
        ("Saraqib National Hospital", 35.8644, 36.8006),
        ("Ariha Surgical Hospital", 35.8126, 36.6086),
    ]
    .iter()
    .map(|(name, lat, lon)| truce_monitor::ProtectedSite {
        name: name.to_string(),
        kind: truce_monitor::SiteKind::Hospital,
        lat: *lat,
        lon: *lon,
        operator: None,
        notifications: Vec::new(),
    })
    .collect();
    store.add_sites(&sites, "test").await.unwrap();
    let places: Vec<(f64, f64)> = sites.iter().map(|s| (s.lat, s.lon)).collect();
    let boxes = truce_pipeline::monitor::boxes_around(&places, AlertRule { radius_km: 5.0 });
    let near = store.incidents_within(&boxes).await.unwrap();
    assert!(!near.is_empty(), "incidents lie near the sites");
    truce_pipeline::monitor_incidents(store.as_ref(), Some(&near), AlertRule::default())
        .await
        .unwrap();
    // `truce assess`, and an agreement added or changed: every incident assessed again, page by
    // page (each page must be a range of an index, not a scan of the table).
    truce_pipeline::monitor_incidents(store.as_ref(), None, AlertRule::default())
        .await
        .unwrap();
    // People's corrections: a field corrected (the incident's row rewritten in place), an
    // incident retracted, another discounted on review; then a report joins incidents (each
    // written with its corrections), and counts and the health index read what stands.
    let fix = |incident_id: i64, kind, field: Option<&str>, value: Option<&str>| {
        truce_model::Correction {
            id: 0,
            incident_id,
            kind,
            field: field.map(str::to_string),
            old_value: None,
            new_value: value.map(str::to_string),
            reason: "checked".into(),
            corrected_by: "chair".into(),
            corrected_at: chrono::Utc::now(),
        }
    };
    use truce_model::CorrectionKind::{Correction, Retraction};
    store
        .add_correction(&fix(near[0], Correction, Some("fatalities.low"), Some("9")))
        .await
        .unwrap();
    let last = *near.last().unwrap();
    store
        .add_correction(&fix(last, Retraction, None, None))
        .await
        .unwrap();
    store
        .add_review(&truce_store::Review {
            id: 0,
            incident_id: last,
            status: truce_model::ReviewStatus::Discounted,
            grade: None,
            note: "a double count".into(),
            reviewed_by: "chair".into(),
            reviewed_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    take_in(store.as_ref(), dir.path(), "third.jsonl", reports(0, 20)).await;
    store
        .violation_tallies(
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    truce_pipeline::monitor::day_counts(
        store.as_ref(),
        chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    )
    .await
    .unwrap();
    // Beside the ingest path, the incident list's text filter (the dashboard, the API, `truce
    // incidents --text`), which every reader runs: the newest matches of the full-text indexes
    // (the incidents' names, the reports' words), never a walk over the incidents.
    for (words, in_reports, public) in [("market", true, false), ("shelled", false, true)] {
        let q = truce_store::IncidentQuery {
            text: Some(words.into()),
            text_in_reports: in_reports,
            published_only: public,
            newest_first: true,
            limit: Some(50),
            ..Default::default()
        };
        let found = store.incidents(&q).await.unwrap();
        assert!(
            in_reports != found.is_empty(),
            "{words}: {} found",
            found.len()
        );
        store.incident_count(&q).await.unwrap();
        store.incident_map(&q, false).await.unwrap();
    }
    let statements: Vec<String> = seen.lock().unwrap().iter().cloned().collect();
    assert!(
        statements
            .iter()
            .any(|s| s.contains("incidents_search MATCH")),
        "the capture saw the text filter"
    );
    assert!(
        statements.iter().any(|s| s.contains("events")),
        "the capture saw the ingest path's statements: {statements:#?}"
    );
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with("UPDATE incidents SET event_type")),
        "the capture saw a correction rewrite its incident"
    );
    assert!(
        statements
            .iter()
            .any(|s| s.contains("AND kind = 'correction'")),
        "the capture saw the resolver read the corrections of what it writes"
    );
    assert!(
        statements.iter().any(|s| s.contains("json_each($16)")),
        "the capture saw the resolver's candidate search, run on the store's own connection"
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut offenders = Vec::new();
    let mut explained = 0;
    for sql in &statements {
        let first = sql
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if !matches!(
            first.as_str(),
            "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH"
        ) {
            continue;
        }
        let Ok(mut plan) = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else {
            continue;
        };
        explained += usize::from(sql.contains("incidents_search MATCH"));
        // Parameters left unbound read as NULL: the plan's shape is what is judged.
        let nulls = vec![rusqlite::types::Null; plan.parameter_count()];
        let details: Vec<String> = plan
            .query_map(rusqlite::params_from_iter(nulls), |row| {
                row.get::<_, String>(3)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let aliases = aliases(sql);
        for d in &details {
            let Some(table) = d.strip_prefix("SCAN ") else {
                continue;
            };
            // The plan names a table by its alias when the statement gives it one.
            let name = table.split_whitespace().next().unwrap_or("");
            let table = aliases.get(name).map_or(name, String::as_str);
            if GROWING.contains(&table) && !KNOWN.iter().any(|(frag, _)| sql.contains(frag)) {
                offenders.push(format!("{sql}\n    -> {}", details.join(" | ")));
            }
        }
    }
    assert!(explained > 0, "the text filter's statements were explained");
    assert!(
        offenders.is_empty(),
        "{} statement(s) of the ingest path scan a growing table:\n\n{}",
        offenders.len(),
        offenders.join("\n\n")
    );
}
