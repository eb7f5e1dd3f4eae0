//! The demo: the scenario's central strike is one incident with every report of it.

use serde_json::Value;

use crate::helpers::{Env, stderr, stdout};

/// The reports of the air strike on the Al-Iman hospital (docs/SAMPLES.md says why each joins).
const HOSPITAL_STRIKE: [&str; 10] = [
    "reports/01-hospital-strike-levant-ledger.txt",
    "reports/02-hospital-strike-wire.txt",
    "reports/03-hospital-strike-followup.txt",
    "pages/01-hospital-strike-the-crescent.html",
    "pages/02-hospital-strike-ngo-alert.html",
    "pages/07-envoy-statement.html",
    "feeds/health-watch.atom",
    "feeds/monitor-alerts.rss",
    "field/field-reports-2026-03.jsonl",
    "mail/co-chair-note.eml",
];

#[test]
fn the_demo_hospital_strike_is_one_incident_of_ten_reports() {
    let env = Env::new();
    let out = env.truce(&["demo", "--no-serve", "--db-file", "demo.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = env.path("demo.db");
    let db = db.to_str().unwrap();
    let docs = env.truce(&["--db", db, "documents", "--json"]);
    let documents: Vec<Value> = stdout(&docs)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The first item or line of a feed or file is the one about the strike.
    let strike_documents: Vec<i64> = HOSPITAL_STRIKE
        .iter()
        .map(|file| {
            documents
                .iter()
                .filter(|d| {
                    d["source"]["location"].as_str().unwrap().ends_with(file)
                        && matches!(
                            d["source"]["part"].as_str(),
                            None | Some("item 1" | "line 1")
                        )
                })
                .map(|d| d["id"].as_i64().unwrap())
                .next()
                .unwrap_or_else(|| panic!("no document from {file}"))
        })
        .collect();
    let listed = env.truce(&["--db", db, "incidents", "--json"]);
    let incidents: Vec<Value> = stdout(&listed)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let holding: Vec<&Value> = incidents
        .iter()
        .filter(|i| {
            i["documents"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| strike_documents.contains(&d["id"].as_i64().unwrap()))
        })
        .collect();
    assert_eq!(
        holding.len(),
        1,
        "the strike's reports are in {} incidents",
        holding.len()
    );
    let strike = holding[0];
    assert_eq!(strike["target"], "medical");
    assert_eq!(strike["date"], "2026-03-04");
    assert_eq!(strike["fatalities"]["high"], 12, "the follow-up's toll");
    assert_eq!(
        strike["perpetrators"][0]["name"],
        "Military Forces of Syria"
    );
}
