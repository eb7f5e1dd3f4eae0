//! Who is calling: passwords (argon2id, checked on a bounded pool), session cookies, API tokens
//! and CSRF tokens.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "truce_session";
/// The login form's CSRF cookie (double-submit before a session exists).
pub const LOGIN_CSRF_COOKIE: &str = "truce_login_csrf";
/// How long a session lives.
pub const SESSION_HOURS: i64 = 12;

pub use truce_app::credentials::{
    decoy_hash, hash_password, random_token, same, token_hash, verify_password,
};

/// A cookie's value from a request's `Cookie` headers (read by `axum-extra`'s cookie jar).
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_string())
}

/// The `Set-Cookie` value of a cookie truce sets: readable by the server only (`HttpOnly`),
/// never sent by another site's request (`SameSite=Strict`), over TLS only when `secure`, for
/// `max_age` seconds (0 removes it).
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    secure: bool,
) -> axum::http::HeaderValue {
    let c = Cookie::build((name.to_string(), value.to_string()))
        .path(path.to_string())
        .max_age(cookie::time::Duration::seconds(max_age))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    axum::http::HeaderValue::from_str(&c.to_string())
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static(""))
}

/// Password checks on a bounded pool: argon2 takes tens of megabytes and tens of milliseconds a
/// check, so at most `workers` run at once and at most `queue` wait; past that a login is shed
/// (the caller answers 503 with `Retry-After`) instead of the server's memory growing with the
/// number of attempts.
#[derive(Debug)]
pub struct PasswordPool {
    permits: tokio::sync::Semaphore,
    waiting: std::sync::atomic::AtomicUsize,
    queue: usize,
}

/// The pool is full: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl PasswordPool {
    /// A pool of `workers` concurrent checks with `queue` more waiting.
    pub fn new(workers: usize, queue: usize) -> Self {
        Self {
            permits: tokio::sync::Semaphore::new(workers.max(1)),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            queue,
        }
    }

    /// Checks a password against a PHC hash, or sheds the check when the pool is full.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, Busy> {
        use std::sync::atomic::Ordering;
        let admitted = self
            .waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.queue).then_some(n + 1)
            })
            .is_ok();
        if !admitted {
            return Err(Busy);
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let _permit = permit.map_err(|_| Busy)?;
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|_| Busy)
    }
}

impl Default for PasswordPool {
    /// One check a core but one (a core is always left to serve everything else), 32 waiting.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.saturating_sub(1).max(1), 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name_and_set_with_every_guard() {
        let mut h = axum::http::HeaderMap::new();
        h.append("cookie", "a=1; truce_session=abc; b=2".parse().unwrap());
        h.append("cookie", "c=3".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c").as_deref(), Some("3"));
        assert_eq!(cookie(&h, "d"), None);
        assert_eq!(cookie(&axum::http::HeaderMap::new(), SESSION_COOKIE), None);
        let set = set_cookie(SESSION_COOKIE, "abc", "/", 3600, true);
        let set = set.to_str().unwrap();
        for part in [
            "truce_session=abc",
            "Path=/",
            "Max-Age=3600",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
        ] {
            assert!(set.contains(part), "{set} lacks {part}");
        }
        let gone = set_cookie(SESSION_COOKIE, "", "/", 0, false);
        assert!(gone.to_str().unwrap().contains("Max-Age=0"));
        assert!(!gone.to_str().unwrap().contains("Secure"));
    }

    #[tokio::test]
    async fn the_password_pool_sheds_what_it_cannot_queue() {
        let pool = std::sync::Arc::new(PasswordPool::new(1, 2));
        let hash = hash_password("correct horse").unwrap();
        let tries: Vec<_> = (0..12)
            .map(|_| {
                let (pool, hash) = (pool.clone(), hash.clone());
                tokio::spawn(async move { pool.verify("wrong".into(), hash).await })
            })
            .collect();
        let mut shed = 0;
        for t in tries {
            match t.await.unwrap() {
                Err(Busy) => shed += 1,
                Ok(ok) => assert!(!ok),
            }
        }
        assert!(shed > 0, "twelve at once into one worker and two places");
        assert_eq!(
            pool.verify("correct horse".into(), hash).await,
            Ok(true),
            "the pool serves again once the flood is over"
        );
    }
}
