//! Who is calling: passwords (argon2id), session cookies, API tokens, CSRF tokens, and the
//! throttle on failed logins.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "truce_session";
/// The login form's CSRF cookie (double-submit before a session exists).
pub const LOGIN_CSRF_COOKIE: &str = "truce_login_csrf";
/// How long a session lives.
pub const SESSION_HOURS: i64 = 12;

/// Hashes a password with argon2id and a fresh salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether a password matches a stored PHC hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so that a wrong name takes as long
/// as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

/// 32 random bytes as hex (session tokens, API tokens, CSRF tokens).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex(&bytes)
}

/// SHA-256 of a token, hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A cookie's value from a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Counts failed logins per (address, name) and refuses further tries for a while after too many.
#[derive(Debug)]
pub struct Throttle {
    failures: Mutex<HashMap<(IpAddr, String), Vec<Instant>>>,
    /// Failures allowed in the window.
    pub limit: usize,
    /// The window.
    pub window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            failures: Mutex::new(HashMap::new()),
            limit: 5,
            window: Duration::from_secs(15 * 60),
        }
    }
}

impl Throttle {
    fn key(ip: IpAddr, name: &str) -> (IpAddr, String) {
        (ip, name.trim().to_lowercase())
    }

    /// How long to wait before trying again, when locked out.
    pub fn locked(&self, ip: IpAddr, name: &str) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let list = map.get_mut(&Self::key(ip, name))?;
        let now = Instant::now();
        list.retain(|t| now.duration_since(*t) < self.window);
        (list.len() >= self.limit).then(|| {
            let oldest = list.iter().min().copied().unwrap_or(now);
            self.window.saturating_sub(now.duration_since(oldest))
        })
    }

    /// Records a failure.
    pub fn fail(&self, ip: IpAddr, name: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a flood: forget the oldest state wholesale.
            map.clear();
        }
        map.entry(Self::key(ip, name))
            .or_default()
            .push(Instant::now());
    }

    /// Clears the failures after a success.
    pub fn succeed(&self, ip: IpAddr, name: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Self::key(ip, name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookies_are_read_by_name() {
        let h = "a=1; truce_session=abc; b=2";
        assert_eq!(cookie(h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(h, "c"), None);
    }

    #[test]
    fn the_throttle_locks_after_five_failures() {
        let t = Throttle::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..4 {
            t.fail(ip, "Ana");
        }
        assert!(t.locked(ip, "ana").is_none());
        t.fail(ip, "ana");
        assert!(t.locked(ip, "ANA").is_some());
        assert!(t.locked(ip, "omar").is_none());
        t.succeed(ip, "ana");
        assert!(t.locked(ip, "ana").is_none());
    }
}
