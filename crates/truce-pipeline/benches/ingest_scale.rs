//! Ingest as the record grows: does the millionth incident's report go in as fast as the first?
//!
//! Databases holding 0, 10,000, 100,000 and 1,000,000 incidents are built **through the ingest
//! path** (generated short reports written as JSONL, stored, extracted, resolved and assessed by
//! the same calls `truce ingest` makes: `Ingestor::ingest_paths`, then `finish_pending`), each
//! level grown from a copy of the one below and kept under `target/ingest-scale/CALENDAR/` for
//! the next run. Then, into a fresh copy of each, batches of 1,000 and 10,000 new reports are
//! taken in by a child process, which reports its wall time (until the write-ahead log is copied
//! into the file: the last checkpoint is timed too), the time of each stage and its peak memory
//! (VmHWM, the engine's gazetteer included); each batch is run `--repeat` times (3) and the
//! median run shown. The engine is built before the clock starts, as a server or a watcher
//! builds it once.
//!
//! Two ways for the record to grow (`--calendar`, see `support/reports.rs`):
//!
//! - `daily` (the default; `--per-day 100`): the same number of occurrences every day, a larger
//!   record a longer one; the batches tell the days after the record's last, which meet the
//!   record where it is newest. The million-incident record runs 29 years (1990 to July
//!   2019). This is the question the benchmark asks: does what is stored far away in time cost
//!   anything?
//! - `spread`: the occurrences of every level scattered over the same ten years, a larger record
//!   a denser one; the batches tell other occurrences of those years. Each new report then has
//!   more neighbours to be compared with as the record grows, which costs by the neighbourhood's
//!   size, not the record's.
//!
//! ```sh
//! cargo bench -p truce-pipeline --bench ingest_scale
//! cargo bench -p truce-pipeline --bench ingest_scale -- --levels 0,10000 --batches 1000
//! cargo bench -p truce-pipeline --bench ingest_scale -- --calendar spread --levels 0,10000,100000
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

use reports::Calendar;

