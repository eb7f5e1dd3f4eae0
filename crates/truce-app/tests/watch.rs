//! The watcher against a local HTTP server whose feeds and pages change over time, answer 304,
//! fail, answer slowly, compress, change their charset, send too much or redirect for ever:
//! every report taken in once, every failure recorded against its source, no source held up
//! by another.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use truce_app::sources::{self, SourceRequest};
use truce_app::watch::{Poll, WatchConfig, Watcher};
use truce_extract::Extractor;
use truce_model::{DocumentStatus, FetchResult, FetchStatus, SourceHealth, WatchKind};
use truce_pipeline::{IngestConfig, Quiet};
use truce_store::{DocumentQuery, PendingStage, Store};

/// What one path answers.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    /// Sent as `ETag`; a request with it in `If-None-Match` is answered 304.
    etag: Option<String>,
    delay: Duration,
    gzip: bool,
    /// Answers 302 to this location instead.
    redirect: Option<String>,
}

impl Answer {
    fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            content_type,
            body: body.into(),
            etag: None,
            delay: Duration::ZERO,
            gzip: false,
            redirect: None,
        }
    }
}

/// A site whose answers the test changes, counting the requests of each path.
#[derive(Clone, Default)]
struct Site {
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    hits: Arc<Mutex<HashMap<String, u32>>>,
}

impl Site {
    fn set(&self, path: &str, answer: Answer) {
        self.answers.lock().unwrap().insert(path.into(), answer);
    }

    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

async fn answer(
    State(site): State<Site>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    *site.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let Some(a) = site.answers.lock().unwrap().get(&path).cloned() else {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    };
    tokio::time::sleep(a.delay).await;
    if let Some(to) = &a.redirect {
        return Response::builder()
            .status(302)
            .header(header::LOCATION, to.as_str())
            .body(Body::empty())
            .unwrap();
    }
    if let Some(etag) = &a.etag
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = Response::builder()
        .status(a.status)
        .header(header::CONTENT_TYPE, a.content_type);
    if let Some(etag) = &a.etag {
        response = response.header(header::ETAG, HeaderValue::from_str(etag).unwrap());
    }
    let body = if a.gzip {
        response = response.header(header::CONTENT_ENCODING, "gzip");
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&a.body).unwrap();
        z.finish().unwrap()
    } else {
        a.body
    };
    response.body(Body::from(body)).unwrap()
}

async fn serve(site: Site) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/{*path}", get(answer))
        .with_state(site);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// An RSS feed of `(guid, title, text, link)` items.
fn rss(items: &[(&str, &str, &str, Option<&str>)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Field wire</title><link>http://wire.example/</link><description>wire</description>",
    );
    for (guid, title, text, link) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><description>{text}</description>\
             <pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>{}</item>",
            link.map(|l| format!("<link>{l}</link>"))
                .unwrap_or_default()
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

fn engine() -> Arc<Extractor> {
    static ENGINE: OnceLock<Arc<Extractor>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Arc::new(Extractor::new().expect("the engine builds")))
        .clone()
}

fn config(timeout_secs: u64, max_bytes: u64) -> WatchConfig {
    WatchConfig {
        ingest: IngestConfig {
            http_timeout_secs: timeout_secs,
            max_bytes,
            ..IngestConfig::default()
        },
        ..WatchConfig::default()
    }
}

async fn add(store: &Arc<dyn Store>, url: String, kind: WatchKind, follow: bool) -> i64 {
    let request = SourceRequest {
        url,
        kind: Some(kind),
        follow_links: follow,
        every: Some("60s".into()),
        ..SourceRequest::default()
    };
    sources::add(store.as_ref(), &request, "admin")
        .await
        .unwrap()
        .id
}

/// Makes every source due now and runs one pass of the schedule.
async fn pass(store: &Arc<dyn Store>, watcher: &Arc<Watcher>) -> HashMap<i64, Poll> {
    for s in store.sources().await.unwrap() {
        if !s.paused {
            store.set_source_paused(s.id, true, "test").await.unwrap();
            store.set_source_paused(s.id, false, "test").await.unwrap();
        }
    }
    watcher
        .run_once(engine(), Arc::new(Quiet))
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|p| (p.source.id, p))
        .collect()
}

