//! An audit log that proves itself: `truce audit verify` catches an edited entry, a truncated
//! log, a log rewritten with every hash recomputed (against a head published before), and rows
//! of the record edited, deleted or inserted straight in the database.

use crate::helpers::{Env, stderr, stdout};

const REPORTS: &str = include_str!("../fixtures/incidents/reports.jsonl");

/// A database with incidents and a case: a review, a submission, a draft ruling, a message.
fn adjudicated() -> Env {
    let env = Env::new();
    let init = env.truce(&["init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(env.path("audit-signing.key").exists());
    env.write("reports.jsonl", REPORTS);
    let out = env.truce(&["ingest", "reports.jsonl", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    run_sql(&env, |store| {
        Box::pin(async move {
            use truce_store::Workspace;
            let id: i64 = sqlx::query_scalar("SELECT min(id) FROM incidents")
                .fetch_one(store.pool())
                .await
                .unwrap();
            store
                .add_review(&truce_store::Review {
                    id: 0,
                    incident_id: id,
                    status: truce_model::ReviewStatus::Confirmed,
                    grade: None,
                    note: "two outlets agree".into(),
                    reviewed_by: "monitor".into(),
                    reviewed_at: chrono::Utc::now(),
                })
                .await
                .unwrap();
            store
                .add_submission(id, "Military Forces of Syria", "party", "not ours")
                .await
                .unwrap();
            store
                .rule(id, truce_model::Ruling::Violation, "shelling", "co-chair")
                .await
                .unwrap();
            store
                .add_message(
                    id,
                    "monitor",
                    "source says",
                    &[],
                    &truce_model::Audience::Staff,
                )
                .await
                .unwrap();
        })
    });
    env
}

/// Database work on an open store.
type Work = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Runs database work straight on the file (as someone with the file, not through truce).
fn run_sql(env: &Env, job: impl FnOnce(truce_store::SqliteStore) -> Work) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = truce_store::SqliteStore::open(env.path("truce.db").to_str().unwrap())
            .await
            .unwrap();
        job(store.clone()).await;
        store.pool().close().await;
    });
}

/// Runs one statement straight on the file.
fn tamper(env: &Env, sql: &'static str) {
    run_sql(env, move |store| {
        Box::pin(async move {
            let done = sqlx::query(sql).execute(store.pool()).await.unwrap();
            assert!(done.rows_affected() > 0, "{sql} changed nothing");
        })
    });
}

/// `truce audit verify [--against HEAD]`: (success, stdout).
fn verify(env: &Env, against: Option<&str>) -> (bool, String) {
    let mut args = vec!["audit", "verify"];
    if let Some(h) = against {
        args.extend(["--against", h]);
    }
    let out = env.truce(&args);
    (out.status.success(), stdout(&out))
}

fn head(env: &Env) -> String {
    let out = env.truce(&["audit", "head"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[test]
fn an_untouched_log_verifies_and_signs_its_head() {
    let env = adjudicated();
    let (ok, out) = verify(&env, None);
    assert!(ok, "{out}");
    assert!(out.contains("audit log intact"), "{out}");
    let h = head(&env);
    assert!(h.starts_with("truce-tree-head v1 size="), "{h}");
    let (ok, out) = verify(&env, Some(&h));
    assert!(ok && out.contains("holds, signature checked"), "{out}");
    // An outside verifier with the public key only.
    let key = stdout(&env.truce(&["audit", "key"])).trim().to_string();
    let out = env.truce(&["audit", "verify", "--against", &h, "--public-key", &key]);
    assert!(out.status.success(), "{}", stdout(&out));
    // A forged head (another size, same signature) is refused.
    let forged = h.replacen("size=", "size=1", 1);
    let (ok, out) = verify(&env, Some(&forged));
    assert!(!ok, "{out}");
}

#[test]
fn an_edited_entry_breaks_the_chain() {
    let env = adjudicated();
    tamper(
        &env,
        "UPDATE audit_log SET actor = 'someone else' WHERE action = 'case.rule'",
    );
    let (ok, out) = verify(&env, None);
    assert!(!ok && out.contains("chain BROKEN"), "{out}");
}

#[test]
fn a_truncated_log_fails_against_a_head_published_before() {
    let env = adjudicated();
    let published = head(&env);
    // Whoever cuts the log's end also deletes the heads kept in the database: only the
    // published one is left to catch it.
    tamper(
        &env,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)",
    );
    tamper(&env, "DELETE FROM audit_heads");
    let (ok, out) = verify(&env, None);
    assert!(out.contains("chain intact"), "{out}");
    let (ok_against, against) = verify(&env, Some(&published));
    assert!(
        !ok_against && against.contains("entries were cut"),
        "{against}"
    );
    // Without the published head the truncation shows only through the rows the cut entries
    // vouched for (the ruling, the message): still not intact.
    assert!(!ok, "{out}");
}

#[test]
fn a_log_rewritten_with_every_hash_recomputed_fails_against_a_head_published_before() {
    let env = adjudicated();
    let published = head(&env);
    // Rewrite the ruling's entry and recompute the whole chain after it, as a careful forger
    // would; drop the heads kept in the database too.
    run_sql(&env, |store| {
        Box::pin(async move {
            use sqlx::Row;
            let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq")
                .fetch_all(store.pool())
                .await
                .unwrap();
            let mut prev = truce_model::audit::GENESIS.to_string();
            for r in rows {
                let seq: i64 = r.get("seq");
                let at: String = r.get("at");
                let actor: String = r.get("actor");
                let action: String = r.get("action");
                let subject: String = r.get("subject");
                let mut detail: String = r.get("detail");
                if action == "case.rule" {
                    detail = detail.replace("violation", "no violation");
                }
                let hash =
                    truce_model::chain_hash(&prev, seq, &at, &actor, &action, &subject, &detail);
                sqlx::query(
                    "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                )
                .bind(&detail)
                .bind(&prev)
                .bind(&hash)
                .bind(seq)
                .execute(store.pool())
                .await
                .unwrap();
                prev = hash;
            }
            sqlx::query("DELETE FROM audit_heads")
                .execute(store.pool())
                .await
                .unwrap();
        })
    });
    let (_, out) = verify(&env, None);
    assert!(
        out.contains("chain intact"),
        "the forger recomputed it: {out}"
    );
    let (ok, out) = verify(&env, Some(&published));
    assert!(!ok && out.contains("the log was rewritten"), "{out}");
}

#[test]
fn rows_edited_deleted_or_added_straight_in_the_database_are_found() {
    for (sql, expect) in [
        (
            "UPDATE incidents SET fatalities_low = 99 WHERE id = (SELECT min(id) FROM incidents)",
            "ALTERED without an entry: 1 rows (incidents:",
        ),
        (
            "UPDATE incident_state SET status = 'discounted'",
            "ALTERED without an entry: 1 rows (incident_state:",
        ),
        (
            "UPDATE reviews SET note = 'nobody agrees'",
            "ALTERED without an entry: 1 rows (reviews:",
        ),
        (
            "UPDATE case_submissions SET body = 'we admit it'",
            "ALTERED without an entry: 1 rows (case_submissions:",
        ),
        (
            "UPDATE cases SET ruling = 'no violation'",
            "ALTERED without an entry: 1 rows (cases:",
        ),
        (
            "UPDATE messages SET audience = 'public'",
            "ALTERED without an entry: 1 rows (messages:",
        ),
        (
            "DELETE FROM reviews",
            "DELETED without an entry: 1 rows (reviews:",
        ),
        (
            "INSERT INTO corrections (incident_id, kind, reason, corrected_by, corrected_at) \
             VALUES (1, 'retraction', 'forged', 'nobody', '2026-01-01T00:00:00Z')",
            "no entry vouches for: 1 rows (corrections:",
        ),
    ] {
        let env = adjudicated();
        let (ok, before) = verify(&env, None);
        assert!(ok, "{before}");
        tamper(&env, sql);
        let (ok, out) = verify(&env, None);
        assert!(!ok, "{sql}: {out}");
        assert!(out.contains(expect), "{sql}: {out}");
        assert!(out.contains("chain intact"), "{sql}: {out}");
    }
}

#[test]
fn bad_heads_and_keys_get_clear_errors() {
    let env = Env::new();
    assert!(env.truce(&["init"]).status.success());
    env.write("empty.txt", "");
    env.write("binary.bin", [0u8, 159, 146, 150, 255, 0, 1]);
    env.write("garbage.txt", "truce-tree-head v1 size=twelve root=zz\n");
    for (against, expect) in [
        ("empty.txt", "holds no signed head"),
        ("binary.bin", "neither a signed head nor a readable file"),
        ("garbage.txt", "cannot be read"),
        ("no-such-file", "neither a signed head nor a readable file"),
        ("truce-tree-head v1 size=1", "not a tree head"),
    ] {
        let out = env.truce(&["audit", "verify", "--against", against]);
        assert!(!out.status.success(), "{against}");
        let err = stderr(&out);
        assert!(err.contains(expect), "{against}: {err}");
        assert!(!err.contains("panicked"), "{against}: {err}");
    }
    let out = env.truce(&["audit", "verify", "--public-key", "abc"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("64 hex digits"), "{}", stderr(&out));
    // A damaged key file is named, not a panic.
    env.write("audit-signing.key", "not a key");
    let out = env.truce(&["audit", "head"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the signing key") && stderr(&out).contains("cannot be used"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_command_line_change_names_who_made_it() {
    let env = Env::new();
    assert!(env.truce(&["init"]).status.success());
    env.write(
        "sites.csv",
        "name,type,lat,lon\nAl-Nour Hospital,hospital,36.2010,37.1610\n",
    );
    let log = |env: &Env| stdout(&env.truce(&["audit", "log", "--subject", "sites"]));
    // The login name, as the shell gives it.
    let out = env
        .command(&["sites", "import", "sites.csv"])
        .env("USER", "ana")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(log(&env).contains("cli:ana "), "{}", log(&env));
    // Named for the record.
    let out = env
        .command(&["sites", "import", "sites.csv", "--by", "field-office-2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(log(&env).contains("cli:field-office-2"), "{}", log(&env));
    // No login name in the environment (a service, a cron job): the user id's name, never
    // "unknown".
    let out = env
        .command(&["sites", "import", "sites.csv"])
        .env_remove("USER")
        .env_remove("LOGNAME")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let last = log(&env).lines().last().unwrap_or_default().to_string();
    assert!(
        last.contains("cli:") && !last.contains("cli:unknown"),
        "{last}"
    );
}
