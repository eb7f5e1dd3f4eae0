//! Writers on one database at once (two `truce ingest` processes beside a running server taking
//! reports over its API): all finish, nothing answers "database is locked", and every event ends
//! in exactly one incident.

use crate::helpers::{Env, stderr};

const TOWNS: &[&str] = &[
    "Saraqib",
    "Maarat al-Numan",
    "Ariha",
    "Kafr Nabl",
    "Jisr al-Shughur",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Reports of the same few strikes, told by many outlets: the two writers' neighbourhoods
/// overlap, so each keeps changing what the other has read.
fn reports(outlet: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            let town = TOWNS[i % TOWNS.len()];
            let day = DAYS[(i / TOWNS.len()) % DAYS.len()];
            let killed = 2 + (i % 3);
            serde_json::json!({
                "id": format!("{outlet}-{i}"),
                "published": "2025-05-31",
                "title": format!("Shelling on {town}"),
                "text": format!(
                    "{town}, Syria - Artillery shells hit a market and the hospital in {town} on \
                     {day}, killing {killed} civilians, {outlet} correspondents said. Report {i} \
                     of {outlet}."
                ),
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A child process killed when the test ends, passed or failed.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Posts a report to a running server; the HTTP status.
fn post(addr: &str, token: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/v1/documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn ingests_and_api_posts_at_once_all_finish_and_every_event_is_in_one_incident() {
    use std::io::BufRead;
    let env = Env::new();
    env.write("a.jsonl", reports("north-wire", 150));
    env.write("b.jsonl", reports("south-desk", 150));
    // Create the database first, so that every process opens a migrated file.
    let init = env.truce(&["init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let user = env
        .command(&["user", "add", "poster", "--role", "monitor"])
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", stderr(&user));
    let token = env.truce(&["token", "add", "poster"]);
    let token = String::from_utf8_lossy(&token.stdout)
        .lines()
        .find_map(|l| {
            l.rsplit(": ")
                .next()
                .filter(|t| t.len() == 64)
                .map(str::to_string)
        })
        .expect("a token");
    let mut server = Killed(
        env.command(&["serve", "--bind", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    std::io::BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("the server's address")
        .to_string();
    let a = env
        .command(&["ingest", "a.jsonl", "--quiet"])
        .spawn()
        .unwrap();
    let b = env
        .command(&["ingest", "b.jsonl", "--quiet"])
        .spawn()
        .unwrap();
    // Meanwhile, 120 reports of the same strikes posted by 6 clients at once.
    let posters: Vec<_> = (0..6)
        .map(|t| {
            let (addr, token) = (addr.clone(), token.clone());
            std::thread::spawn(move || {
                reports(&format!("api-{t}"), 20)
                    .lines()
                    .map(|r| post(&addr, &token, r))
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for (name, child) in [("a", a), ("b", b)] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "ingest {name}: {err}");
        assert!(!err.contains("locked"), "ingest {name}: {err}");
    }
    for p in posters {
        let statuses = p.join().unwrap();
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    }
    drop(server);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let store = runtime.block_on(truce_store::SqliteStore::open(
        env.path("truce.db").to_str().unwrap(),
    ));
    let store = store.unwrap();
    let count = |sql: &str| -> i64 {
        runtime
            .block_on(
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()))
                    .fetch_one(store.pool()),
            )
            .unwrap()
    };
    assert_eq!(count("SELECT count(*) FROM documents"), 420);
    assert_eq!(count("SELECT count(*) FROM pending_documents"), 0);
    let events = count("SELECT count(*) FROM events");
    assert!(events >= 300, "{events} events");
    assert_eq!(
        count(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM incident_members m \
             WHERE m.document_id = e.document_id AND m.ordinal = e.ordinal)"
        ),
        0,
        "events outside every incident"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM (SELECT document_id, ordinal FROM incident_members \
             GROUP BY document_id, ordinal HAVING count(*) > 1)"
        ),
        0,
        "events in two incidents"
    );
    // At most one incident a strike: 5 towns x 6 days.
    let strikes = count("SELECT count(*) FROM incidents");
    assert!(strikes <= 30, "{strikes} incidents for 30 strikes");
}
