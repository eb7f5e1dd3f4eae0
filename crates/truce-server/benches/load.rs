//! Load benchmark: the incident list and the map under a steady request rate.
//!
//! A real server on 127.0.0.1 over a SQLite database holding a generated record of
//! `TRUCE_LOAD_INCIDENTS` incidents (default 1,000,000; see `support/incidents.rs`), made once
//! and kept in `target/bench-load/`. An open-loop client in the same process sends
//! `TRUCE_LOAD_RATE` requests a second (default 200) for `TRUCE_LOAD_SECS` seconds (default 30),
//! two fifths of them the dashboard's incident list (`/api/v1/incidents`, 50 a page), two fifths
//! its map (`/api/v1/incidents/points`), over 30-day windows like the dashboard's default, a
//! quarter filtered by type, a quarter by province, some fetching the list's second page by
//! cursor, a quarter of the rest with the list's text filter (`q=`, one word: the incidents'
//! names and their reports' words); and a fifth the search over the reports (`/api/v1/search`,
//! one report an incident, written once beside the record: a million reports in the full-text
//! index), for one word or two of their vocabulary.
//! Latency is measured from when each request was due, not when it went out, so a slow server
//! cannot hide its queue. Prints p50/p90/p99/max per kind, the achieved rate, errors and the
//! process's peak resident memory.
//!
//! `cargo bench -p truce-server --bench load`

#[allow(
    dead_code,
    reason = "the corpus module is shared with other benches and examples"
)]
mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::incidents::{DAYS, KINDS, PROVINCES, Rng, first_day, incidents};
use tokio::sync::Mutex;
use truce_model::Role;
use truce_store::{NewIncident, NewUser, Store};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Opens the benchmark database, writing the record first when it is not there yet.
async fn database(n: usize) -> (Arc<dyn Store>, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-load");
    std::fs::create_dir_all(&dir).expect("target/bench-load");
    let path = dir.join(format!("incidents-{n}.db"));
    let done = dir.join(format!("incidents-{n}.done"));
    if !done.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let store: Arc<dyn Store> = Arc::from(
        truce_store::open(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("the benchmark database"),
    );
    if !done.exists() {
        let started = Instant::now();
        const BATCH: usize = 50_000;
        for from in (0..n).step_by(BATCH) {
            let batch: Vec<NewIncident> = incidents(from, (from + BATCH).min(n))
                .into_iter()
                .map(|incident| NewIncident { id: None, incident })
                .collect();
            store
                .replace_incidents(Some(&[]), &batch, &[])
                .await
                .expect("incidents written");
            eprint!("\rwriting the record: {} of {n}", from + batch.len());
        }
        eprintln!(" in {:.0} s", started.elapsed().as_secs_f64());
        let hash = truce_server::auth::hash_password("load benchmark password").expect("a hash");
        store
            .create_user(
                &NewUser {
                    username: "analyst".into(),
                    password_hash: hash,
                    role: Role::CoChair,
                    party: None,
                },
                "bench",
            )
            .await
            .expect("an account");
        std::fs::write(&done, "").expect("the marker");
    }
    let reports_done = dir.join(format!("reports-{n}.done"));
    if !reports_done.exists() {
        write_reports(&path, n).await;
        std::fs::write(&reports_done, "").expect("the marker");
    }
    (store, path)
}

/// Words the generated reports are written with, besides their incident's town and province.
const VOCABULARY: [&str; 24] = [
    "hospital",
    "market",
    "school",
    "bakery",
    "mosque",
    "checkpoint",
    "convoy",
    "shelling",
    "airstrike",
    "drone",
    "mortar",
    "rockets",
    "clashes",
    "ambush",
    "displaced",
    "rescuers",
    "residents",
    "medics",
    "witnesses",
    "ceasefire",
    "violation",
    "rubble",
    "wounded",
    "night",
];

/// A word of the vocabulary.
fn word(rng: &mut Rng) -> &'static str {
    VOCABULARY[rng.below(VOCABULARY.len() as u64) as usize]
}

