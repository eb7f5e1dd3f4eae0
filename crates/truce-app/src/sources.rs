//! The register of watched sources, as people keep it: a feed, a page or a JSON endpoint added
//! with how often to fetch it, listed with how it is doing, paused, resumed and taken off.
//! `truce sources` and the API's `/api/v1/sources` call these; [`crate::watch`] fetches them.

use chrono::{DateTime, Utc};
use truce_ingest::source::is_http_url;
use truce_model::watched::parse_every;
use truce_model::{SourceHealth, WatchKind, WatchedSource};
use truce_store::{NewSource, Store};

use crate::AppError;

/// Longest name a source may have, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// Longest URL a source may have, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Fetched every 15 minutes unless told otherwise.
pub const DEFAULT_EVERY: &str = "15m";

/// A source to add, as a person gives it: every field but the URL may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRequest {
    /// What to fetch: an absolute http or https URL.
    pub url: String,
    /// What to call it (the URL's host when none).
    pub name: Option<String>,
    /// How often: `90s`, `15m`, `2h`, `1d` (every 15 minutes when none).
    pub every: Option<String>,
    /// What it serves (guessed from the URL when none).
    pub kind: Option<WatchKind>,
    /// Whether to fetch the article each feed item links to.
    pub follow_links: bool,
}

impl SourceRequest {
    /// The source as the register keeps it, or why it cannot be added.
    pub fn checked(&self) -> Result<NewSource, AppError> {
        let url = self.url.trim();
        if url.len() > MAX_URL_BYTES {
            return Err(AppError::Invalid(format!(
                "the URL is {} bytes long; at most {MAX_URL_BYTES} are accepted",
                url.len()
            )));
        }
        if !is_http_url(url) {
            return Err(AppError::Invalid(format!(
                "{url:?} is not an http or https URL with a host"
            )));
        }
        let name = match self.name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => host_of(url).unwrap_or(url).to_string(),
        };
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(AppError::Invalid(format!(
                "a source's name has at most {MAX_NAME_CHARS} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(AppError::Invalid(
                "a source's name cannot hold control characters".into(),
            ));
        }
        let every_secs = parse_every(self.every.as_deref().unwrap_or(DEFAULT_EVERY))
            .map_err(AppError::Invalid)?;
        let kind = self.kind.unwrap_or_else(|| WatchKind::guess(url));
        if self.follow_links && kind == WatchKind::Page {
            return Err(AppError::Invalid(
                "links are followed from a feed's items (or a JSON endpoint's records), not from \
                 a page: add the page's feed, or the page without --follow-links"
                    .into(),
            ));
        }
        Ok(NewSource {
            url: url.to_string(),
            name,
            kind,
            every_secs,
            follow_links: self.follow_links,
        })
    }
}

/// The host of an http(s) URL, lower-cased by the URL parser's rules (`None` for anything else).
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| h.trim_start_matches('['))?
    } else {
        host.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// Adds a source to the register, due at once; audited. A URL already watched is a conflict.
pub async fn add(
    store: &dyn Store,
    request: &SourceRequest,
    actor: &str,
) -> Result<WatchedSource, AppError> {
    let source = request.checked()?;
    Ok(store.add_source(&source, actor).await?)
}

/// Every source in the register, with its health at `now`.
pub async fn list(
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<Vec<(WatchedSource, SourceHealth)>, AppError> {
    Ok(store
        .sources()
        .await?
        .into_iter()
        .map(|s| {
            let health = s.health(now);
            (s, health)
        })
        .collect())
}

/// Pauses (`true`) or resumes a source; audited.
pub async fn set_paused(
    store: &dyn Store,
    id: i64,
    paused: bool,
    actor: &str,
) -> Result<WatchedSource, AppError> {
    store
        .set_source_paused(id, paused, actor)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no source {id}")))
}

/// Takes a source off the register (the reports it brought stay on the record); audited.
pub async fn remove(store: &dyn Store, id: i64, actor: &str) -> Result<(), AppError> {
    if store.remove_source(id, actor).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no source {id}")))
    }
}

/// The notices of the sources that need attention at `now` (quiet or failing), for the
/// dashboard: one line each.
pub async fn notices(store: &dyn Store, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    Ok(store
        .sources()
        .await?
        .iter()
        .filter_map(|s| s.notice(now))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> SourceRequest {
        SourceRequest {
            url: url.into(),
            ..SourceRequest::default()
        }
    }

    #[test]
    fn a_request_is_checked_and_completed() {
        let s = request(" https://Wire.example:8443/world/rss.xml ")
            .checked()
            .unwrap();
        assert_eq!(s.url, "https://Wire.example:8443/world/rss.xml");
        assert_eq!(
            (s.name.as_str(), s.kind, s.every_secs),
            ("Wire.example", WatchKind::Feed, 900)
        );
        let page = SourceRequest {
            name: Some("  Field office  ".into()),
            every: Some("2h".into()),
            ..request("http://[::1]:8080/alerts")
        };
        let page = page.checked().unwrap();
        assert_eq!(
            (page.name.as_str(), page.kind, page.every_secs),
            ("Field office", WatchKind::Page, 7200)
        );
    }

    #[test]
    fn bad_requests_are_refused_with_why() {
        let long_name = SourceRequest {
            name: Some("n".repeat(MAX_NAME_CHARS + 1)),
            ..request("https://a.example/feed")
        };
        let control = SourceRequest {
            name: Some("bell\u{7}".into()),
            ..request("https://a.example/feed")
        };
        let too_often = SourceRequest {
            every: Some("1s".into()),
            ..request("https://a.example/feed")
        };
        let page_links = SourceRequest {
            follow_links: true,
            ..request("https://a.example/alerts")
        };
        let huge = request(&format!("https://a.example/{}", "x".repeat(MAX_URL_BYTES)));
        for (bad, why) in [
            (request(""), "not an http"),
            (request("file:///etc/passwd"), "not an http"),
            (request("ftp://a.example/feed"), "not an http"),
            (request("https://"), "not an http"),
            (request("\u{0}\u{1}binary"), "not an http"),
            (long_name, "at most"),
            (control, "control"),
            (too_often, "at most every"),
            (page_links, "not from a page"),
            (huge, "bytes long"),
        ] {
            let err = bad.checked().unwrap_err().to_string();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(host_of("https://user@a.example:80/x"), Some("a.example"));
        assert_eq!(host_of("http://[::1]:8080/"), Some("::1"));
        assert_eq!(host_of("http://127.0.0.1"), Some("127.0.0.1"));
        assert_eq!(host_of("mailto:x@y"), None);
    }
}
