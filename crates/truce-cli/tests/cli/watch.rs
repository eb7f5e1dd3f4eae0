//! `truce sources` and `truce watch`: the register kept from the command line, its sources
//! fetched and what they bring taken in, failures recorded against them, logs as JSON.

use serde_json::Value;

use crate::helpers::{Env, route, serve, stderr, stdout};

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Field wire</title><link>http://wire.example/</link><description>wire</description>
<item><guid>fw-1</guid><title>Shelling of Saraqib</title><description>Government shelling hit Saraqib in Idlib province on Monday, killing three civilians.</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"#;

fn sources(env: &Env) -> Vec<Value> {
    let out = env.truce(&["sources", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sources_are_kept_watched_and_their_reports_taken_in() {
    let base = serve(vec![
        route("/feed.xml", 200, "application/rss+xml", FEED),
        route("/broken.xml", 500, "text/plain", "internal error"),
    ]);
    let env = Env::new();
    let out = env.truce(&["sources", "list"]);
    assert!(stdout(&out).contains("no sources"), "{}", stdout(&out));

    let feed = format!("{base}/feed.xml");
    let out = env.truce(&[
        "sources",
        "add",
        &feed,
        "--name",
        "Field wire",
        "--every",
        "5m",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("source 1: Field wire (feed, every 5 min)"),
        "{}",
        stdout(&out)
    );
    let broken = format!("{base}/broken.xml");
    assert!(env.truce(&["sources", "add", &broken]).status.success());

    // Refused, with why, and nothing added.
    for (args, why) in [
        (
            vec!["sources", "add", "ftp://x.example/feed"],
            "not an http",
        ),
        (vec!["sources", "add", &feed], "already watched"),
        (
            vec!["sources", "add", "https://x.example/f.xml", "--every", "2s"],
            "at most every",
        ),
        (
            vec![
                "sources",
                "add",
                "https://x.example/f.xml",
                "--kind",
                "podcast",
            ],
            "podcast",
        ),
        (vec!["sources", "pause", "99"], "no source 99"),
    ] {
        let out = env.truce(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(sources(&env).len(), 2);

    // One pass: the feed's report is taken in and extracted; the broken source is recorded as
    // failing, with why, and the run says so in its exit status.
    let out = env.truce(&["watch", "--once"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Field wire: 1 new report"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("fetched 2 sources: 1 new reports, 1 failed"),
        "{}",
        stdout(&out)
    );
    let list = sources(&env);
    assert_eq!(list[0]["source"]["state"]["status"], "ok");
    assert_eq!(list[0]["source"]["state"]["reports"], 1);
    assert_eq!(list[1]["health"]["health"], "failing");
    assert!(
        list[1]["notice"].as_str().unwrap().contains("HTTP 500"),
        "{}",
        list[1]
    );
    let out = env.truce(&["incidents", "--json"]);
    assert!(stdout(&out).contains("Saraqib"), "{}", stdout(&out));

    // Nothing is due again before its time.
    let out = env.truce(&["watch", "--once"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no source is due; the next is due in"),
        "{}",
        stdout(&out)
    );

    // Paused, resumed (due at once: the feed is read again, and its item is not taken twice),
    // removed.
    assert!(env.truce(&["sources", "pause", "2"]).status.success());
    assert!(env.truce(&["sources", "resume", "1"]).status.success());
    let out = env.truce(&["watch", "--once"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("fetched 1 sources: 0 new reports, 0 failed"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.documents(false).len(), 1);
    let out = env.truce(&["sources", "list"]);
    assert!(stdout(&out).contains("paused"), "{}", stdout(&out));
    assert!(env.truce(&["sources", "remove", "2"]).status.success());
    assert_eq!(sources(&env).len(), 1);

    // Every change to the register is in the audit log.
    let out = env.truce(&["audit", "log"]);
    let log = stdout(&out);
    for action in ["source.add", "source.pause", "source.remove"] {
        assert!(log.contains(action), "{action}: {log}");
    }
}

#[test]
fn logs_are_json_lines_when_asked() {
    let base = serve(vec![route("/gone.xml", 404, "text/plain", "gone")]);
    let env = Env::new();
    let url = format!("{base}/gone.xml");
    assert!(env.truce(&["sources", "add", &url]).status.success());
    let out = env.truce(&["--log-format", "json", "watch", "--once"]);
    let lines: Vec<Value> = stderr(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let warning = lines
        .iter()
        .find(|l| l["level"] == "WARN")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(
        warning["fields"]["message"]
            .as_str()
            .unwrap()
            .contains("HTTP 404"),
        "{warning}"
    );
    assert_eq!(warning["span"]["name"], "fetch", "{warning}");
    assert_eq!(warning["span"]["url"], url.as_str(), "{warning}");
}

#[test]
fn watch_settings_are_checked() {
    let env = Env::new();
    env.write("truce.toml", "[server]\nmetrics_from = [\"the office\"]\n");
    let out = env.truce(&["sources", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("metrics_from"), "{}", stderr(&out));
    env.write(
        "truce.toml",
        "[server]\nmetrics_from = [\"10.0.0.0/8\"]\n[watch]\nconcurrency = 4\nper_host = 1\nmax_links = 5\n",
    );
    assert!(env.truce(&["sources", "list"]).status.success());
    env.write("truce.toml", "[watch]\nconcurency = 4\n");
    let out = env.truce(&["sources", "list"]);
    assert!(stderr(&out).contains("unknown field"), "{}", stderr(&out));
}

#[test]
fn a_watcher_killed_and_started_again_loses_nothing_and_fetches_nothing_twice() {
    let base = serve(vec![route("/feed.xml", 200, "application/rss+xml", FEED)]);
    let env = Env::new();
    let feed = format!("{base}/feed.xml");
    assert!(
        env.truce(&["sources", "add", &feed, "--every", "10m"])
            .status
            .success()
    );
    let mut child = env
        .command(&["watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed without warning once the fetch is recorded (its report stored, perhaps not yet
    // extracted).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sources(&env)[0]["source"]["state"]["fetches"] != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the watcher fetched nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Started again: the source is not due for ten minutes, so nothing is fetched; what the
    // killed run left is extracted; the report is there once.
    let out = env.truce(&["watch", "--once"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no source is due"),
        "{}",
        stdout(&out)
    );
    assert_eq!(sources(&env)[0]["source"]["state"]["fetches"], 1);
    assert_eq!(env.documents(false).len(), 1);
    let out = env.truce(&["incidents", "--json"]);
    assert!(stdout(&out).contains("Saraqib"), "{}", stdout(&out));
}
