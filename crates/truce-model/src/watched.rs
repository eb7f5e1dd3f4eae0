//! Sources watched around the clock: a feed, a page or a JSON endpoint fetched on its own
//! schedule, what its fetches found, when it is fetched next, and when it has gone quiet.
//!
//! The rules of the schedule live here, free of I/O, so that the watcher, the register's list
//! and the dashboard's notices read a source the same way: [`SourceState::after_fetch`] is the
//! one place a fetch changes a source's state, [`WatchedSource::health`] the one place its
//! health is judged.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

names! {
    /// What a watched source serves.
    WatchKind {
        /// An RSS, Atom or JSON feed: each item a report.
        Feed = "feed",
        /// A page: the page is the report.
        Page = "page",
        /// JSON over HTTP: a record or a list of records, each a report.
        Json = "json",
    }
}

names! {
    /// How a source's last fetch went.
    FetchStatus {
        /// Not fetched yet.
        Never = "never",
        /// Fetched: new reports, or none new.
        Ok = "ok",
        /// The server said nothing changed since the last fetch (HTTP 304).
        NotModified = "not modified",
        /// The fetch failed: refused, timed out, an error status, too large, unreadable.
        Failed = "failed",
    }
}

impl WatchKind {
    /// The kind a URL most likely serves, when none is given: feeds by their usual paths and
    /// extensions, JSON by its extension, a page otherwise.
    pub fn guess(url: &str) -> Self {
        let path = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .to_ascii_lowercase();
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if [".xml", ".rss", ".atom", ".rdf"]
            .iter()
            .any(|e| last.ends_with(e))
            || ["feed", "rss", "atom", "feeds"].contains(&last)
        {
            Self::Feed
        } else if last.ends_with(".json") || last.ends_with(".jsonl") {
            Self::Json
        } else {
            Self::Page
        }
    }
}

/// Shortest interval between two fetches of one source.
pub const MIN_EVERY_SECS: u32 = 10;

/// Longest interval between two fetches of one source (a week).
pub const MAX_EVERY_SECS: u32 = 7 * 24 * 3600;

/// Longest wait after failures: the backoff doubles the interval up to this (or the interval
/// itself, when that is longer).
pub const MAX_BACKOFF_SECS: i64 = 6 * 3600;

/// A source in the register, with what its fetches found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchedSource {
    /// Row id.
    pub id: i64,
    /// What is fetched.
    pub url: String,
    /// What people call it.
    pub name: String,
    /// What it serves.
    pub kind: WatchKind,
    /// Seconds between fetches.
    pub every_secs: u32,
    /// Whether the article each feed item links to is fetched too (kept beside the item).
    pub follow_links: bool,
    /// Paused sources are not fetched.
    pub paused: bool,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// Who added it.
    pub added_by: String,
    /// What its fetches found.
    pub state: SourceState,
}

