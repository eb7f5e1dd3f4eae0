//! A server that cannot be starved: thousands of idle and half-sent connections from one host
//! (loopback, bounded in count and time) while a normal client is still served within a second;
//! half-sent headers closed by their deadline; a flood of logins shed with 503 instead of
//! growing the server's memory.

// Each test binary uses part of the shared support.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The two tests load the machine on purpose: one at a time, so that neither measures the
/// other's load.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How many files this process may hold open (both ends of the test's sockets live here).
fn open_files_limit() -> u64 {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(1024)
}

/// A fresh HTTP client (no pooled connection), timed.
async fn served_within(base: &str, path: &str) -> Duration {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let t = Instant::now();
    let r = http.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.bytes().await.unwrap();
    t.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_idle_and_half_sent_connections_do_not_starve_a_normal_client() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let limit = open_files_limit();
    let limits = truce_server::Limits {
        max_connections: 200,
        max_requests: 64,
        header_read_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(3),
    };
    let s = TestServer::start_with(false, limits).await;
    let addr = s.base.trim_start_matches("http://").to_string();
    // Up to 3,000 idle sockets and 1,000 that send half a request, as the open-files limit
    // allows (both ends are in this process, and the server keeps at most 200).
    let budget = (limit.saturating_sub(600) as usize).min(4_000);
    let (idle_n, half_n) = (budget * 3 / 4, budget / 4);
    assert!(
        idle_n + half_n >= 400,
        "only {limit} open files here: raise `ulimit -n` to run this test"
    );
    let mut held = Vec::with_capacity(idle_n + half_n);
    for i in 0..idle_n + half_n {
        let mut c = TcpStream::connect(&addr).await.expect("connect");
        if i >= idle_n {
            c.write_all(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .await
                .unwrap();
        }
        held.push(c);
    }
    // A normal client is served at once, again and again, while they are all held.
    for _ in 0..5 {
        let took = served_within(&s.base, "/api/v1/openapi.json").await;
        assert!(took < Duration::from_secs(1), "served in {took:?}");
    }
    // The server kept no more than its cap: most held sockets were closed from its side.
    let mut closed = 0;
    for c in held.iter_mut() {
        let mut b = [0u8; 64];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(1), c.read(&mut b)).await
        {
            closed += 1;
        }
    }
    assert!(
        closed >= held.len() - 260,
        "{closed} of {} closed by the server",
        held.len()
    );
    drop(held);

    // A half-sent request alone is closed by the header deadline.
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let t = Instant::now();
    let mut b = [0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut b)).await;
    assert!(read.is_ok(), "still open after 10 s");
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "closed after {:?}",
        t.elapsed()
    );
    // A silent socket is closed by the idle deadline.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    let t = Instant::now();
    let read = tokio::time::timeout(Duration::from_secs(10), silent.read(&mut b)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
    assert!(
        t.elapsed() < Duration::from_secs(6),
        "closed after {:?}",
        t.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_is_shed_and_the_server_still_answers() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let s = TestServer::start(false).await;
    // The login form's CSRF pair, once, reused by every attempt of the flood.
    let mut c = s.client();
    let page = c.get("/login").await;
    let csrf = page
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .unwrap()
        .to_string();
    let cookie = format!("{}={csrf}", truce_server::auth::LOGIN_CSRF_COOKIE);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let before = resident_mib();
    let flood: Vec<_> = (0..300)
        .map(|i| {
            let (http, base, cookie, csrf) =
                (http.clone(), s.base.clone(), cookie.clone(), csrf.clone());
            tokio::spawn(async move {
                http.post(format!("{base}/login"))
                    .header("cookie", cookie)
                    .form(&[
                        ("username", format!("flood-{i}")),
                        ("password", "wrong".to_string()),
                        ("csrf", csrf),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    // While it runs, other requests are answered promptly: served, or told to come back (503
    // with Retry-After) when the flood holds every request slot; never left hanging. (Two
    // seconds: the flood keeps a core hashing on purpose, and this is a debug build sharing two
    // cores with the rest of the test run.)
    let http_once = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let t = Instant::now();
    let r = http_once
        .get(format!("{}/api/v1/openapi.json", s.base))
        .send()
        .await
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "answered in {:?}",
        t.elapsed()
    );
    match r.status().as_u16() {
        200 => {}
        503 => assert!(r.headers().contains_key("retry-after")),
        other => panic!("{other}"),
    }
    let mut statuses = std::collections::BTreeMap::new();
    for f in flood {
        *statuses.entry(f.await.unwrap()).or_insert(0) += 1;
    }
    // Checked (401), refused by the address's limit (429) or shed (503); never an error or a
    // dropped connection.
    assert!(
        statuses.keys().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.contains_key(&503) || statuses.contains_key(&429),
        "{statuses:?}"
    );
    // Bounded hashing bounds memory: 300 argon2 checks at once would take 300 x 19 MiB.
    let grown = resident_mib().saturating_sub(before);
    assert!(grown < 400, "the flood grew the process by {grown} MiB");
    // And once it is over, a normal client is served within a second.
    let took = served_within(&s.base, "/api/v1/openapi.json").await;
    assert!(took < Duration::from_secs(1), "served in {took:?}");
}

/// The process's resident memory, in MiB.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<u64>().ok())
            })
        })
        .map_or(0, |kib| kib / 1024)
}
