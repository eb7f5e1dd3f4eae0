//! `truce ingest --url` against a local server: pages, feeds, and every way HTTP fails.

use std::time::Duration;

use crate::helpers::{
    Env, Route, configure, failure_of, refused_url, route, serve, stderr, stdout,
};

#[test]
fn pages_and_feeds_are_fetched_and_every_http_failure_is_recorded() {
    let page = "<html><head><title>Strike on Ariha</title><meta property=\"article:published_time\" content=\"2026-03-05T10:00:00Z\"></head><body><nav>Home | World</nav><article><p>An airstrike hit a bakery in Ariha on Thursday, killing four people, civil defence workers said.</p><p>The strike came two days after the truce took effect across the province.</p></article></body></html>";
    let feed = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Alerts</title><id>urn:a</id><updated>2026-03-05T00:00:00Z</updated><entry><title>Clash near Saraqib</title><id>urn:a:1</id><updated>2026-03-04T09:00:00Z</updated><link href=\"https://alerts.example/1\"/><summary>Fighters clashed on the edge of Saraqib overnight.</summary></entry></feed>";
    let base = serve(vec![
        route("/ariha.html", 200, "text/html", page),
        route("/alerts.atom", 200, "application/atom+xml", feed),
        route(
            "/gone.html",
            404,
            "text/html",
            "<html><body>Not here</body></html>",
        ),
        route(
            "/broken.html",
            500,
            "text/html",
            "<html><body>Internal error</body></html>",
        ),
        Route {
            path: "/slow.html",
            status: 200,
            content_type: "text/html",
            body: b"<p>late</p>".to_vec(),
            delay: Duration::from_secs(5),
        },
    ]);
    let env = Env::new();
    configure(&env, "http_timeout_secs = 1");
    let refused = refused_url();
    let urls = [
        format!("{base}/ariha.html"),
        format!("{base}/alerts.atom"),
        format!("{base}/gone.html"),
        format!("{base}/broken.html"),
        format!("{base}/slow.html"),
        refused.clone(),
    ];
    let mut args = vec!["ingest".to_string()];
    for url in &urls {
        args.push("--url".into());
        args.push(url.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.truce(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ingested 6 documents (0 duplicates, 4 failed)"),
        "{}",
        stdout(&out)
    );

    let docs = env.documents(false);
    let page_doc = docs.iter().find(|d| d["format"] == "html").unwrap();
    assert!(
        page_doc["text"]
            .as_str()
            .unwrap()
            .starts_with("An airstrike hit a bakery in Ariha")
    );
    assert!(!page_doc["text"].as_str().unwrap().contains("Home | World"));
    assert_eq!(page_doc["published"], "2026-03-05");
    assert_eq!(page_doc["source"]["kind"], "url");
    let entry = docs.iter().find(|d| d["format"] == "atom").unwrap();
    assert_eq!(entry["url"], "https://alerts.example/1");
    assert_eq!(entry["title"], "Clash near Saraqib");

    let failed = env.documents(true);
    assert_eq!(
        failure_of(&failed, "/gone.html")["error"],
        "HTTP 404 from the server"
    );
    assert_eq!(
        failure_of(&failed, "/broken.html")["error"],
        "HTTP 500 from the server"
    );
    assert_eq!(
        failure_of(&failed, "/slow.html")["error"],
        "timed out after 1 s"
    );
    let refused_error = failure_of(&failed, "/report.html")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        refused_error.starts_with("cannot connect") && refused_error.contains("refused"),
        "{refused_error}"
    );
    // The body of the error page is kept with the failure.
    assert!(failure_of(&failed, "/gone.html")["raw_hash"].is_string());
}

#[test]
fn a_url_among_paths_is_fetched_and_a_bad_scheme_is_refused() {
    let base = serve(vec![route(
        "/r.txt",
        200,
        "text/plain",
        "Shelling resumed in Daraa al-Balad on Sunday.",
    )]);
    let env = Env::new();
    let url = format!("{base}/r.txt");
    let out = env.truce(&["ingest", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.truce(&["ingest", "--url", "ftp://example.invalid/r.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        env.documents(true)[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("not an http(s) URL")
    );
}
