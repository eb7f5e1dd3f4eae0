//! Monitoring end to end: an agreement and a register of protected sites over the incident
//! fixtures; assessments, alerts (and the webhook), counts, the health index, the daily report
//! (golden Markdown, HTML, and a PDF looked at as a picture), exports that round-trip through
//! `truce compare`, and bad input everywhere.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

use serde_json::Value;

use crate::helpers::{Env, stderr, stdout};

const REPORTS: &str = include_str!("../fixtures/incidents/reports.jsonl");
const AGREEMENT: &str = include_str!("../fixtures/monitoring/agreement.toml");
const ZONE: &str = include_str!("../fixtures/monitoring/zone.geojson");
const SITES: &str = include_str!("../fixtures/monitoring/sites.csv");
const GOLDEN: &str = "tests/fixtures/monitoring/report-2025-05-14.md";

pub(crate) fn ok(env: &Env, args: &[&str]) -> String {
    let out = env.truce(args);
    assert!(out.status.success(), "truce {args:?}: {}", stderr(&out));
    stdout(&out)
}

pub(crate) fn refused(env: &Env, args: &[&str], expected: &str) {
    let out = env.truce(args);
    assert!(!out.status.success(), "truce {args:?} should fail");
    let e = stderr(&out);
    assert!(
        e.contains(expected),
        "truce {args:?}: {e:?} lacks {expected:?}"
    );
}

/// A database of the fixture reports with the agreement; the register of sites written beside
/// it (`sites.csv`), not imported.
fn with_agreement() -> Env {
    let env = Env::new();
    env.write("reports.jsonl", REPORTS);
    ok(&env, &["ingest", "reports.jsonl"]);
    env.write("agreement/agreement.toml", AGREEMENT);
    env.write("agreement/zone.geojson", ZONE);
    env.write("sites.csv", SITES);
    let added = ok(&env, &["agreement", "add", "agreement/agreement.toml"]);
    assert!(added.contains("Aleppo test truce v1"), "{added}");
    assert!(added.contains("likely violation"), "{added}");
    env
}

/// A database of the fixture reports, with the agreement and the sites.
pub(crate) fn monitored() -> Env {
    let env = with_agreement();
    let imported = ok(&env, &["sites", "import", "sites.csv"]);
    assert!(imported.contains("2 added"), "{imported}");
    env
}

pub(crate) fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn incidents_are_assessed_and_strikes_on_notified_hospitals_raise_alerts() {
    let env = monitored();
    let alerts = lines(&ok(&env, &["alerts", "--json"]));
    let known: Vec<&Value> = alerts
        .iter()
        .filter(|a| a["label"] == "strike on a known medical facility")
        .collect();
    assert!(!known.is_empty(), "{alerts:#?}");
    assert_eq!(known[0]["alert"]["site_name"], "Al-Nour Hospital");
    assert!(known[0]["alert"]["perpetrator_was_notified"].is_boolean());

    // Raised once: assessing again raises nothing new.
    let again = ok(&env, &["assess"]);
    assert!(!again.contains("ALERT"), "{again}");
    // A wider radius reaches the school too.
    let wider = ok(&env, &["assess", "--radius-km", "5"]);
    assert!(wider.contains("Kallaseh Primary School"), "{wider}");

    let agreements = lines(&ok(&env, &["agreement", "list", "--json"]));
    assert_eq!(agreements[0]["agreement"]["version"], 1);
    // The same version twice is refused; the next is taken and every incident is assessed again.
    refused(
        &env,
        &["agreement", "add", "agreement/agreement.toml"],
        "already on record",
    );
    env.write(
        "agreement/agreement.toml",
        AGREEMENT.replace("version = 1", "version = 2"),
    );
    ok(&env, &["agreement", "add", "agreement/agreement.toml"]);
    let out = ok(&env, &["export", "--format", "jsonl"]);
    let rows = lines(&out);
    assert!(
        rows.iter()
            .any(|r| r["agreement"] == "Aleppo test truce v2" && r["verdict"] == "likely violation"),
        "{out}"
    );

    let sites = lines(&ok(&env, &["sites", "list", "--json"]));
    assert_eq!(sites.len(), 2);
    // Importing the same register again updates, never duplicates.
    assert!(ok(&env, &["sites", "import", "sites.csv"]).contains("0 added, 2 updated"));
}

