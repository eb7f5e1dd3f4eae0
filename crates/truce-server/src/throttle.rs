//! The failed-login throttle's in-memory half: failures counted per address (so that one host
//! cannot guess across many names) and per unknown name (so that a name without an account
//! locks like one that has, and a lockout does not tell which names exist).
//!
//! Failures against an existing account are counted in the database instead
//! ([`truce_store::Workspace::record_login_failure`]): that count holds across every address,
//! survives a restart, and no flood of other names can clear it. The maps here are bounded: when
//! full, expired entries go first, then the entry whose window started longest ago, one at a
//! time; never the whole map.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures of one key within its window, and its lockout.
#[derive(Debug, Clone, Copy)]
struct Count {
    since: Instant,
    failures: u32,
    locked_until: Option<Instant>,
}

/// A bounded map of failure counts with a window and a lockout.
#[derive(Debug)]
pub struct FailureCounter<K> {
    map: Mutex<HashMap<K, Count>>,
    /// Failures allowed within the window.
    pub limit: u32,
    /// The window over which failures count.
    pub window: Duration,
    /// How long a lockout lasts.
    pub lockout: Duration,
    /// The most keys held.
    pub capacity: usize,
}

impl<K: Eq + Hash + Clone> FailureCounter<K> {
    /// A counter allowing `limit` failures a `window`, locking for `lockout`, holding at most
    /// `capacity` keys.
    pub fn new(limit: u32, window: Duration, lockout: Duration, capacity: usize) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            limit,
            window,
            lockout,
            capacity: capacity.max(1),
        }
    }

    /// How long the key stays locked, when it is.
    pub fn locked(&self, key: &K) -> Option<Duration> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.get(key)
            .and_then(|c| c.locked_until)
            .filter(|t| *t > now)
            .map(|t| t - now)
    }

    /// Counts a failure; returns how long the key is now locked, when it is.
    pub fn fail(&self, key: &K) -> Option<Duration> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if map.len() >= self.capacity && !map.contains_key(key) {
            self.make_room(&mut map, now);
        }
        let c = map.entry(key.clone()).or_insert(Count {
            since: now,
            failures: 0,
            locked_until: None,
        });
        if now.duration_since(c.since) >= self.window {
            c.since = now;
            c.failures = 0;
        }
        c.failures += 1;
        if c.failures >= self.limit {
            c.locked_until = Some(now + self.lockout);
            c.failures = 0;
            c.since = now;
        }
        c.locked_until.filter(|t| *t > now).map(|t| t - now)
    }

    /// Forgets a key.
    pub fn clear(&self, key: &K) {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn make_room(&self, map: &mut HashMap<K, Count>, now: Instant) {
        let live = |c: &Count| {
            now.duration_since(c.since) < self.window || c.locked_until.is_some_and(|t| t > now)
        };
        map.retain(|_, c| live(c));
        if map.len() >= self.capacity {
            // The oldest window that is not a lockout goes first; a lockout only when every
            // entry is one (and then the one ending soonest).
            let victim = map
                .iter()
                .min_by_key(|(_, c)| (c.locked_until.is_some(), c.locked_until, c.since))
                .map(|(k, _)| k.clone());
            if let Some(k) = victim {
                map.remove(&k);
            }
        }
    }
}

/// The server's login throttle: per address, and per name without an account.
#[derive(Debug)]
pub struct Throttle {
    /// Failures per client address (across every name).
    pub addresses: FailureCounter<IpAddr>,
    /// Failures per name that has no account (lower-cased).
    pub unknown_names: FailureCounter<String>,
}

impl Default for Throttle {
    fn default() -> Self {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        Self {
            addresses: FailureCounter::new(30, minutes(15), minutes(15), 100_000),
            unknown_names: FailureCounter::new(10, minutes(15), minutes(15), 100_000),
        }
    }
}

impl Throttle {
    /// The key of a name that has no account.
    pub fn name_key(name: &str) -> String {
        name.trim().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_locks_after_its_limit_and_is_cleared_by_a_success() {
        let t = FailureCounter::new(3, Duration::from_secs(60), Duration::from_secs(60), 10);
        assert!(t.fail(&"a").is_none());
        assert!(t.fail(&"a").is_none());
        assert!(t.fail(&"a").is_some());
        assert!(t.locked(&"a").is_some());
        assert!(t.locked(&"b").is_none());
        t.clear(&"a");
        assert!(t.locked(&"a").is_none());
    }

    #[test]
    fn a_flood_of_other_keys_never_clears_a_lockout() {
        let t = FailureCounter::new(2, Duration::from_secs(600), Duration::from_secs(600), 100);
        t.fail(&0u32);
        t.fail(&0u32);
        assert!(t.locked(&0).is_some());
        for k in 1..100_000u32 {
            t.fail(&k);
        }
        assert!(t.len() <= 100);
        assert!(t.locked(&0).is_some(), "the lockout survived the flood");
    }

    #[test]
    fn lockouts_end_by_themselves() {
        let t = FailureCounter::new(1, Duration::from_secs(60), Duration::from_millis(30), 10);
        assert!(t.fail(&"a").is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(t.locked(&"a").is_none());
    }
}
