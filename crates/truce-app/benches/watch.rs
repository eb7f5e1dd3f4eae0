//! The watcher under load: 1,000 sources on a local server, each fetched every minute, for a
//! few minutes. Says whether it keeps every schedule (how late each fetch began after its
//! source was due: p50, p99, max), what a fetch costs, the CPU it took and its peak memory.
//!
//! The server: 50 hosts (127.0.0.2 to 127.0.0.51, so the per-host limit applies as it would),
//! 20 feeds each, every feed with an ETag; each minute a tenth of the feeds gain an item (a
//! short report of a strike in one of a few Syrian towns), the rest answer 304. The watcher
//! runs as `truce watch` does (the real engine, a SQLite file, extraction beside the fetching).
//! CPU time and peak memory are the whole process's: the watcher, its engine, and the local
//! server (which answers from memory).
//!
//! ```sh
//! cargo bench -p truce-app --bench watch                    # 1,000 sources, 3 minutes
//! cargo bench -p truce-app --bench watch -- --sources 200 --minutes 2
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use truce_app::sources::SourceRequest;
use truce_app::watch::{Poll, WatchConfig, WatchObserver, Watcher};
use truce_model::{FetchResult, WatchKind};
use truce_store::Store;

const HOSTS: usize = 50;
const TOWNS: [&str; 6] = [
    "Saraqib",
    "Ariha",
    "Maarrat al-Numan",
    "Binnish",
    "Sarmin",
    "Taftanaz",
];

/// Each feed's items, and the version its ETag names.
#[derive(Default)]
struct Feeds {
    items: HashMap<usize, Vec<String>>,
    version: HashMap<usize, u32>,
}

type Shared = Arc<Mutex<Feeds>>;

fn rss(n: usize, items: &[String]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>\
         <link>http://feeds.example/{n}</link><description>wire</description>"
    );
    for item in items.iter().rev().take(20) {
        xml.push_str(item);
    }
    xml.push_str("</channel></rss>");
    xml
}

fn add_item(feeds: &mut Feeds, n: usize, k: u32) {
    let town = TOWNS[(n + k as usize) % TOWNS.len()];
    let killed = 1 + (n + k as usize) % 7;
    let item = format!(
        "<item><guid>feed-{n}-item-{k}</guid><title>Shelling of {town}</title><description>Artillery \
         shelling hit {town} in Idlib province on Monday, killing {killed} civilians, local \
         medics said.</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
    );
    feeds.items.entry(n).or_default().push(item);
    *feeds.version.entry(n).or_default() += 1;
}

async fn feed(State(feeds): State<Shared>, Path(n): Path<usize>, headers: HeaderMap) -> Response {
    let (body, etag) = {
        let f = feeds.lock().unwrap();
        let version = f.version.get(&n).copied().unwrap_or(0);
        let etag = format!("\"{n}-{version}\"");
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(&etag)
        {
            return StatusCode::NOT_MODIFIED.into_response();
        }
        (rss(n, f.items.get(&n).map_or(&[][..], Vec::as_slice)), etag)
    };
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_string()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

/// Every poll's lag and duration, and the new reports.
#[derive(Default)]
struct Record {
    lags: Mutex<Vec<f64>>,
    took: Mutex<Vec<f64>>,
    new: Mutex<u64>,
    failed: Mutex<u64>,
}

impl WatchObserver for Record {
    fn polled(&self, poll: &Poll) {
        self.lags.lock().unwrap().push(poll.lag().as_secs_f64());
        self.took.lock().unwrap().push(poll.took.as_secs_f64());
        *self.new.lock().unwrap() += u64::from(poll.new_reports);
        if let FetchResult::Failed(why) = &poll.result {
            *self.failed.lock().unwrap() += 1;
            eprintln!("failed: {}: {why}", poll.source.url);
        }
    }
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    values[((values.len() - 1) as f64 * q).round() as usize]
}

/// The process's CPU time (user + system), from /proc/self/stat (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the whole line; 12 and 13 after the command's closing parenthesis.
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let sources = arg("--sources", 1000) as usize;
    let minutes = arg("--minutes", 3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(sources, minutes));
}