/// What a source's fetches found, and when it is fetched next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceState {
    /// When it is due.
    pub next_fetch_at: DateTime<Utc>,
    /// How the last fetch went.
    pub status: FetchStatus,
    /// Why the last fetch failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Failures since the last success (the backoff's exponent).
    #[serde(default)]
    pub failures: u32,
    /// When it was last fetched, successfully or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_fetch_at: Option<DateTime<Utc>>,
    /// When a fetch last succeeded (a 304 included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success_at: Option<DateTime<Utc>>,
    /// When a fetch last brought a new report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_new_at: Option<DateTime<Utc>>,
    /// The source's usual rhythm: seconds between fetches that brought new reports, a moving
    /// average (none until two such fetches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rhythm_secs: Option<u32>,
    /// Fetches made.
    #[serde(default)]
    pub fetches: u64,
    /// New reports the fetches brought, in all.
    #[serde(default)]
    pub reports: u64,
    /// New reports the last fetch brought.
    #[serde(default)]
    pub last_reports: u32,
    /// The validator the server gave with the last body (`ETag`), sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The server's `Last-Modified` of the last body, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl SourceState {
    /// A source never fetched, due at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            next_fetch_at: now,
            status: FetchStatus::Never,
            error: None,
            failures: 0,
            last_fetch_at: None,
            last_success_at: None,
            last_new_at: None,
            rhythm_secs: None,
            fetches: 0,
            reports: 0,
            last_reports: 0,
            etag: None,
            last_modified: None,
        }
    }

    /// The state after one fetch at `at` of a source fetched every `every_secs`: the schedule
    /// moves on by the interval after a success, by a doubling backoff after failures (never
    /// more than [`MAX_BACKOFF_SECS`] or the interval, whichever is longer); the rhythm learns
    /// from fetches that brought new reports.
    pub fn after_fetch(&self, every_secs: u32, at: DateTime<Utc>, fetch: &FetchResult) -> Self {
        let mut next = self.clone();
        next.fetches += 1;
        next.last_fetch_at = Some(at);
        match fetch {
            FetchResult::Failed(error) => {
                next.status = FetchStatus::Failed;
                next.error = Some(error.clone());
                next.failures = self.failures.saturating_add(1);
                next.last_reports = 0;
                next.next_fetch_at = at + backoff(every_secs, next.failures);
            }
            FetchResult::NotModified => {
                next.status = FetchStatus::NotModified;
                next.error = None;
                next.failures = 0;
                next.last_success_at = Some(at);
                next.last_reports = 0;
                next.next_fetch_at = at + Duration::seconds(i64::from(every_secs));
            }
            FetchResult::Fetched {
                new_reports,
                etag,
                last_modified,
            } => {
                next.status = FetchStatus::Ok;
                next.error = None;
                next.failures = 0;
                next.last_success_at = Some(at);
                next.last_reports = *new_reports;
                next.reports += u64::from(*new_reports);
                next.etag.clone_from(etag);
                next.last_modified.clone_from(last_modified);
                if *new_reports > 0 {
                    if let Some(previous) = self.last_new_at {
                        let gap = (at - previous).num_seconds().clamp(1, i64::from(u32::MAX));
                        let gap = gap as f64;
                        let rhythm = match self.rhythm_secs {
                            None => gap,
                            Some(r) => 0.7 * f64::from(r) + 0.3 * gap,
                        };
                        next.rhythm_secs = Some(rhythm.round() as u32);
                    }
                    next.last_new_at = Some(at);
                }
                next.next_fetch_at = at + Duration::seconds(i64::from(every_secs));
            }
        }
        next
    }
}

/// The wait after `failures` failures in a row: the interval doubled each time, up to
/// [`MAX_BACKOFF_SECS`] (or the interval itself, when that is longer).
pub fn backoff(every_secs: u32, failures: u32) -> Duration {
    let every = i64::from(every_secs.max(1));
    let doubled = every.saturating_mul(1_i64 << failures.min(20));
    Duration::seconds(doubled.min(MAX_BACKOFF_SECS.max(every)))
}

/// What one fetch found, as the schedule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchResult {
    /// A body was read and taken in.
    Fetched {
        /// Reports new to the record.
        new_reports: u32,
        /// The body's `ETag`.
        etag: Option<String>,
        /// The body's `Last-Modified`.
        last_modified: Option<String>,
    },
    /// The server answered 304 Not Modified.
    NotModified,
    /// The fetch failed, and why.
    Failed(String),
}

/// How a source is doing, as the register's list and the dashboard's notices say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "health", rename_all = "snake_case")]
pub enum SourceHealth {
    /// Paused by a person.
    Paused,
    /// Not fetched yet.
    Waiting,
    /// Fetched as it should be.
    Healthy,
    /// Its last fetches failed.
    Failing {
        /// Failures in a row.
        failures: u32,
        /// The last one's reason.
        error: String,
    },
    /// Fetched, but silent for longer than its usual rhythm: no new report for `silent_secs`
    /// when one usually came every `rhythm_secs`.
    Quiet {
        /// Seconds since the last new report.
        silent_secs: i64,
        /// Its usual rhythm.
        rhythm_secs: u32,
    },
}