/// Occurrences generated a chunk when a level is built.
const CHUNK: u64 = 12_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure") {
        measure(Path::new(&args[1]), Path::new(&args[2]));
        return;
    }
    let value = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, String::as_str)
            .to_string()
    };
    let numbers = |name: &str, default: &str| -> Vec<u64> {
        value(name, default)
            .split(',')
            .map(|n| n.trim().parse().expect("a list of numbers"))
            .collect()
    };
    let levels = numbers("--levels", "0,10000,100000,1000000");
    let batches = numbers("--batches", "1000,10000");
    let repeat = numbers("--repeat", "3")[0].max(1);
    let calendar = match value("--calendar", "daily").as_str() {
        "spread" => Calendar::Spread,
        "daily" => Calendar::Daily(numbers("--per-day", "100")[0]),
        other => panic!("--calendar is daily or spread, not {other}"),
    };
    let name = match calendar {
        Calendar::Spread => "spread".to_string(),
        Calendar::Daily(n) => format!("daily-{n}"),
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/ingest-scale")
        .join(name);
    std::fs::create_dir_all(&dir).expect("a folder under target/");
    let engine = Arc::new(Extractor::new().expect("the engine"));
    let towns = reports::towns(&engine);
    eprintln!("{} towns in 15 countries", towns.len());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    println!(
        "| incidents before | reports taken in | seconds, median (range) | reports/s | peak memory | storing | reading | extracting | saving | resolving | assessing | checkpoint |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for level in levels {
        let (db, next) = runtime.block_on(build_level(&dir, level, calendar, &engine, &towns));
        let before = incidents(&db);
        let copy = dir.join("measured.db");
        for (i, batch) in batches.iter().enumerate() {
            // Never occurrences the database was built from: on a daily calendar, those of the
            // days after its last; spread, those of stream 1000 + i, on days drawn from the same
            // ten years.
            let lines = match calendar {
                Calendar::Daily(_) => reports::reports(&towns, calendar, 0, next, next + batch),
                Calendar::Spread => reports::reports(&towns, calendar, 1_000 + i as u64, 0, *batch),
            };
            let lines = &lines[..lines.len().min(*batch as usize)];
            let file = dir.join(format!("batch-{batch}.jsonl"));
            std::fs::write(&file, lines.join("\n") + "\n").expect("the batch written");
            // Each run on a fresh copy of the level; the median run is shown.
            let mut runs: Vec<serde_json::Value> = (0..repeat)
                .map(|_| {
                    copy_database(&db, &copy);
                    let out =
                        std::process::Command::new(std::env::current_exe().expect("this program"))
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
                    serde_json::from_slice(&out.stdout).expect("the child's figures")
                })
                .collect();
            let seconds = |m: &serde_json::Value| m["seconds"].as_f64().unwrap_or(0.0);
            runs.sort_by(|a, b| seconds(a).total_cmp(&seconds(b)));
            let m = &runs[runs.len() / 2];
            let spread = if runs.len() > 1 {
                format!(
                    " ({:.2}-{:.2})",
                    seconds(&runs[0]),
                    seconds(&runs[runs.len() - 1])
                )
            } else {
                String::new()
            };
            let stage = |name: &str| m["stages"][name].as_f64().unwrap_or(0.0);
            println!(
                "| {before} | {} | {:.2}{spread} | {:.0} | {} MB | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                lines.len(),
                seconds(m),
                lines.len() as f64 / seconds(m).max(1e-9),
                m["peak_kb"].as_u64().unwrap_or(0) / 1024,
                stage("storing"),
                stage("reading"),
                stage("extracting"),
                stage("saving"),
                stage("resolving"),
                stage("assessing"),
                stage("checkpoint"),
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
    calendar: Calendar,
    engine: &Arc<Extractor>,
    towns: &[reports::Town],
) -> (PathBuf, u64) {
    let db = dir.join(format!("level-{level}.db"));
    let next_file = dir.join(format!("level-{level}.next"));
    if let Ok(next) = std::fs::read_to_string(&next_file) {
        return (
            db,
            next.trim().parse().expect("the level's next occurrence"),
        );
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
        let lines = reports::reports(towns, calendar, 0, next, next + CHUNK);
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
    (db, next)
}

/// In the child: takes `file` into `db` the way `truce ingest` does and prints its figures.
fn measure(db: &Path, file: &Path) {
    let engine = Arc::new(Extractor::new().expect("the engine"));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (seconds, storing, stored, summary) = runtime.block_on(async {
        let store = SqliteStore::open(&db.display().to_string())
            .await
            .expect("the database");
        let started = Instant::now();
        let stored = Ingestor::new(&store, IngestConfig::default(), &Quiet)
            .ingest_paths(&[file.to_path_buf()], &[])
            .await
            .expect("stored");
        let storing = started.elapsed().as_secs_f64();
        let summary = finish_pending(&store, engine, AlertRule::default())
            .await
            .expect("extracted and resolved");
        // What the write-ahead log still holds is copied into the database file before the
        // clock stops: a run that left it there would only have deferred the work.
        let settled = Instant::now();
        // (The store's own checkpointer may be copying it now: until everything is copied.)
        let c = rusqlite::Connection::open(db).expect("the database");
        loop {
            let (busy, log, copied): (i64, i64, i64) = c
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .expect("a checkpoint");
            if busy == 0 && log == copied {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let checkpoint = settled.elapsed().as_secs_f64();
        let seconds = started.elapsed().as_secs_f64();
        store.pool().close().await;
        (seconds, storing, stored, (summary, checkpoint))
    });
    let (summary, checkpoint) = summary;
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
                "storing": storing,
                "reading": t.reading.as_secs_f64(),
                "extracting": t.extracting.as_secs_f64(),
                "saving": t.saving.as_secs_f64(),
                "resolving": t.resolving.as_secs_f64(),
                "assessing": t.assessing.as_secs_f64(),
                "checkpoint": checkpoint,
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

/// Copies a database and writes the copy to disk before anything is measured on it: otherwise
/// the first checkpoint's `fsync` of the measured run would write the whole fresh copy (eight
/// gigabytes at a million incidents) and be counted.
fn copy_database(from: &Path, to: &Path) {
    remove_database(to);
    for suffix in ["", "-wal"] {
        let source = PathBuf::from(format!("{}{suffix}", from.display()));
        if source.exists() {
            let target = format!("{}{suffix}", to.display());
            std::fs::copy(&source, &target).expect("copied");
            std::fs::File::open(&target)
                .and_then(|f| f.sync_all())
                .expect("the copy written to disk");
        }
    }
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