async fn run(sources: usize, minutes: u64) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let feeds: Shared = Arc::default();
    {
        let mut f = feeds.lock().unwrap();
        for n in 0..sources {
            add_item(&mut f, n, 0);
        }
    }
    let mut port = 0;
    for h in 0..HOSTS {
        let ip = format!("127.0.0.{}", h + 2);
        let listener = tokio::net::TcpListener::bind((ip.as_str(), port))
            .await
            .unwrap();
        port = listener.local_addr().unwrap().port();
        let app = Router::new()
            .route("/feeds/{n}", get(feed))
            .with_state(feeds.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");
    let store: Arc<dyn Store> = Arc::from(truce_store::open(db.to_str().unwrap()).await.unwrap());
    for n in 0..sources {
        let request = SourceRequest {
            url: format!("http://127.0.0.{}:{port}/feeds/{n}", n % HOSTS + 2),
            name: Some(format!("Feed {n}")),
            every: Some("1m".into()),
            kind: Some(WatchKind::Feed),
            follow_links: false,
        };
        truce_app::sources::add(store.as_ref(), &request, "bench")
            .await
            .unwrap();
    }
    let engine = Arc::new(truce_extract::Extractor::new().unwrap());
    // Every source due now, when the clock starts (not when it was added, before the engine
    // was built).
    for s in store.sources().await.unwrap() {
        store.set_source_paused(s.id, false, "bench").await.unwrap();
    }
    let config = WatchConfig::default();
    println!(
        "{sources} sources on {HOSTS} hosts, every 60 s, for {minutes} min; concurrency {}, {} a host",
        config.concurrency, config.per_host
    );
    let watcher = Arc::new(Watcher::new(store.clone(), config).unwrap());
    let record = Arc::new(Record::default());
    // A tenth of the feeds gain an item each minute.
    let changing = {
        let feeds = feeds.clone();
        tokio::spawn(async move {
            let mut k = 1;
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                let mut f = feeds.lock().unwrap();
                for n in (0..sources).filter(|n| (n + k as usize).is_multiple_of(10)) {
                    add_item(&mut f, n, k);
                }
                k += 1;
            }
        })
    };
    let cpu = cpu_seconds();
    let started = Instant::now();
    let deadline = Duration::from_secs(60 * minutes);
    watcher
        .run(engine, record.clone(), tokio::time::sleep(deadline))
        .await
        .unwrap();
    changing.abort();
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let mut lags = record.lags.lock().unwrap().clone();
    let mut took = record.took.lock().unwrap().clone();
    let fetches = lags.len();
    // The first fetch of every source is due at once, when they were all added: its lag is the
    // time to work through the whole register, reported apart.
    let mut first: Vec<f64> = lags.iter().take(sources).copied().collect();
    let mut steady: Vec<f64> = lags.split_off(sources.min(lags.len()));
    let documents = store.document_counts().await.unwrap().parsed;
    println!(
        "fetches: {fetches} in {wall:.0} s ({:.1}/s); new reports: {}; failed: {}; documents stored: {documents}",
        fetches as f64 / wall,
        record.new.lock().unwrap(),
        record.failed.lock().unwrap()
    );
    println!(
        "first pass (all {sources} due at once): lag p50 {:.3} s, p99 {:.3} s, max {:.3} s",
        quantile(&mut first, 0.5),
        quantile(&mut first, 0.99),
        quantile(&mut first, 1.0)
    );
    println!(
        "after it ({} fetches): lag p50 {:.3} s, p99 {:.3} s, max {:.3} s",
        steady.len(),
        quantile(&mut steady, 0.5),
        quantile(&mut steady, 0.99),
        quantile(&mut steady, 1.0)
    );
    println!(
        "fetch and store: p50 {:.1} ms, p99 {:.1} ms",
        quantile(&mut took, 0.5) * 1000.0,
        quantile(&mut took, 0.99) * 1000.0
    );
    println!(
        "CPU: {cpu:.1} s over {wall:.0} s ({:.1} % of one core); peak memory {:.0} MB",
        100.0 * cpu / wall,
        peak_memory_mb()
    );
}