impl WatchedSource {
    /// How the source is doing at `now`. A source is quiet when no new report came for three
    /// times its usual rhythm and three fetch intervals (so that a source polled more often
    /// than it publishes is not called quiet between two items); failures come first.
    pub fn health(&self, now: DateTime<Utc>) -> SourceHealth {
        let s = &self.state;
        if self.paused {
            return SourceHealth::Paused;
        }
        if s.status == FetchStatus::Failed {
            return SourceHealth::Failing {
                failures: s.failures,
                error: s.error.clone().unwrap_or_default(),
            };
        }
        if s.status == FetchStatus::Never {
            return SourceHealth::Waiting;
        }
        if let (Some(last), Some(rhythm)) = (s.last_new_at, s.rhythm_secs) {
            let silent = (now - last).num_seconds();
            let allowed = (3 * i64::from(rhythm)).max(3 * i64::from(self.every_secs));
            if silent > allowed {
                return SourceHealth::Quiet {
                    silent_secs: silent,
                    rhythm_secs: rhythm,
                };
            }
        }
        SourceHealth::Healthy
    }

    /// When it is fetched next, as a person reads it at `now`: "in 12 min", "due", or "-" for a
    /// paused source.
    pub fn next_fetch_words(&self, now: DateTime<Utc>) -> String {
        if self.paused {
            "-".to_string()
        } else if self.state.next_fetch_at <= now {
            "due".to_string()
        } else {
            format!(
                "in {}",
                span((self.state.next_fetch_at - now).num_seconds())
            )
        }
    }

    /// The line a person reads about a source that needs attention (quiet or failing), none
    /// for one that does not.
    pub fn notice(&self, now: DateTime<Utc>) -> Option<String> {
        match self.health(now) {
            SourceHealth::Quiet {
                silent_secs,
                rhythm_secs,
            } => Some(format!(
                "source quiet: {} has brought no new report for {} (usually one every {})",
                self.name,
                span(silent_secs),
                span(i64::from(rhythm_secs))
            )),
            SourceHealth::Failing { failures, error } => Some(format!(
                "source failing: {} ({} fetch{} in a row): {error}",
                self.name,
                failures,
                if failures == 1 { "" } else { "es" }
            )),
            _ => None,
        }
    }
}

/// A length of time as a person says it: "45 s", "12 min", "5 h", "3 days".
pub fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 2 * 3600 => format!("{} min", s / 60),
        s if s < 2 * 86_400 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

