//! Crash safety: SIGKILL in the middle of an ingest, run it again, nothing lost or doubled.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::helpers::{Env, configure, stderr, stdout};

#[cfg(unix)]
#[test]
fn killing_an_ingest_midway_and_running_it_again_stores_every_document_exactly_once() {
    use std::os::unix::process::ExitStatusExt;

    const FILES: usize = 6000;
    let env = Env::new();
    // Small batches: many commits, so the kill lands between and inside transactions.
    configure(&env, "batch_size = 20");
    for i in 0..FILES {
        env.write(
            &format!("corpus/{:02}/report-{i:05}.txt", i % 50),
            format!("Report {i}: shelling was heard near checkpoint {i} on Monday night, monitors said.\n{}", "Detail. ".repeat(400)),
        );
    }
    let mut child = env
        .command(&["ingest", "corpus", "--quiet"])
        .spawn()
        .unwrap();
    let wal = env.path("truce.db-wal");
    let deadline = Instant::now() + Duration::from_secs(60);
    // Wait until the first transactions reach the write-ahead log, then kill without warning.
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 256 * 1024
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(9),
        "the ingest finished before it could be killed; grow FILES"
    );

    let out = env.truce(&["ingest", "corpus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.starts_with(&format!("ingested {},", FILES / 1000)),
        "{summary}"
    );
    assert!(
        !summary.contains(" 0 duplicates"),
        "the first run stored nothing before the kill: {summary}"
    );

    let docs = env.documents(false);
    assert_eq!(docs.len(), FILES, "every document exactly once");
    let hashes: HashSet<&str> = docs
        .iter()
        .map(|d| d["content_hash"].as_str().unwrap())
        .collect();
    assert_eq!(hashes.len(), FILES);
    for doc in &docs {
        assert_eq!(doc["status"], "parsed");
        let path = doc["source"]["location"].as_str().unwrap();
        let on_disk = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            doc["text"].as_str().unwrap(),
            on_disk.trim_end(),
            "{path} stored intact"
        );
    }
}

