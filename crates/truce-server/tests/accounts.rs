//! Accounts under attack: lockouts per account across addresses that no flood of other names
//! clears and that an administrator can lift; a per-address limit across names; API tokens that
//! expire and die with a password change or a disabled account.

// Each test binary uses part of the shared support.
#[allow(dead_code)]
mod support;

use serde_json::json;
use support::{PASSWORD, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_stays_locked_whatever_else_fails_until_it_expires_or_is_unlocked() {
    let s = TestServer::start(false).await;
    let mut brute = s.client();
    for _ in 0..10 {
        assert_eq!(brute.login("monitor", "wrong password").await, 401);
    }
    // Locked: the right password is refused too, with a time to wait.
    assert_eq!(brute.login("monitor", PASSWORD).await, 429);
    // The lock is the account's, in the database: another client (another address, as far as
    // the count goes) meets it as well, and a restart would not clear it.
    let user = s.store.user_by_name("monitor").await.unwrap().unwrap().0;
    assert!(user.locked_until.is_some());
    assert_eq!(s.client().login("monitor", PASSWORD).await, 429);
    // Failures under other names do not touch it (fifteen: below the address's own limit, which
    // the admin's login below must not meet).
    for i in 0..15 {
        s.client().login(&format!("nobody-{i}"), "x").await;
    }
    assert_eq!(s.client().login("monitor", PASSWORD).await, 429);
    // Other accounts are not locked out.
    let mut admin = s.as_role("admin").await;
    // An administrator lifts the lock; a co-chair may not.
    let mut chair = s.as_role("co-chair").await;
    assert_eq!(
        chair
            .post("/api/v1/users/monitor/unlock", json!({}))
            .await
            .status,
        403
    );
    let r = admin.post("/api/v1/users/monitor/unlock", json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.client().login("monitor", PASSWORD).await, 303);
    // The unlock is audited.
    let log = s.store.audit(Some("user:monitor"), 0, 100).await.unwrap();
    assert!(log.iter().any(|e| e.action == "user.unlock"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_without_accounts_lock_like_accounts_and_one_address_is_limited_across_names() {
    let s = TestServer::start(false).await;
    // A name without an account locks after as many failures as one with: a lockout does not
    // tell which names exist.
    let mut c = s.client();
    for _ in 0..10 {
        assert_eq!(c.login("ghost", "wrong").await, 401);
    }
    assert_eq!(c.login("ghost", "wrong").await, 429);
    // One address: thirty failures across names, then nothing more from it for a while, not
    // even a right password.
    for i in 0..20 {
        let status = c.login(&format!("spray-{i}"), "wrong").await;
        assert!([401, 429].contains(&status), "{status}");
    }
    assert_eq!(c.login("admin", PASSWORD).await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_and_die_with_a_new_password_or_a_disabled_account() {
    let s = TestServer::start(false).await;
    let mut viewer = s.as_role("viewer").await;
    let made = viewer
        .post(
            "/api/v1/tokens",
            json!({"name": "script", "expires_in_days": 7}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let expires = made.json()["expires_at"].as_str().unwrap().to_string();
    let expires = chrono::DateTime::parse_from_rfc3339(&expires).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((6 * 24..=7 * 24).contains(&days), "{days} hours");
    for bad in [0, 366, -1] {
        let r = viewer
            .post(
                "/api/v1/tokens",
                json!({"name": "x", "expires_in_days": bad}),
            )
            .await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
    }
    let token = made.json()["token"].as_str().unwrap().to_string();
    let mut machine = s.client();
    machine.token = Some(token.clone());
    assert_eq!(machine.get("/api/v1/me").await.status, 200);

    // An expired token is refused.
    let old = truce_server::auth::random_token();
    s.store
        .create_token(
            "viewer",
            "old",
            &truce_server::auth::token_hash(&old),
            chrono::Utc::now() - chrono::Duration::seconds(1),
            "test",
        )
        .await
        .unwrap();
    let mut stale = s.client();
    stale.token = Some(old);
    assert_eq!(stale.get("/api/v1/me").await.status, 401);

    // A new password ends the sessions and revokes the tokens.
    let hash = truce_server::auth::hash_password("another long password").unwrap();
    assert!(s.store.set_password("viewer", &hash, "test").await.unwrap());
    assert_eq!(machine.get("/api/v1/me").await.status, 401);
    assert_eq!(viewer.get("/api/v1/me").await.status, 401);

    // A disabled account: its fresh token and session die at once.
    let mut monitor = s.as_role("monitor").await;
    let t = monitor
        .post("/api/v1/tokens", json!({"name": "m"}))
        .await
        .json();
    let mut m = s.client();
    m.token = Some(t["token"].as_str().unwrap().to_string());
    assert_eq!(m.get("/api/v1/me").await.status, 200);
    assert!(s.store.set_disabled("monitor", true, "test").await.unwrap());
    assert_eq!(m.get("/api/v1/me").await.status, 401);
    assert_eq!(monitor.get("/api/v1/me").await.status, 401);
    // Enabled again, the old token stays revoked.
    assert!(
        s.store
            .set_disabled("monitor", false, "test")
            .await
            .unwrap()
    );
    assert_eq!(m.get("/api/v1/me").await.status, 401);
    assert_eq!(s.client().login("monitor", PASSWORD).await, 303);
}
