//! Running the server: the register of watched sources over the API (for those who keep it),
//! `/metrics` (administrators and configured addresses only), `/healthz`, `/readyz`, and the
//! request id every answer carries.

// Each test binary uses part of the shared support.
#[allow(dead_code)]
mod support;

use serde_json::json;
use support::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_of_sources_is_kept_by_monitors_and_admins_only() {
    let s = TestServer::start(false).await;
    let mut monitor = s.as_role("monitor").await;
    let added = monitor
        .post(
            "/api/v1/sources",
            json!({"url": "https://wire.example/world/rss.xml", "every": "5m", "follow_links": true}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let source = added.json();
    let id = source["id"].as_i64().unwrap();
    assert_eq!(source["name"], "wire.example");
    assert_eq!(source["kind"], "feed");
    assert_eq!(source["every_secs"], 300);
    assert_eq!(source["health"]["health"], "waiting");
    assert_eq!(source["added_by"], "monitor");

    let again = monitor
        .post(
            "/api/v1/sources",
            json!({"url": "https://wire.example/world/rss.xml"}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);

    let paused = monitor
        .post(&format!("/api/v1/sources/{id}/pause"), json!({}))
        .await;
    assert_eq!(paused.status, 200, "{}", paused.text);
    assert_eq!(paused.json()["health"]["health"], "paused");
    let mut admin = s.as_role("admin").await;
    let list = admin.get("/api/v1/sources").await;
    assert_eq!(list.json()["items"][0]["paused"], true);
    let resumed = admin
        .post(&format!("/api/v1/sources/{id}/resume"), json!({}))
        .await;
    assert_eq!(resumed.json()["paused"], false);

    // Who reads which sources is not for the parties, the co-chairs' staff aside.
    for role in ["party", "viewer", "co-chair"] {
        let mut c = s.as_role(role).await;
        assert_eq!(c.get("/api/v1/sources").await.status, 403, "{role}");
    }
    assert_eq!(s.client().get("/api/v1/sources").await.status, 401);

    // Every change is in the audit log.
    let entries = s.store.audit(None, 0, 10_000).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for action in ["source.add", "source.pause", "source.resume"] {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }

    let removed = admin
        .send("DELETE", &format!("/api/v1/sources/{id}"), None)
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    let gone = admin
        .send("DELETE", &format!("/api/v1/sources/{id}"), None)
        .await;
    assert_eq!(gone.status, 404, "{}", gone.text);
    let gone = admin
        .post(&format!("/api/v1/sources/{id}/pause"), json!({}))
        .await;
    assert_eq!(gone.status, 404, "{}", gone.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sources_are_refused_with_why() {
    let s = TestServer::start(false).await;
    let mut admin = s.as_role("admin").await;
    let long = "x".repeat(5000);
    for (body, why) in [
        (json!({}), "url"),
        (json!({"url": ""}), "not an http"),
        (json!({"url": "file:///etc/passwd"}), "not an http"),
        (json!({"url": "javascript:alert(1)"}), "not an http"),
        (
            json!({"url": format!("https://a.example/{long}")}),
            "bytes long",
        ),
        (
            json!({"url": "https://a.example/feed", "name": long}),
            "at most",
        ),
        (
            json!({"url": "https://a.example/feed", "name": "a\u{0}b"}),
            "control",
        ),
        (
            json!({"url": "https://a.example/feed", "every": "1s"}),
            "at most every",
        ),
        (
            json!({"url": "https://a.example/feed", "every": "soon"}),
            "not an interval",
        ),
        (
            json!({"url": "https://a.example/feed", "kind": "torrent"}),
            "kind",
        ),
        (
            json!({"url": "https://a.example/page", "kind": "page", "follow_links": true}),
            "not from a page",
        ),
        (
            json!({"url": "https://a.example/feed", "admin": true}),
            "unknown field",
        ),
        (json!(["https://a.example/feed"]), "expected"),
    ] {
        let r = admin.post("/api/v1/sources", body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert!(r.text.contains(why), "{body}: {}", r.text);
    }
    let r = admin.send("POST", "/api/v1/sources/abc/pause", None).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(s.store.sources().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_for_administrators_and_configured_addresses() {
    let config = truce_server::ServerConfig {
        metrics: truce_server::metrics::install(),
        ..Default::default()
    };
    let s = TestServer::start_serving(false, Default::default(), config).await;
    let mut admin = s.as_role("admin").await;
    admin
        .post(
            "/api/v1/sources",
            json!({"url": "https://wire.example/a.xml", "name": "Wire \"A\""}),
        )
        .await;
    admin.get("/api/v1/incidents").await;
    assert_eq!(s.client().get("/metrics").await.status, 401);
    assert_eq!(s.as_role("monitor").await.get("/metrics").await.status, 403);
    let m = admin.get("/metrics").await;
    assert_eq!(m.status, 200, "{}", m.text);
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
        "{:?}",
        m.headers
    );
    for line in [
        "truce_queue_depth{stage=\"extract\"} 0",
        "truce_source_up{source=\"1\",name=\"Wire \\\"A\\\"\"} 1",
        "truce_source_failures{source=\"1\",name=\"Wire \\\"A\\\"\"} 0",
        "# TYPE truce_source_quiet gauge",
    ] {
        assert!(m.text.contains(line), "{line}\n{}", m.text);
    }
    // Requests by route (its pattern, not the path asked) and status, and their latency.
    assert!(
        m.text
            .lines()
            .any(|l| l.starts_with("truce_http_requests_total{")
                && l.contains("route=\"/api/v1/incidents\"")
                && l.contains("status=\"200\"")),
        "{}",
        m.text
    );
    assert!(
        m.text
            .contains("truce_http_request_duration_seconds_bucket{"),
        "{}",
        m.text
    );

    // From a configured address, no login is needed.
    let open = truce_server::ServerConfig {
        metrics_from: truce_server::metrics::Networks::parse(&["127.0.0.0/8".into()]).unwrap(),
        ..Default::default()
    };
    let s = TestServer::start_serving(false, Default::default(), open).await;
    assert_eq!(s.client().get("/metrics").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_probes_answer_and_every_answer_carries_a_request_id() {
    let s = TestServer::start(false).await;
    let mut c = s.client();
    let live = c.get("/healthz").await;
    assert_eq!((live.status, live.text.as_str()), (200, "ok\n"));
    let ready = c.get("/readyz").await;
    assert_eq!(ready.status, 200);
    let a = c.get("/api/v1/incidents").await;
    let b = c.get("/nowhere").await;
    let id = |r: &support::Reply| r.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(!id(&a).is_empty());
    assert_ne!(id(&a), id(&b));
    // A client's own request id is kept.
    let r = reqwest::Client::new()
        .get(format!("{}/healthz", s.base))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-42");
}
