//! Ingest as the record grows: does the millionth incident's report go in as fast as the first?
//!
//! Databases holding 0, 10,000, 100,000 and 1,000,000 incidents are built **through the ingest
//! path** (generated short reports written as JSONL, stored, extracted, resolved and assessed by
//! the same calls `truce ingest` makes: `Ingestor::ingest_paths`, then `finish_pending`), each
//! level grown from a copy of the one below and kept under `target/ingest-scale/` for the next
//! run. Then, into a copy of each, batches of 1,000 and 10,000 new reports (occurrences of the
//! same towns and years, so that they meet the record) are taken in by a child process, which
//! reports its wall time, the time of each stage and its peak memory (VmHWM, the engine's
//! gazetteer included). The engine is built before the clock starts, as a server or a watcher
//! builds it once.
//!
//! ```sh
//! cargo bench -p truce-pipeline --bench ingest_scale
//! cargo bench -p truce-pipeline --bench ingest_scale -- --levels 0,10000 --batches 1000
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use truce_extract::Extractor;
use truce_monitor::AlertRule;
use truce_pipeline::{IngestConfig, Ingestor, Quiet, finish_pending};
use truce_store::SqliteStore;

#[path = "support/reports.rs"]
mod reports;

/// Occurrences generated a chunk when a level is built.
const CHUNK: u64 = 12_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure") {
        measure(Path::new(&args[1]), Path::new(&args[2]));
        return;
    }
    let option = |name: &str, default: &str| -> Vec<u64> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, String::as_str)
            .split(',')
            .map(|n| n.trim().parse().expect("a list of numbers"))
            .collect()
    };
    let levels = option("--levels", "0,10000,100000,1000000");
    let batches = option("--batches", "1000,10000");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ingest-scale");
    std::fs::create_dir_all(&dir).expect("a folder under target/");
    let engine = Arc::new(Extractor::new().expect("the engine"));
    let towns = reports::towns(&engine);
    eprintln!("{} towns in 15 countries", towns.len());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    println!(
        "| incidents before | reports taken in | seconds | reports/s | peak memory | reading | extracting | saving | resolving | assessing |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for level in levels {
        let db = runtime.block_on(build_level(&dir, level, &engine, &towns));
        let before = incidents(&db);
        let copy = dir.join("measured.db");
        copy_database(&db, &copy);
        for (i, batch) in batches.iter().enumerate() {
            // Occurrences of stream 1000 + i: never the ones the database was built from.
            let lines = reports::reports(&towns, 1_000 + i as u64, 0, *batch);
            let lines = &lines[..lines.len().min(*batch as usize)];
            let file = dir.join(format!("batch-{batch}.jsonl"));
            std::fs::write(&file, lines.join("\n") + "\n").expect("the batch written");
            let out = std::process::Command::new(std::env::current_exe().expect("this program"))
                .arg("--measure")
                .arg(&copy)
                .arg(&file)
                .output()
                .expect("the measuring child");
            assert!(
                out.status.success(),
                "the measuring child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let m: serde_json::Value =
                serde_json::from_slice(&out.stdout).expect("the child's figures");
            let seconds = m["seconds"].as_f64().unwrap_or(0.0);
            let stage = |name: &str| m["stages"][name].as_f64().unwrap_or(0.0);
            println!(
                "| {before} | {} | {seconds:.2} | {:.0} | {} MB | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                lines.len(),
                lines.len() as f64 / seconds.max(1e-9),
                m["peak_kb"].as_u64().unwrap_or(0) / 1024,
                stage("reading"),
                stage("extracting"),
                stage("saving"),
                stage("resolving"),
                stage("assessing"),
            );
        }
        remove_database(&copy);
    }
}

/// The database holding at least `level` incidents, built (from the largest smaller level kept)
/// when missing.
async fn build_level(
    dir: &Path,
    level: u64,
    engine: &Arc<Extractor>,
    towns: &[reports::Town],
) -> PathBuf {
    let db = dir.join(format!("level-{level}.db"));
    let next_file = dir.join(format!("level-{level}.next"));
    if next_file.exists() {
        return db;
    }
    // Grown from the largest level below it that was kept.
    let mut start = 0;
    let mut below: Vec<u64> = std::fs::read_dir(dir)
        .expect("the folder")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_prefix("level-")?
                .strip_suffix(".next")?
                .parse()
                .ok()
        })
        .filter(|l| *l < level)
        .collect();
    below.sort_unstable();
    remove_database(&db);
    if let Some(from) = below.last() {
        copy_database(&dir.join(format!("level-{from}.db")), &db);
        start = std::fs::read_to_string(dir.join(format!("level-{from}.next")))
            .expect("the level's next occurrence")
            .trim()
            .parse()
            .expect("a number");
    }
    let store = SqliteStore::open(&db.display().to_string())
        .await
        .expect("the database");
    let started = Instant::now();
    let mut taken = 0;
    let mut next = start;
    while incidents(&db) < level {
        let lines = reports::reports(towns, 0, next, next + CHUNK);
        next += CHUNK;
        let file = dir.join("chunk.jsonl");
        std::fs::write(&file, lines.join("\n") + "\n").expect("the chunk written");
        Ingestor::new(&store, IngestConfig::default(), &Quiet)
            .ingest_paths(&[file], &[])
            .await
            .expect("stored");
        finish_pending(&store, engine.clone(), AlertRule::default())
            .await
            .expect("extracted and resolved");
        taken += lines.len();
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "level {level}: {} incidents from {taken} reports in {secs:.0} s ({:.0} reports/s)",
            incidents(&db),
            taken as f64 / secs
        );
    }
    store.pool().close().await;
    std::fs::write(&next_file, next.to_string()).expect("the level's next occurrence");
    db
}

/// In the child: takes `file` into `db` the way `truce ingest` does and prints its figures.
fn measure(db: &Path, file: &Path) {
    let engine = Arc::new(Extractor::new().expect("the engine"));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (seconds, stored, summary) = runtime.block_on(async {
        let store = SqliteStore::open(&db.display().to_string())
            .await
            .expect("the database");
        let started = Instant::now();
        let stored = Ingestor::new(&store, IngestConfig::default(), &Quiet)
            .ingest_paths(&[file.to_path_buf()], &[])
            .await
            .expect("stored");
        let summary = finish_pending(&store, engine, AlertRule::default())
            .await
            .expect("extracted and resolved");
        let seconds = started.elapsed().as_secs_f64();
        store.pool().close().await;
        (seconds, stored, summary)
    });
    assert_eq!(
        summary.documents,
        stored.stored(),
        "every new report extracted once"
    );
    let t = summary.stages;
    println!(
        "{}",
        serde_json::json!({
            "seconds": seconds,
            "reports": stored.stored(),
            "peak_kb": peak_kb(),
            "stages": {
                "reading": t.reading.as_secs_f64(),
                "extracting": t.extracting.as_secs_f64(),
                "saving": t.saving.as_secs_f64(),
                "resolving": t.resolving.as_secs_f64(),
                "assessing": t.assessing.as_secs_f64(),
            },
        })
    );
}

/// This process's peak resident memory (VmHWM), in KB.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn incidents(db: &Path) -> u64 {
    let conn = rusqlite::Connection::open(db).expect("the database");
    conn.query_row("SELECT count(*) FROM incidents", [], |r| r.get::<_, i64>(0))
        .map_or(0, |n| n as u64)
}

fn copy_database(from: &Path, to: &Path) {
    remove_database(to);
    for suffix in ["", "-wal"] {
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        if source.exists() {
            std::fs::copy(&source, format!("{}{suffix}", to.display())).expect("copied");
        }
    }
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