/// One report an incident (the document its first source names), so that the search over the
/// reports has a record's worth to search: its town, province, type and toll in words, and
/// four words of the vocabulary. Written straight into the tables (the full-text index kept by
/// its triggers), once.
async fn write_reports(path: &std::path::Path, n: usize) {
    let started = Instant::now();
    let store = truce_store::SqliteStore::open(path.to_str().expect("a UTF-8 path"))
        .await
        .expect("the benchmark database");
    const BATCH: usize = 50_000;
    for from in (0..n).step_by(BATCH) {
        let rows: Vec<serde_json::Value> = incidents(from, (from + BATCH).min(n))
            .into_iter()
            .enumerate()
            .map(|(k, i)| {
                let id = i.sources[0].document;
                let mut rng = Rng(0xBEEF ^ id as u64);
                let words: Vec<&str> = (0..4).map(|_| word(&mut rng)).collect();
                let place = i.location.as_ref().expect("a place");
                let killed = i.fatalities.and_then(|f| f.best).unwrap_or(0);
                serde_json::json!({
                    "id": id,
                    "hash": format!("{:064x}", from + k),
                    "title": format!("{} in {}", i.event_type, place.name),
                    "published": i.date.map(|d| d.to_string()),
                    "text": format!(
                        "{} ({}): {} reported near the {} and the {}; {killed} killed, {} said after the {} at {}.",
                        place.name,
                        place.admin1.as_deref().unwrap_or(""),
                        i.event_type,
                        words[0], words[1], words[2], words[3],
                        i.date.map(|d| d.to_string()).unwrap_or_default(),
                    ),
                })
            })
            .collect();
        sqlx::query(
            "INSERT INTO documents (id, content_hash, source_kind, source_location, title, \
             published, language, text, status, ingested_at, updated_at) \
             SELECT json_extract(value, '$.id'), json_extract(value, '$.hash'), 'file', \
             'generated', json_extract(value, '$.title'), json_extract(value, '$.published'), \
             'en', json_extract(value, '$.text'), 'parsed', '2026-01-01T00:00:00Z', \
             '2026-01-01T00:00:00Z' FROM json_each($1)",
        )
        .bind(serde_json::Value::Array(rows).to_string())
        .execute(store.pool())
        .await
        .expect("reports written");
        eprint!("\rwriting the reports: {} of {n}", (from + BATCH).min(n));
    }
    eprintln!(" in {:.0} s", started.elapsed().as_secs_f64());
}

/// One request of the mix: its kind and path.
fn request(rng: &mut Rng, latest_cursor: Option<&str>) -> (&'static str, String) {
    // Windows end on a random day, the latest one a third of the time (the dashboard's default).
    let end = if rng.below(3) == 0 {
        DAYS - 1
    } else {
        30 + rng.below(DAYS - 30)
    };
    let until = first_day() + chrono::Duration::days(end as i64);
    let since = until - chrono::Duration::days(30);
    let mut filters = format!("since={since}&until={until}");
    match rng.below(4) {
        0 => {
            let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
            filters.push_str(&format!(
                "&type={}",
                kind.replace('/', "%2F").replace(' ', "+")
            ));
        }
        1 => {
            let area = PROVINCES[rng.below(PROVINCES.len() as u64) as usize];
            filters.push_str(&format!("&area={}", area.replace(' ', "+")));
        }
        _ => {}
    }
    let pick = rng.below(5);
    if pick == 4 {
        let mut q = word(rng).to_string();
        if rng.below(2) == 0 {
            q.push('+');
            q.push_str(word(rng));
        }
        ("search", format!("/api/v1/search?q={q}&limit=10"))
    } else if pick < 2 {
        ("map", format!("/api/v1/incidents/points?{filters}"))
    } else if let Some(cursor) = latest_cursor.filter(|_| rng.below(5) == 0) {
        (
            "list",
            format!("/api/v1/incidents?limit=50&cursor={cursor}"),
        )
    } else if rng.below(4) == 0 {
        // The list's text filter: the incidents' names and their reports' words.
        (
            "list?q",
            format!("/api/v1/incidents?limit=50&{filters}&q={}", word(rng)),
        )
    } else {
        ("list", format!("/api/v1/incidents?limit=50&{filters}"))
    }
}

/// The kinds of request, as the results name them.
const KINDS_OF_REQUEST: [&str; 4] = ["list", "list?q", "map", "search"];