#[test]
fn counts_health_and_the_daily_report() {
    let env = monitored();
    let counts: Value =
        serde_json::from_str(&ok(&env, &["counts", "--date", "2025-05-14", "--json"])).unwrap();
    assert!(counts["total"].as_u64().unwrap() >= 2, "{counts}");
    assert!(
        counts["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["dimension"] == "type")
    );

    let health = lines(&ok(
        &env,
        &[
            "health",
            "--since",
            "2025-05-01",
            "--until",
            "2025-05-20",
            "--json",
        ],
    ));
    assert_eq!(health.len(), 20);
    assert!(
        health
            .iter()
            .all(|h| h["point"]["definition"] == "truce-health/2")
    );
    assert_eq!(health[0]["point"]["index"], 100.0, "a quiet first day");
    assert!(
        health
            .iter()
            .any(|h| h["point"]["index"].as_f64().unwrap() < 100.0),
        "the strikes of 14 May lower the index"
    );

    // Golden Markdown: TRUCE_BLESS=1 rewrites it after an intended change.
    let md = ok(&env, &["report", "daily", "--date", "2025-05-14"]);
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("TRUCE_BLESS").is_some() {
        std::fs::write(&golden, &md).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).expect("the golden report (TRUCE_BLESS=1)");
    assert_eq!(md, expected, "the report changed: look, then TRUCE_BLESS=1");
    assert!(md.contains("strike on a known medical facility"));

    ok(
        &env,
        &[
            "report",
            "daily",
            "--date",
            "2025-05-14",
            "--format",
            "html",
            "--output",
            "r.html",
        ],
    );
    let html = std::fs::read_to_string(env.path("r.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Al-Nour"));

    ok(
        &env,
        &[
            "report",
            "daily",
            "--date",
            "2025-05-14",
            "--format",
            "pdf",
            "--output",
            "r.pdf",
        ],
    );
    let pdf = std::fs::read(env.path("r.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf[pdf.len().saturating_sub(32)..]
            .windows(5)
            .any(|w| w == b"%%EOF"),
        "a whole PDF file"
    );
    look_at_pdf(&env, "r.pdf");

    refused(&env, &["report", "daily", "--date", "14 May"], "not a date");
    refused(
        &env,
        &[
            "report",
            "daily",
            "--date",
            "2025-05-14",
            "--format",
            "docx",
        ],
        "use md, html or pdf",
    );
    // A day without incidents or agreement still makes a report.
    let empty = ok(&env, &["report", "daily", "--date", "1999-01-01"]);
    assert!(empty.contains("No agreement was in force"), "{empty}");
}

#[test]
fn counts_and_the_daily_report_default_to_the_latest_day() {
    let env = monitored();
    let latest = lines(&ok(&env, &["incidents", "--json"]))
        .iter()
        .filter_map(|i| i["date"].as_str().map(str::to_string))
        .max()
        .expect("dated incidents");
    let counts: Value = serde_json::from_str(&ok(&env, &["counts", "--json"])).unwrap();
    assert_eq!(counts["date"], latest.as_str(), "{counts}");
    assert!(counts["total"].as_u64().unwrap() >= 1, "{counts}");
    assert_eq!(
        ok(&env, &["report", "daily"]),
        ok(&env, &["report", "daily", "--date", &latest])
    );
    refused(
        &env,
        &["counts", "--date", "May"],
        "is not a date (YYYY-MM-DD)",
    );

    // A record with no dated incident: nothing to count, and the report asks for its day.
    let empty = Env::new();
    assert!(ok(&empty, &["counts"]).contains("no dated incidents yet"));
    refused(
        &empty,
        &["report", "daily"],
        "name the report's day with --date",
    );
}

/// Renders the PDF's first page with pdftoppm and checks it is a page with things on it: a
/// dark title band at the top, and ink across the page.
fn look_at_pdf(env: &Env, file: &str) {
    let rendered = Command::new("pdftoppm")
        .args(["-r", "40", "-f", "1", "-l", "1", file, "page"])
        .current_dir(env.path(""))
        .output();
    let Ok(out) = rendered else {
        eprintln!(
            "SKIPPED: looking at the PDF needs pdftoppm (Debian poppler-utils; .ci/run installs it)"
        );
        return;
    };
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_dir(env.path(""))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "ppm"))
        .expect("a rendered page");
    let bytes = std::fs::read(&page).unwrap();
    // P6 header: magic, width, height, maxval, then RGB bytes.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
    }
    at += 1;
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    assert!(h > w, "an A4 page stands upright: {w}x{h}");
    let pixels = &bytes[at..];
    let dark = |y0: usize, y1: usize| {
        (y0 * w..y1 * w)
            .filter(|i| {
                pixels[i * 3..i * 3 + 3]
                    .iter()
                    .map(|&c| u32::from(c))
                    .sum::<u32>()
                    < 300
            })
            .count()
    };
    assert!(dark(0, h / 10) > 50, "the title is drawn at the top");
    assert!(dark(h / 10, h) > 500, "the page holds text and drawings");
    assert!(dark(0, h) < w * h / 3, "the page is not a black square");
}

