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