/// Short reports of strikes in many towns over many days, like those a monitoring NGO sends.
fn strike_reports(n: usize) -> String {
    const TOWNS: [&str; 12] = [
        "Saraqib",
        "Sarmin",
        "Binnish",
        "Taftanaz",
        "Khan Shaykhun",
        "Jisr al-Shughur",
        "Kafr Nabl",
        "Atarib",
        "Sarmada",
        "Idlib",
        "Aleppo",
        "Hama",
    ];
    const KINDS: [&str; 3] = [
        "Government artillery shelled",
        "Government warplanes struck",
        "A car bomb exploded in",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    (0..n)
        .map(|i| {
            let town = TOWNS[next(12) as usize];
            let day = 1 + next(28);
            let line = serde_json::json!({
                "id": format!("r{i}"),
                "published": format!("2026-02-{:02}", day),
                "text": format!(
                    "{}, Syria - {} {town} on {}, killing {} civilians, a monitor said. Report number {i}.",
                    town.to_uppercase(),
                    KINDS[next(3) as usize],
                    if next(2) == 0 { "Monday" } else { "Tuesday" },
                    1 + next(30)
                ),
            });
            format!("{line}\n")
        })
        .collect()
}

/// Every event in exactly one incident: the incidents' sources, counted, are the events.
fn incidents_and_events(env: &Env) -> (Vec<Vec<String>>, usize) {
    let out = env.truce(&["incidents", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut incidents: Vec<Vec<String>> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let mut s: Vec<String> = v["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["event"].as_str().unwrap().to_string())
                .collect();
            s.sort();
            s
        })
        .collect();
    incidents.sort();
    let events = env.truce(&["events", "--json"]);
    assert!(events.status.success(), "{}", stderr(&events));
    (incidents, stdout(&events).lines().count())
}

#[cfg(unix)]
#[test]
fn killing_extraction_and_resolution_at_any_point_leaves_work_the_next_run_completes() {
    use std::os::unix::process::ExitStatusExt;

    let env = Env::new();
    const REPORTS: usize = 2_000;
    env.write("strikes.jsonl", strike_reports(REPORTS));
    // Killed three times at different points of storing, extraction and resolution; each run
    // resumes what the one before left, and the fourth finishes. (600 reports and kills at 1.5,
    // 3 and 4.5 s stopped killing anything once a run took less than 1.5 s.)
    let mut killed = 0;
    for wait_ms in [400u64, 900, 1600] {
        let mut child = env
            .command(&["ingest", "strikes.jsonl", "--quiet"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().unwrap();
        if child.wait().unwrap().signal() == Some(9) {
            killed += 1;
        }
    }
    assert!(killed > 0, "every run finished before it could be killed");
    let out = env.truce(&["ingest", "strikes.jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (incidents, events) = incidents_and_events(&env);
    let filed: Vec<&String> = incidents.iter().flatten().collect();
    let unique: HashSet<&&String> = filed.iter().collect();
    assert_eq!(unique.len(), filed.len(), "an event filed twice");
    assert_eq!(filed.len(), events, "events left outside every incident");
    assert_eq!(env.documents(false).len(), REPORTS, "every report once");
    // And what the runs built in pieces is what resolution from scratch builds.
    let out = env.truce(&["recluster"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents_and_events(&env).0, incidents);
    // Re-extracting with the same engine changes nothing either.
    let out = env.truce(&["reextract"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents_and_events(&env).0, incidents);
}

/// Short reports in many towns over a year: `n` of them from the `from`-th on (each its own
/// content), several telling one occurrence where town and day repeat.
fn year_of_reports(from: usize, n: usize) -> String {
    const TOWNS: [&str; 16] = [
        "Saraqib",
        "Sarmin",
        "Binnish",
        "Taftanaz",
        "Khan Shaykhun",
        "Jisr al-Shughur",
        "Kafr Nabl",
        "Atarib",
        "Sarmada",
        "Darayya",
        "Douma",
        "Daraa",
        "Manbij",
        "Al-Bab",
        "Tadmur",
        "Raqqa",
    ];
    (from..from + n)
        .map(|i| {
            let occurrence = i / 2;
            let town = TOWNS[(occurrence * 7) % TOWNS.len()];
            let day = 1 + (occurrence * 11) % 365;
            let date = chrono::NaiveDate::from_yo_opt(2025, day as u32).unwrap();
            let line = serde_json::json!({
                "id": format!("y{i}"),
                "published": date.format("%Y-%m-%d").to_string(),
                "text": format!(
                    "Government artillery shelled {town}, Syria, on {}, killing {} civilians, \
                     a monitor said (note {i}).",
                    date.format("%-d %B %Y"),
                    2 + occurrence % 20
                ),
            });
            format!("{line}\n")
        })
        .collect()
}

/// How many rows a query counts in the test's database (read beside a running writer).
fn count(env: &Env, sql: &'static str) -> i64 {
    let url = format!("sqlite://{}?mode=ro", env.path("truce.db").display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&url).await?;
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await;
            pool.close().await;
            n
        })
        .unwrap_or(0)
}

#[cfg(unix)]
#[test]
fn killing_an_ingest_into_a_large_database_loses_and_doubles_nothing() {
    use std::os::unix::process::ExitStatusExt;

    const HELD: usize = 10_000;
    const NEW: usize = 3_000;
    let env = Env::new();
    env.write("held.jsonl", year_of_reports(0, HELD));
    let out = env.truce(&["ingest", "held.jsonl", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    env.write("new.jsonl", year_of_reports(HELD, NEW));
    let mut child = env
        .command(&["ingest", "new.jsonl", "--quiet"])
        .spawn()
        .unwrap();
    // Killed once the new reports are stored and some of them extracted and resolved: pages
    // are being extracted beside the writer.
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&env, "SELECT count(*) FROM extractions") < (HELD + 300) as i64
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    assert_eq!(
        child.wait().unwrap().signal(),
        Some(9),
        "the ingest finished before it could be killed; grow NEW"
    );
    let left = count(&env, "SELECT count(*) FROM pending_documents");
    assert!(left > 0, "the kill left no work behind");

    let out = env.truce(&["ingest", "new.jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(3,000 duplicates"),
        "the first run stored every new report before the kill: {}",
        stdout(&out)
    );
    assert_eq!(count(&env, "SELECT count(*) FROM pending_documents"), 0);
    let docs = env.documents(false);
    assert_eq!(docs.len(), HELD + NEW, "every report once");
    let hashes: HashSet<&str> = docs
        .iter()
        .map(|d| d["content_hash"].as_str().unwrap())
        .collect();
    assert_eq!(hashes.len(), HELD + NEW);
    assert_eq!(
        count(&env, "SELECT count(*) FROM extractions"),
        (HELD + NEW) as i64,
        "every report extracted once"
    );
    let (incidents, events) = incidents_and_events(&env);
    let filed: Vec<&String> = incidents.iter().flatten().collect();
    let unique: HashSet<&&String> = filed.iter().collect();
    assert_eq!(unique.len(), filed.len(), "an event filed twice");
    assert_eq!(filed.len(), events, "events left outside every incident");
    // What the interrupted runs built is what resolution from scratch builds.
    let out = env.truce(&["recluster"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents_and_events(&env).0, incidents);
}