#[test]
fn exports_round_trip_through_import_and_compare() {
    let env = monitored();
    for (format, file) in [("acled-csv", "acled.csv"), ("ucdp-csv", "ucdp.csv")] {
        ok(&env, &["export", "--format", format, "--output", file]);
        let meta: Value = serde_json::from_str(
            &std::fs::read_to_string(env.path(&format!("{file}.meta.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(meta["agreements"][0], "Aleppo test truce v1");
        assert_eq!(meta["health_definition"], "truce-health/2");
        let rows = meta["rows"].as_u64().unwrap();
        let c: Value = serde_json::from_str(&ok(&env, &["compare", file, "--json"])).unwrap();
        let dated = lines(&ok(&env, &["export", "--format", "jsonl"]))
            .iter()
            .filter(|r| r["incident"]["date"].is_string())
            .count() as u64;
        assert_eq!(
            c["matched"].as_array().unwrap().len() as u64,
            dated,
            "{format}: {c}"
        );
        assert_eq!(
            c["only_theirs"].as_array().unwrap().len() as u64,
            rows - dated
        );
        assert!(
            c["only_truce"].as_array().unwrap().is_empty(),
            "{format}: {c}"
        );
        let text = std::fs::read_to_string(env.path(file)).unwrap();
        let header = text.lines().next().unwrap();
        if format == "acled-csv" {
            assert!(
                header.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type")
            );
            assert!(text.contains("SYR"), "ACLED ids carry the ISO alpha-3 code");
            assert!(
                text.contains(",760,Middle East,Syria,"),
                "ISO numeric, region, country"
            );
        } else {
            assert!(header.starts_with("id,relid,year,active_year,code_status,type_of_violence"));
            assert!(text.contains("POINT ("));
        }
    }
    let geojson: Value =
        serde_json::from_str(&ok(&env, &["--quiet", "export", "--format", "geojson"])).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    assert!(!geojson["features"].as_array().unwrap().is_empty());
    let since = lines(&ok(
        &env,
        &["export", "--format", "jsonl", "--since", "2025-05-15"],
    ));
    assert!(
        since
            .iter()
            .all(|r| r["incident"]["date"].as_str().unwrap() >= "2025-05-15")
    );

    refused(&env, &["export", "--format", "xlsx"], "use acled-csv");
    refused(
        &env,
        &["export", "--format", "jsonl", "--since", "May"],
        "not a date",
    );
}

#[test]
fn a_damaged_record_stops_the_export_clearly_and_leaves_no_half_file() {
    let env = monitored();
    ok(
        &env,
        &["export", "--format", "acled-csv", "--output", "before.csv"],
    );
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = truce_store::SqliteStore::open(env.path("truce.db").to_str().unwrap())
            .await
            .unwrap();
        sqlx::query("UPDATE incidents SET record = '{\"event_type\": [' WHERE id = (SELECT max(id) FROM incidents)")
            .execute(store.pool())
            .await
            .unwrap();
    });
    for format in ["acled-csv", "ucdp-csv", "geojson", "jsonl"] {
        refused(
            &env,
            &["export", "--format", format, "--output", "after.csv"],
            "its stored record cannot be read",
        );
        assert!(!env.path("after.csv").exists(), "{format}: no file");
        assert!(
            !env.path("after.csv.partial").exists(),
            "{format}: no partial file"
        );
    }
    refused(&env, &["compare", "before.csv"], "its stored record");
}

#[test]
fn bad_agreements_registers_and_files_are_refused_clearly() {
    let env = Env::new();
    env.write("empty.toml", "");
    refused(&env, &["agreement", "add", "empty.toml"], "missing field");
    env.write("binary.toml", [0u8, 159, 146, 150, 0, 1]);
    refused(&env, &["agreement", "add", "binary.toml"], "not UTF-8");
    env.write("broken.toml", "name = \"x\"\nversion = [");
    refused(
        &env,
        &["agreement", "add", "broken.toml"],
        "not a valid agreement",
    );
    env.write("nozone.toml", AGREEMENT);
    refused(
        &env,
        &["agreement", "add", "nozone.toml"],
        "cannot read zone.geojson",
    );
    env.write("big.toml", vec![b'#'; 17 * 1024 * 1024]);
    refused(&env, &["agreement", "add", "big.toml"], "above the limit");
    refused(
        &env,
        &["agreement", "add", "missing.toml"],
        "cannot read missing.toml",
    );

    env.write("sites.csv", "name,type,lat,lon\nA,castle,1,2\n");
    refused(
        &env,
        &["sites", "import", "sites.csv"],
        "\"castle\" is not a site type",
    );
    env.write("sites.json", "{\"type\": \"FeatureCollection\"");
    refused(&env, &["sites", "import", "sites.json"], "not GeoJSON");
    env.write("photo.csv", [0x89u8, b'P', b'N', b'G', 0, 0, 0xff]);
    refused(&env, &["sites", "import", "photo.csv"], "not UTF-8");

    env.write("other.csv", "a,b\n1,2\n");
    refused(&env, &["compare", "other.csv"], "neither an ACLED file");
    env.write("empty.csv", "");
    refused(&env, &["compare", "empty.csv"], "neither an ACLED file");
    env.write(
        "acled.csv",
        "event_id_cnty,event_date,event_type,latitude\nSYR1,yesterday,Battles,1\n",
    );
    refused(
        &env,
        &["compare", "acled.csv"],
        "line 2, column event_date: \"yesterday\" is not a date",
    );
    env.write(
        "ucdp.csv",
        "id,date_start,type_of_violence,best\n1,2025-05-14,9,3\n",
    );
    refused(
        &env,
        &["compare", "ucdp.csv"],
        "line 2, column type_of_violence: \"9\" is not 1, 2 or 3",
    );

    env.write("truce.toml", "[monitor]\nradius_km = -1\n");
    refused(&env, &["alerts"], "monitor.radius_km must be above 0");
    env.write(
        "truce.toml",
        "[monitor]\nwebhook = \"file:///etc/passwd\"\n",
    );
    refused(&env, &["alerts"], "must be an http(s) address");
    env.write("truce.toml", "");
    refused(&env, &["health", "--until", "soon"], "not a date");
    refused(&env, &["assess", "--radius-km", "1000"], "at most 100");
    // Without agreement nothing is in scope, and saying so is not an error.
    assert!(ok(&env, &["health", "--until", "2025-05-14"]).contains("no agreement on record"));
}

/// A one-shot HTTP server that keeps the body of each POST it receives.
fn webhook() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let mut s = stream;
            let _ = s.write_all(
                b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            let _ = tx.send(String::from_utf8_lossy(&body).to_string());
        }
    });
    (url, rx)
}