async fn parsed_texts(store: &Arc<dyn Store>) -> Vec<String> {
    let query = DocumentQuery {
        status: Some(DocumentStatus::Parsed),
        limit: 1000,
        ..DocumentQuery::default()
    };
    let mut texts: Vec<String> = store
        .list_documents(&query)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|d| d.doc.title)
        .collect();
    texts.sort();
    texts
}

#[tokio::test]
async fn feeds_are_read_once_with_conditional_requests_and_followed_links() {
    let site = Site::default();
    let base = serve(site.clone()).await;
    let store: Arc<dyn Store> = Arc::from(truce_store::open(":memory:").await.unwrap());
    let a1 = format!("{base}/articles/1");
    let a2 = format!("{base}/articles/2");
    let items1 = [
        (
            "wire-1",
            "Shelling in Saraqib",
            "Shelling hit Saraqib on Monday, killing two civilians.",
            Some(a1.as_str()),
        ),
        (
            "wire-2",
            "Clashes near Ariha",
            "Clashes broke out near Ariha on Monday.",
            Some(a2.as_str()),
        ),
    ];
    site.set(
        "feed.xml",
        Answer {
            etag: Some("\"v1\"".into()),
            ..Answer::ok("application/rss+xml", rss(&items1))
        },
    );
    for (n, town) in [(1, "Saraqib"), (2, "Ariha"), (3, "Idlib")] {
        site.set(
            &format!("articles/{n}"),
            Answer::ok(
                "text/html; charset=utf-8",
                format!(
                    "<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>\
                     <p>Artillery shelling struck {town} in Idlib province on Monday morning, killing two \
                     civilians and wounding five, local medics said. The shelling destroyed a market.</p>\
                     </article></body></html>"
                ),
            ),
        );
    }
    let feed = add(&store, format!("{base}/feed.xml"), WatchKind::Feed, true).await;
    let watcher = Arc::new(Watcher::new(store.clone(), config(5, 1 << 20)).unwrap());

    let first = &pass(&store, &watcher).await[&feed];
    assert!(
        matches!(first.result, FetchResult::Fetched { new_reports: 4, .. }),
        "{:?}",
        first.result
    );
    assert_eq!(first.links_followed, 2);
    assert_eq!((site.hits("articles/1"), site.hits("articles/2")), (1, 1));

    // Unchanged: the server answers 304 and nothing is read.
    let second = &pass(&store, &watcher).await[&feed];
    assert_eq!(second.result, FetchResult::NotModified);
    assert_eq!(site.hits("feed.xml"), 2);

    // A new item, and the first one edited under the same id: only the new one is taken in,
    // and only its article fetched.
    let a3 = format!("{base}/articles/3");
    let items2 = [
        (
            "wire-1",
            "Shelling in Saraqib (updated)",
            "Shelling hit Saraqib on Monday, killing three civilians.",
            Some(a1.as_str()),
        ),
        items1[1],
        (
            "wire-3",
            "Strike in Idlib",
            "An air strike hit Idlib city on Monday.",
            Some(a3.as_str()),
        ),
    ];
    site.set(
        "feed.xml",
        Answer {
            etag: Some("\"v2\"".into()),
            ..Answer::ok("application/rss+xml", rss(&items2))
        },
    );
    let third = &pass(&store, &watcher).await[&feed];
    assert!(
        matches!(third.result, FetchResult::Fetched { new_reports: 2, .. }),
        "{:?}",
        third.result
    );
    assert_eq!((third.seen, third.links_followed), (2, 1));
    assert_eq!((site.hits("articles/1"), site.hits("articles/3")), (1, 1));

    let titles = parsed_texts(&store).await;
    assert_eq!(titles.len(), 6, "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("updated")), "{titles:?}");

    // A watcher started again (the same store) goes on where the first stopped: the validator
    // is sent back, nothing fetched twice.
    let again = Arc::new(Watcher::new(store.clone(), config(5, 1 << 20)).unwrap());
    let fourth = &pass(&store, &again).await[&feed];
    assert_eq!(fourth.result, FetchResult::NotModified);
    assert_eq!(parsed_texts(&store).await.len(), 6);

    // What came in was extracted, resolved and assessed.
    for stage in [PendingStage::Extract, PendingStage::Resolve] {
        assert_eq!(store.pending_count(stage).await.unwrap(), 0);
    }
    let source = store.source(feed).await.unwrap().unwrap();
    assert_eq!((source.state.reports, source.state.fetches), (6, 4));
    assert_eq!(source.state.status, FetchStatus::NotModified);
    assert_eq!(source.health(Utc::now()), SourceHealth::Healthy);
}

#[tokio::test]
async fn bad_sources_are_recorded_against_themselves_and_hold_up_no_other() {
    let site = Site::default();
    let base = serve(site.clone()).await;
    let store: Arc<dyn Store> = Arc::from(truce_store::open(":memory:").await.unwrap());
    let good_feed = rss(&[(
        "g-1",
        "Strike on Binnish",
        "An air strike hit Binnish on Sunday.",
        None,
    )]);
    site.set(
        "good.xml",
        Answer::ok("application/rss+xml", good_feed.clone()),
    );
    site.set(
        "error.xml",
        Answer {
            status: 500,
            ..Answer::ok("text/plain", "internal error")
        },
    );
    site.set(
        "slow.xml",
        Answer {
            delay: Duration::from_secs(4),
            ..Answer::ok("application/rss+xml", good_feed.clone())
        },
    );
    site.set(
        "huge.xml",
        Answer::ok("application/rss+xml", vec![b'x'; 3 << 20]),
    );
    site.set(
        "loop.xml",
        Answer {
            redirect: Some("/loop.xml".into()),
            ..Answer::ok("text/plain", "")
        },
    );
    site.set(
        "page.xml",
        Answer::ok(
            "text/html",
            "<html><body><h1>Service unavailable</h1><p>Try again later.</p></body></html>",
        ),
    );
    site.set(
        "binary.xml",
        Answer::ok(
            "application/octet-stream",
            vec![0u8, 159, 146, 150, 255, 0, 7, 1],
        ),
    );
    let gz = rss(&[(
        "z-1",
        "Shelling of Kafr Nabl",
        "Shelling hit Kafr Nabl on Sunday.",
        None,
    )]);
    site.set(
        "gzip.xml",
        Answer {
            gzip: true,
            ..Answer::ok("application/rss+xml", gz)
        },
    );
    // Declared Latin-1, and so encoded.
    let latin = rss(&[(
        "l-1",
        "Frappe sur Ariha",
        "Une frappe a touché le café de Ariha dimanche.",
        None,
    )])
    .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&latin);
    site.set(
        "latin.xml",
        Answer::ok(
            "application/rss+xml; charset=ISO-8859-1",
            latin.into_owned(),
        ),
    );

    let mut ids = HashMap::new();
    for name in [
        "good", "error", "slow", "huge", "loop", "page", "binary", "gzip", "latin",
    ] {
        ids.insert(
            name,
            add(&store, format!("{base}/{name}.xml"), WatchKind::Feed, false).await,
        );
    }
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}/feed.xml", nobody.local_addr().unwrap());
    drop(nobody);
    ids.insert(
        "refused",
        add(&store, refused, WatchKind::Feed, false).await,
    );
    let watcher = Arc::new(Watcher::new(store.clone(), config(2, 1 << 20)).unwrap());
    let polls = pass(&store, &watcher).await;
    let result = |name: &str| polls[&ids[name]].result.clone();
    let failed = |name: &str| match result(name) {
        FetchResult::Failed(why) => why,
        other => panic!("{name}: {other:?}"),
    };
    assert!(matches!(
        result("good"),
        FetchResult::Fetched { new_reports: 1, .. }
    ));
    assert!(matches!(
        result("gzip"),
        FetchResult::Fetched { new_reports: 1, .. }
    ));
    assert!(matches!(
        result("latin"),
        FetchResult::Fetched { new_reports: 1, .. }
    ));
    assert!(failed("error").contains("500"), "{}", failed("error"));
    assert!(failed("slow").contains("timed out"), "{}", failed("slow"));
    assert!(failed("huge").contains("size limit"), "{}", failed("huge"));
    assert!(failed("loop").contains("redirect"), "{}", failed("loop"));
    assert!(
        failed("page").contains("expected a feed"),
        "{}",
        failed("page")
    );
    assert!(!failed("binary").is_empty());
    assert!(
        failed("refused").contains("refused"),
        "{}",
        failed("refused")
    );
    // The slow source held up no other: the good one was fetched in far less than its delay.
    assert!(
        polls[&ids["good"]].took < Duration::from_secs(1),
        "{:?}",
        polls[&ids["good"]].took
    );

    let titles = parsed_texts(&store).await;
    assert!(titles.iter().any(|t| t == "Frappe sur Ariha"), "{titles:?}");
    let texts = store
        .list_documents(&DocumentQuery {
            limit: 100,
            ..DocumentQuery::default()
        })
        .await
        .unwrap();
    let latin_doc = texts
        .iter()
        .find(|d| d.doc.title.as_deref() == Some("Frappe sur Ariha"))
        .unwrap();
    let text = latin_doc.doc.text.clone().unwrap();
    assert!(text.contains("touché le café"), "{text}");

    // Each failing source is recorded and backs off; the others keep their interval.
    let now = Utc::now();
    for name in ["error", "slow", "huge", "loop", "page", "binary"] {
        let s = store.source(ids[name]).await.unwrap().unwrap();
        assert_eq!(s.state.status, FetchStatus::Failed, "{name}");
        assert!(
            matches!(s.health(now), SourceHealth::Failing { failures: 1, .. }),
            "{name}"
        );
        let wait = (s.state.next_fetch_at - s.state.last_fetch_at.unwrap()).num_seconds();
        assert_eq!(wait, 120, "{name}");
    }
    let good = store.source(ids["good"]).await.unwrap().unwrap();
    assert_eq!(
        (good.state.next_fetch_at - good.state.last_fetch_at.unwrap()).num_seconds(),
        60
    );
    // Nothing is lost: the page sent for a feed is kept, as failed, with why.
    let failed_docs = store
        .list_documents(&DocumentQuery {
            status: Some(DocumentStatus::Failed),
            limit: 100,
            ..DocumentQuery::default()
        })
        .await
        .unwrap();
    assert!(
        failed_docs.iter().any(|d| d
            .doc
            .error
            .as_deref()
            .is_some_and(|e| e.contains("expected a feed"))),
        "{failed_docs:?}"
    );

    // The error page recovers: the source is healthy again.
    let good_feed2 = rss(&[(
        "e-1",
        "Raid on Taftanaz",
        "A raid hit Taftanaz on Sunday.",
        None,
    )]);
    site.set("error.xml", Answer::ok("application/rss+xml", good_feed2));
    let polls = pass(&store, &watcher).await;
    assert!(matches!(
        polls[&ids["error"]].result,
        FetchResult::Fetched { new_reports: 1, .. }
    ));
    let s = store.source(ids["error"]).await.unwrap().unwrap();
    assert_eq!(
        (s.state.failures, s.health(Utc::now())),
        (0, SourceHealth::Healthy)
    );
}

