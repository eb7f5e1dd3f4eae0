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
    env.write("strikes.jsonl", strike_reports(600));
    // Killed three times at different points of extraction and resolution; each run resumes what
    // the one before left, and the fourth finishes.
    let mut killed = 0;
    for wait_ms in [1500u64, 3000, 4500] {
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
    assert_eq!(env.documents(false).len(), 600, "every report once");
    // And what the runs built in pieces is what resolution from scratch builds.
    let out = env.truce(&["recluster"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents_and_events(&env).0, incidents);
    // Re-extracting with the same engine changes nothing either.
    let out = env.truce(&["reextract"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(incidents_and_events(&env).0, incidents);
}
