//! `truce ingest` on good and bad files: every input is stored, failures with their reason.

use crate::helpers::{Env, configure, failure_of, stderr, stdout};

const REPORT: &str = "Clinic struck in Kafr Zita\n\nHAMA, Syria, March 3, 2026 - Artillery shells hit a clinic in Kafr Zita on Tuesday morning, killing two nurses, local monitors said.";

const RSS_TWO_ITEMS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Monitor</title>
<item><title>Shelling in Daraa</title><link>https://m.example/1</link><guid>m-1</guid><pubDate>Tue, 03 Mar 2026 08:00:00 +0000</pubDate><description>Shelling hit Daraa al-Balad on Monday night.</description></item>
<item><title>Convoy reaches Douma</title><link>https://m.example/2</link><guid>m-2</guid><description>An aid convoy of 40 trucks reached Douma.</description></item>
</channel></rss>"#;

#[test]
fn init_creates_the_database_and_configuration() {
    let env = Env::new();
    let out = env.truce(&["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.path("truce.db").exists());
    let config = std::fs::read_to_string(env.path("truce.toml")).unwrap();
    assert!(config.contains("max_bytes"), "{config}");
    // Running it again keeps the configuration.
    let again = env.truce(&["init"]);
    assert!(stdout(&again).contains("kept"));
}

#[test]
fn a_folder_of_good_reports_is_ingested_with_one_summary_line() {
    let env = Env::new();
    env.write("reports/clinic.txt", REPORT);
    env.write("reports/feeds/monitor.xml", RSS_TWO_ITEMS);
    env.write("reports/batch.jsonl", "{\"id\": \"fr-1\", \"text\": \"Mortar fire hit Jisr al-Shughur.\", \"published\": \"2026-03-02\"}\n{\"id\": \"fr-2\", \"text\": \"Clashes near Saraqib.\"}\n");
    env.write("reports/.hidden.txt", "never read");
    let out = env.truce(&["ingest", "reports"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(
        line.starts_with("ingested 5 documents (0 duplicates, 0 failed) in "),
        "{line}"
    );

    let docs = env.documents(false);
    assert_eq!(docs.len(), 5);
    let clinic = docs.iter().find(|d| d["format"] == "text").unwrap();
    assert_eq!(clinic["title"], "Clinic struck in Kafr Zita");
    assert_eq!(clinic["published"], "2026-03-03");
    assert_eq!(clinic["language"], "eng");
    let item = docs.iter().find(|d| d["external_id"] == "m-1").unwrap();
    assert_eq!(item["format"], "rss");
    assert_eq!(item["url"], "https://m.example/1");
    assert_eq!(item["published"], "2026-03-03");
    assert_eq!(item["source"]["part"], "item 1");
    let record = docs.iter().find(|d| d["external_id"] == "fr-1").unwrap();
    assert_eq!(record["published"], "2026-03-02");
    assert!(
        !docs
            .iter()
            .any(|d| d["source"]["location"].as_str().unwrap().contains("hidden"))
    );
}

#[test]
fn the_same_bytes_ingested_twice_are_one_document() {
    let env = Env::new();
    env.write("a.txt", REPORT);
    env.write("copy/a-again.txt", REPORT);
    let out = env.truce(&["ingest", "a.txt", "copy"]);
    assert!(
        stdout(&out).starts_with("ingested 2 documents (1 duplicates, 0 failed)"),
        "{}",
        stdout(&out)
    );
    let out = env.truce(&["ingest", "a.txt"]);
    assert!(
        stdout(&out).starts_with("ingested 1 documents (1 duplicates, 0 failed)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.documents(false).len(), 1);
}

#[test]
fn bad_files_are_stored_as_failures_and_the_rest_goes_on() {
    let env = Env::new();
    env.write("in/good.txt", REPORT);
    env.write("in/empty.txt", "");
    env.write("in/blank.txt", "  \n\n ");
    env.write("in/photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01");
    env.write("in/archive.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00");
    env.write("in/cut.xml", &RSS_TWO_ITEMS[..150]);
    env.write("in/broken.json", "{\"text\": \"unterminated");
    let out = env.truce(&["ingest", "in", "missing-folder"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failures must set the exit status"
    );
    assert!(
        stdout(&out).starts_with("ingested 8 documents (0 duplicates, 7 failed)"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("photo.jpg") && err.contains("JPEG image"),
        "{err}"
    );

    let failed = env.documents(true);
    assert_eq!(failed.len(), 7);
    assert_eq!(
        failure_of(&failed, "empty.txt")["error"],
        "empty input: nothing to read"
    );
    assert_eq!(
        failure_of(&failed, "blank.txt")["error"],
        "empty input: nothing to read"
    );
    assert_eq!(
        failure_of(&failed, "photo.jpg")["error"],
        "binary content (JPEG image), not a report"
    );
    assert_eq!(
        failure_of(&failed, "archive.zip")["error"],
        "binary content (ZIP archive), not a report"
    );
    assert!(
        failure_of(&failed, "cut.xml")["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed RSS feed")
    );
    assert!(
        failure_of(&failed, "broken.json")["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON")
    );
    assert_eq!(
        failure_of(&failed, "missing-folder")["error"],
        "no such file or folder"
    );
    // The raw bytes of what could be read are kept, and `show --raw` gives them back unchanged.
    let photo = failure_of(&failed, "photo.jpg");
    assert!(photo["raw_hash"].is_string());
    let raw = env.truce(&["show", &photo["id"].to_string(), "--raw"]);
    assert_eq!(raw.stdout, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01");
}

#[test]
fn legacy_encodings_and_invalid_utf8_become_text() {
    let env = Env::new();
    env.write("cp1252.txt", b"Residents of the caf\xe9 district said the \x93ceasefire\x94 held overnight in Idlib province.");
    env.write("bad-utf8.txt", b"Shelling hit the old city \xc3\x28 of Aleppo on Monday, residents said, and then it stopped.");
    let out = env.truce(&["ingest", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = env.documents(false);
    let texts: Vec<&str> = docs.iter().map(|d| d["text"].as_str().unwrap()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("café district said the “ceasefire” held")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Shelling hit the old city") && t.contains("Aleppo")),
        "{texts:?}"
    );
}

#[test]
fn a_file_above_the_size_limit_fails_clearly_without_being_read() {
    let env = Env::new();
    // A sparse 200 MB file: cheap to create, and truce must refuse it from its size alone.
    let big = std::fs::File::create(env.path("huge.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    env.write("small.txt", REPORT);
    let out = env.truce(&["ingest", "."]);
    assert_eq!(out.status.code(), Some(1));
    let failed = env.documents(true);
    let error = failure_of(&failed, "huge.txt")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("209715200 bytes is above the size limit of 20971520 bytes"),
        "{error}"
    );
    assert!(failure_of(&failed, "huge.txt")["raw_hash"].is_null());

    // The limit is configurable; a retry with a higher limit reads it (and finds it is not text).
    configure(&env, "max_bytes = 100");
    let out = env.truce(&["ingest", "small.txt"]);
    assert!(stdout(&out).contains("1 failed"), "{}", stdout(&out));
}

#[test]
fn a_feed_with_ten_thousand_items_is_ten_thousand_documents() {
    let env = Env::new();
    let mut feed =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>\n");
    for i in 0..10_000 {
        feed.push_str(&format!(
            "<item><title>Report {i}</title><guid>g-{i}</guid><description>Shelling reported in sector {i} on Monday.</description></item>\n"
        ));
    }
    feed.push_str("</channel></rss>");
    env.write("big.xml", feed);
    let out = env.truce(&["ingest", "big.xml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ingested 10,000 documents (0 duplicates, 0 failed)"),
        "{}",
        stdout(&out)
    );
    let docs = env.documents(false);
    assert_eq!(docs.len(), 10_000);
    assert_eq!(docs[9_999]["external_id"], "g-9999");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_a_failure_not_a_hang() {
    let env = Env::new();
    env.write("tree/a.txt", REPORT);
    std::os::unix::fs::symlink(env.path("tree"), env.path("tree/again")).unwrap();
    let out = env.truce(&["ingest", "tree"]);
    assert_eq!(out.status.code(), Some(1));
    let failed = env.documents(true);
    let error = failure_of(&failed, "again")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.starts_with("symbolic link loop"), "{error}");
    assert_eq!(
        env.documents(false)
            .iter()
            .filter(|d| d["status"] == "parsed")
            .count(),
        1
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_failure() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let path = env.write("locked.txt", REPORT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file regardless of its mode; /proc/self/mem then stands in for a file whose
    // read fails at the operating-system level.
    let target = if std::fs::read(&path).is_err() {
        path.display().to_string()
    } else {
        "/proc/self/mem".to_string()
    };
    let out = env.truce(&["ingest", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let failed = env.documents(true);
    assert_eq!(failed.len(), 1);
    let error = failed[0]["error"].as_str().unwrap();
    assert!(
        error == "permission denied" || error.starts_with("cannot read"),
        "{error}"
    );
}

#[test]
fn failures_can_be_retried_once_fixed() {
    let env = Env::new();
    let path = env.write("late.txt", "");
    let out = env.truce(&["ingest", "late.txt"]);
    assert_eq!(out.status.code(), Some(1));
    // Retrying the same bytes fails again, counted as another attempt.
    let out = env.truce(&["retry"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(env.documents(true)[0]["attempts"], 2);
    // Once the file holds a report, retrying reads it again from disk... no: the empty bytes were
    // kept, so a retry re-parses them; ingesting the fixed file supersedes the failure.
    std::fs::write(&path, REPORT).unwrap();
    let out = env.truce(&["ingest", "late.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.documents(true).is_empty(), "the failure is superseded");
    let all = env.documents(false);
    assert_eq!(
        all.iter().filter(|d| d["status"] == "superseded").count(),
        1
    );
    assert_eq!(all.iter().filter(|d| d["status"] == "parsed").count(), 1);
}

#[test]
fn a_failure_without_bytes_is_retried_from_its_source() {
    let env = Env::new();
    configure(&env, "max_bytes = 10");
    env.write("report.txt", REPORT);
    assert_eq!(env.truce(&["ingest", "report.txt"]).status.code(), Some(1));
    let out = env.truce(&["retry", "--max-bytes", "100000"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(env.documents(true).is_empty());
    let parsed: Vec<_> = env
        .documents(false)
        .into_iter()
        .filter(|d| d["status"] == "parsed")
        .collect();
    assert_eq!(parsed.len(), 1);
}

#[test]
fn standard_input_is_a_source() {
    let env = Env::new();
    let mut child = env
        .command(&["ingest", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(REPORT.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let docs = env.documents(false);
    assert_eq!(docs[0]["source"]["kind"], "stdin");
}

#[test]
fn an_email_report_is_read() {
    let env = Env::new();
    env.write(
        "note.eml",
        "From: monitor@field.example\nTo: cell@mission.example\nSubject: Shelling in Jisr\nDate: Tue, 03 Mar 2026 18:00:00 +0200\nMessage-ID: <n-1@field.example>\n\nMortar fire hit Jisr al-Shughur at noon, two civilians were hurt.\n",
    );
    assert!(env.truce(&["ingest", "note.eml"]).status.success());
    let doc = &env.documents(false)[0];
    assert_eq!(doc["format"], "email");
    assert_eq!(doc["title"], "Shelling in Jisr");
    assert_eq!(doc["external_id"], "n-1@field.example");
}

#[test]
fn a_broken_configuration_is_a_clear_error() {
    let env = Env::new();
    configure(&env, "max_bytez = 5");
    env.write("a.txt", REPORT);
    let out = env.truce(&["ingest", "a.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("invalid configuration") && err.contains("max_bytez"),
        "{err}"
    );
}

#[test]
fn a_bad_jsonl_line_fails_alone_and_stays_listed_until_fixed() {
    let env = Env::new();
    let path = env.write(
        "r.jsonl",
        "{\"id\": \"a\", \"text\": \"Shelling in Homs.\"}\n{\"id\": \"b\" \"text\": \"cut\"}\n",
    );
    let out = env.truce(&["ingest", "r.jsonl"]);
    assert!(
        stdout(&out).starts_with("ingested 2 documents (0 duplicates, 1 failed)"),
        "{}",
        stdout(&out)
    );
    let failed = env.documents(true);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["source"]["part"], "line 2");
    // Fixing the line and ingesting again: the good line is a duplicate, the fixed one is new,
    // and the old failure is superseded.
    std::fs::write(&path, "{\"id\": \"a\", \"text\": \"Shelling in Homs.\"}\n{\"id\": \"b\", \"text\": \"Clashes in Hama.\"}\n").unwrap();
    let out = env.truce(&["ingest", "r.jsonl"]);
    assert!(
        stdout(&out).starts_with("ingested 2 documents (1 duplicates, 0 failed)"),
        "{}",
        stdout(&out)
    );
    assert!(env.documents(true).is_empty());
}