#[tokio::test]
async fn the_running_watcher_keeps_the_schedule_and_stops_cleanly() {
    let site = Site::default();
    let base = serve(site.clone()).await;
    let store: Arc<dyn Store> = Arc::from(truce_store::open(":memory:").await.unwrap());
    site.set(
        "a.xml",
        Answer::ok(
            "application/rss+xml",
            rss(&[(
                "a-1",
                "Strike on Sarmin",
                "An air strike hit Sarmin on Sunday.",
                None,
            )]),
        ),
    );
    site.set(
        "b.xml",
        Answer::ok(
            "application/rss+xml",
            rss(&[(
                "b-1",
                "Shelling of Maarrat",
                "Shelling hit Maarrat al-Numan on Sunday.",
                None,
            )]),
        ),
    );
    let a = add(&store, format!("{base}/a.xml"), WatchKind::Feed, false).await;
    let watcher = Arc::new(Watcher::new(store.clone(), config(5, 1 << 20)).unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(watcher.run(engine(), Arc::new(Quiet), async move {
        let _ = stopped.await;
    }));
    let fetched = |id| {
        let store = store.clone();
        async move { store.source(id).await.unwrap().unwrap().state.fetches }
    };
    wait_until(|| async { fetched(a).await == 1 }).await;
    // A source added while the watcher runs is fetched within seconds.
    let b = add(&store, format!("{base}/b.xml"), WatchKind::Feed, false).await;
    wait_until(|| async { fetched(b).await == 1 }).await;
    // Both are extracted without being asked.
    wait_until(|| async { store.pending_count(PendingStage::Extract).await.unwrap() == 0 }).await;
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // Due again only a minute after their fetch: fetched once each.
    assert_eq!((fetched(a).await, fetched(b).await), (1, 1));
    assert_eq!((site.hits("a.xml"), site.hits("b.xml")), (1, 1));
    assert_eq!(parsed_texts(&store).await.len(), 2);
}

/// Waits up to 15 seconds for `done`.
async fn wait_until<F, Fut>(done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "not done within 15 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