#[test]
fn new_alerts_are_posted_to_the_webhook_and_a_dead_webhook_loses_nothing() {
    let env = Env::new();
    env.write("reports.jsonl", REPORTS);
    env.write("sites.csv", SITES);
    ok(&env, &["ingest", "reports.jsonl"]);
    let (url, received) = webhook();
    env.write("truce.toml", format!("[monitor]\nwebhook = \"{url}\"\n"));
    ok(&env, &["sites", "import", "sites.csv"]);
    let body = received
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the webhook was called");
    let alerts: Value = serde_json::from_str(&body).unwrap();
    assert!(
        alerts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["site"] == "Al-Nour Hospital"),
        "{body}"
    );

    // A webhook that refuses connections: a warning, and the alerts are still stored.
    let env = Env::new();
    env.write("reports.jsonl", REPORTS);
    env.write("sites.csv", SITES);
    ok(&env, &["ingest", "reports.jsonl"]);
    env.write(
        "truce.toml",
        format!(
            "[monitor]\nwebhook = \"{}\"\n",
            crate::helpers::refused_url()
        ),
    );
    let out = env.truce(&["sites", "import", "sites.csv"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("the alert webhook"),
        "{}",
        stderr(&out)
    );
    assert!(!lines(&ok(&env, &["alerts", "--json"])).is_empty());
}

#[test]
fn logs_are_plain_text_off_a_terminal_and_details_wait_for_verbose() {
    let env = with_agreement();
    // The import raises alerts: printed on standard output; logged on standard error with -v,
    // without colour codes (standard error is a pipe here).
    let out = env.truce(&["sites", "import", "sites.csv", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ALERT"), "{}", stdout(&out));
    let log = stderr(&out);
    assert!(log.contains("ALERT"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes off a terminal: {log:?}"
    );
    // Without -v: no log lines of information at all.
    let out = env.truce(&["assess", "--radius-km", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ALERT"), "{}", stdout(&out));
    assert!(stderr(&out).trim().is_empty(), "{:?}", stderr(&out));
}
