//! `truce documents` and `truce show`.

use crate::helpers::{Env, stderr, stdout};

#[test]
fn show_finds_a_document_by_id_external_id_or_hash_prefix() {
    let env = Env::new();
    env.write("r.jsonl", "{\"id\": \"ext-42\", \"text\": \"Shelling hit Maarat al-Numan.\", \"title\": \"Shelling\"}\n");
    assert!(env.truce(&["ingest", "r.jsonl"]).status.success());
    let doc = &env.documents(false)[0];
    let hash = doc["content_hash"].as_str().unwrap();
    for key in ["1", "ext-42", &hash[..10]] {
        let out = env.truce(&["show", key]);
        assert!(out.status.success(), "{key}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Shelling hit Maarat al-Numan."),
            "{key}"
        );
        assert!(stdout(&out).contains("ext-42"));
    }
    let out = env.truce(&["show", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no document matches"));
}

#[test]
fn show_raw_gives_back_the_exact_bytes() {
    let env = Env::new();
    let bytes = b"Caf\xe9 hit in \x93old\x94 Homs, witnesses said on Friday morning.".to_vec();
    env.write("legacy.txt", &bytes);
    assert!(env.truce(&["ingest", "legacy.txt"]).status.success());
    let out = env.truce(&["show", "1", "--raw"]);
    assert_eq!(out.stdout, bytes);
}

#[test]
fn the_listing_is_a_table_and_json_names_external_ids() {
    let env = Env::new();
    env.write(
        "r.jsonl",
        "{\"id\": \"a1\", \"text\": \"One.\"}\n{\"id\": \"a2\", \"text\": \"Two.\"}\n",
    );
    env.truce(&["ingest", "r.jsonl"]);
    let table = stdout(&env.truce(&["documents"]));
    assert!(table.lines().next().unwrap().contains("STATUS"));
    assert_eq!(table.lines().count(), 3);
    let json = env.documents(false);
    assert_eq!(json.len(), 2);
    assert_eq!(json[1]["external_id"], "a2");
    let limited = stdout(&env.truce(&["documents", "--json", "--limit", "1"]));
    assert_eq!(limited.lines().count(), 1);
}