/// One request's kind, latency, success and answer size.
type Outcome = (&'static str, Duration, bool, usize);

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let n = setting("TRUCE_LOAD_INCIDENTS", 1_000_000) as usize;
    let rate = setting("TRUCE_LOAD_RATE", 200).max(1);
    let secs = setting("TRUCE_LOAD_SECS", 30).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let (store, path) = database(n).await;
        let token = truce_server::auth::random_token();
        store
            .create_token(
                "analyst",
                "load benchmark",
                &truce_server::auth::token_hash(&token),
                chrono::Utc::now() + chrono::Duration::days(1),
                "bench",
            )
            .await
            .expect("a token");
        // The engine's gazetteer reads the area filter's spellings (the benchmark submits no
        // reports).
        let engine: truce_server::ExtractorFactory =
            Arc::new(|| truce_app::Extractor::new().map_err(|e| e.to_string()));
        let app = truce_server::app(store, engine, &truce_server::ServerConfig::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(truce_server::serve(
            listener,
            app,
            truce_server::Limits::default(),
        ));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .expect("a client");
        println!(
            "{n} incidents in {}; {rate} requests/s for {secs} s",
            path.display()
        );

        // Build the engine (its gazetteer reads the area filter), once, before anything is timed.
        let warm = client
            .get(format!("{base}/api/v1/map/places?bbox=35,36,36,37"))
            .send()
            .await
            .expect("an answer");
        assert!(warm.status().is_success(), "{}", warm.status());

        // Warm the page cache and the connection pool, and measure the service time of each
        // kind of request one at a time.
        let mut rng = Rng(1);
        let mut serial: Vec<(&str, f64)> = Vec::new();
        for _ in 0..100 {
            let (kind, p) = request(&mut rng, None);
            let t = Instant::now();
            let r = client
                .get(format!("{base}{p}"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("an answer");
            assert!(r.status().is_success(), "{p}: {}", r.status());
            let _ = r.bytes().await;
            serial.push((kind, t.elapsed().as_secs_f64() * 1000.0));
        }
        for kind in KINDS_OF_REQUEST {
            let l: Vec<f64> = serial.iter().filter(|s| s.0 == kind).map(|s| s.1).collect();
            println!(
                "{kind:>6}, one at a time: mean {:.1} ms over {} requests",
                l.iter().sum::<f64>() / l.len().max(1) as f64,
                l.len()
            );
        }

        let results: Arc<Mutex<Vec<Outcome>>> = Arc::new(Mutex::new(Vec::new()));
        let cursor: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let interval = Duration::from_secs_f64(1.0 / rate as f64);
        let started = tokio::time::Instant::now();
        let total = rate * secs;
        let mut rng = Rng(42);
        let mut tasks = Vec::with_capacity(total as usize);
        for i in 0..total {
            let due = started + interval * i as u32;
            tokio::time::sleep_until(due).await;
            let latest = cursor.lock().await.clone();
            let (kind, p) = request(&mut rng, latest.as_deref());
            let (client, token, results, cursor, url) = (
                client.clone(),
                token.clone(),
                results.clone(),
                cursor.clone(),
                format!("{base}{p}"),
            );
            tasks.push(tokio::spawn(async move {
                let reply = client.get(url).bearer_auth(token).send().await;
                let (ok, bytes) = match reply {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(b) => {
                            if kind == "list"
                                && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&b)
                                && let Some(next) = v["next"].as_str()
                            {
                                *cursor.lock().await = Some(next.to_string());
                            }
                            (true, b.len())
                        }
                        Err(_) => (false, 0),
                    },
                    _ => (false, 0),
                };
                let latency = due.elapsed();
                results.lock().await.push((kind, latency, ok, bytes));
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let results = results.lock().await;
        println!(
            "{} requests in {elapsed:.1} s ({:.0} requests/s); {} failed",
            results.len(),
            results.len() as f64 / elapsed,
            results.iter().filter(|r| !r.2).count()
        );
        for kind in KINDS_OF_REQUEST {
            let mut l: Vec<Duration> = results
                .iter()
                .filter(|r| r.0 == kind)
                .map(|r| r.1)
                .collect();
            l.sort();
            let bytes: usize = results.iter().filter(|r| r.0 == kind).map(|r| r.3).sum();
            println!(
                "{kind:>6}: {} requests, mean answer {:.0} kB; latency ms p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}",
                l.len(),
                bytes as f64 / l.len().max(1) as f64 / 1000.0,
                percentile(&l, 0.50),
                percentile(&l, 0.90),
                percentile(&l, 0.99),
                percentile(&l, 1.0),
            );
        }
        println!("peak resident memory {:.0} MB (server and client)", peak_memory_mb());
    });
}