/// Reads an interval as people write it: `90s`, `15m`, `2h`, `1d`, or plain seconds; refused
/// outside [`MIN_EVERY_SECS`]..=[`MAX_EVERY_SECS`].
pub fn parse_every(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not an interval (write 90s, 15m, 2h or 1d)"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => {
            return Err(format!(
                "{text:?} is not an interval (write 90s, 15m, 2h or 1d)"
            ));
        }
    };
    let secs = n.saturating_mul(scale);
    if secs < u64::from(MIN_EVERY_SECS) || secs > u64::from(MAX_EVERY_SECS) {
        return Err(format!(
            "{text:?}: a source is fetched at most every {MIN_EVERY_SECS} s and at least once a week"
        ));
    }
    Ok(secs as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn fetched(n: u32) -> FetchResult {
        FetchResult::Fetched {
            new_reports: n,
            etag: Some("\"v1\"".into()),
            last_modified: None,
        }
    }

    fn source(state: SourceState) -> WatchedSource {
        WatchedSource {
            id: 1,
            url: "https://news.example/feed.xml".into(),
            name: "News".into(),
            kind: WatchKind::Feed,
            every_secs: 60,
            follow_links: false,
            paused: false,
            added_at: at(0),
            added_by: "admin".into(),
            state,
        }
    }

    #[test]
    fn a_success_schedules_the_next_fetch_one_interval_on() {
        let s = SourceState::new(at(0)).after_fetch(60, at(5), &fetched(3));
        assert_eq!(s.next_fetch_at, at(65));
        assert_eq!(
            (s.status, s.reports, s.last_reports),
            (FetchStatus::Ok, 3, 3)
        );
        assert_eq!(s.etag.as_deref(), Some("\"v1\""));
    }

    #[test]
    fn failures_back_off_doubling_up_to_the_cap_and_a_success_resets_it() {
        let mut s = SourceState::new(at(0));
        let mut waits = Vec::new();
        let mut t = 0;
        for _ in 0..12 {
            s = s.after_fetch(60, at(t), &FetchResult::Failed("HTTP 500".into()));
            waits.push((s.next_fetch_at - at(t)).num_seconds());
            t = (s.next_fetch_at - at(0)).num_seconds();
        }
        assert_eq!(&waits[..4], &[120, 240, 480, 960]);
        assert_eq!(*waits.last().unwrap(), MAX_BACKOFF_SECS);
        assert_eq!(s.failures, 12);
        let s = s.after_fetch(60, at(t), &FetchResult::NotModified);
        assert_eq!((s.failures, s.status), (0, FetchStatus::NotModified));
        assert_eq!(s.next_fetch_at, at(t + 60));
        // A source fetched once a day waits a day, not the cap, after a failure.
        assert_eq!(backoff(86_400, 1).num_seconds(), 86_400);
    }

    #[test]
    fn a_source_is_quiet_after_three_rhythms_without_news() {
        let mut s = SourceState::new(at(0));
        for hour in 0..4 {
            s = s.after_fetch(60, at(hour * 3600), &fetched(1));
        }
        assert_eq!(s.rhythm_secs, Some(3600));
        let src = source(s);
        assert_eq!(src.health(at(3 * 3600 + 2 * 3600)), SourceHealth::Healthy);
        let later = at(3 * 3600 + 3 * 3600 + 1);
        assert!(matches!(
            src.health(later),
            SourceHealth::Quiet {
                rhythm_secs: 3600,
                ..
            }
        ));
        assert_eq!(
            src.notice(later).unwrap(),
            "source quiet: News has brought no new report for 3 h (usually one every 60 min)"
        );
    }

    #[test]
    fn failing_paused_and_new_sources_say_so() {
        let failing =
            SourceState::new(at(0)).after_fetch(60, at(0), &FetchResult::Failed("HTTP 503".into()));
        assert_eq!(
            source(failing.clone()).notice(at(1)).unwrap(),
            "source failing: News (1 fetch in a row): HTTP 503"
        );
        let mut paused = source(failing);
        paused.paused = true;
        assert_eq!(paused.health(at(1)), SourceHealth::Paused);
        assert_eq!(
            source(SourceState::new(at(0))).health(at(1)),
            SourceHealth::Waiting
        );
    }

    #[test]
    fn intervals_read_as_people_write_them() {
        assert_eq!(parse_every("15m"), Ok(900));
        assert_eq!(parse_every("90s"), Ok(90));
        assert_eq!(parse_every("2h"), Ok(7200));
        assert_eq!(parse_every("1d"), Ok(86_400));
        assert_eq!(parse_every("600"), Ok(600));
        for bad in [
            "",
            "m",
            "5",
            "15 parsecs",
            "-3m",
            "99999999999999999999d",
            "8d",
        ] {
            assert!(parse_every(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_are_guessed_from_the_url() {
        assert_eq!(
            WatchKind::guess("https://a.example/news/feed/"),
            WatchKind::Feed
        );
        assert_eq!(
            WatchKind::guess("https://a.example/rss.xml?x=1"),
            WatchKind::Feed
        );
        assert_eq!(
            WatchKind::guess("https://a.example/api/alerts.json"),
            WatchKind::Json
        );
        assert_eq!(
            WatchKind::guess("https://a.example/alerts"),
            WatchKind::Page
        );
    }
}
