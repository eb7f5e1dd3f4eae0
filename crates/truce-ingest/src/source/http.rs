//! Pages and feeds over HTTP(S).

use std::error::Error as _;
use std::sync::{Arc, Once};
use std::time::Duration;

use truce_model::SourceRef;

use super::{RawInput, ReadFailure};
use crate::{ClientError, IngestConfig, ReadError};

/// Whether `s` is an absolute http or https URL.
pub fn is_http_url(s: &str) -> bool {
    reqwest::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// Fetches URLs with the configured timeout, size limit and user agent.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    client: reqwest::Client,
    max_bytes: u64,
    timeout_secs: u64,
}

static CRYPTO: Once = Once::new();

impl HttpFetcher {
    /// Builds a fetcher from the ingestion settings.
    pub fn new(config: &IngestConfig) -> Result<Self, ClientError> {
        CRYPTO.call_once(|| {
            // Another part of the process may have installed a provider first; either is fine.
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.http_timeout_secs))
            .connect_timeout(Duration::from_secs(config.http_timeout_secs.min(10)))
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .map_err(|e| ClientError(e.to_string()))?;
        Ok(Self {
            client,
            max_bytes: config.max_bytes,
            timeout_secs: config.http_timeout_secs,
        })
    }

    /// Fetches one URL. Never fails: a refused connection, a timeout or an error status becomes
    /// a [`ReadFailure`] inside the returned input.
    pub async fn fetch(&self, url: &str) -> RawInput {
        let mut input = input_of(url);
        if is_http_url(url) {
            input.bytes = self.get(url).await;
        }
        input
    }

    /// Fetches one URL unless it is unchanged since the body the validators came with: the
    /// server's 304 Not Modified is [`Conditional::Unchanged`]; any other answer, a failure
    /// included, is [`Conditional::Changed`] with the input (failures inside it, as
    /// [`HttpFetcher::fetch`] gives them) and the new body's validators.
    pub async fn fetch_if_changed(&self, url: &str, validators: &Validators) -> Conditional {
        let mut input = input_of(url);
        if !is_http_url(url) {
            return Conditional::Changed(Box::new(input), Validators::default());
        }
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                input.bytes = Err(self.classify(&e));
                return Conditional::Changed(Box::new(input), Validators::default());
            }
        };
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Conditional::Unchanged;
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .filter(|v| !v.is_empty() && v.len() <= 512)
                .map(str::to_string)
        };
        let fresh = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        input.bytes = self.read_body(response).await;
        Conditional::Changed(Box::new(input), fresh)
    }

    async fn get(&self, url: &str) -> Result<Arc<[u8]>, ReadFailure> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| self.classify(&e))?;
        self.read_body(response).await
    }

    /// Reads a response's body within the size limit; an error status is a failure that keeps
    /// the body.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Arc<[u8]>, ReadFailure> {
        let status = response.status();
        if let Some(len) = response.content_length()
            && len > self.max_bytes
        {
            return Err(ReadFailure::new(ReadError::TooLarge {
                size: len,
                limit: self.max_bytes,
            }));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() as u64 > self.max_bytes {
                        return Err(ReadFailure::new(ReadError::TooLarge {
                            size: body.len() as u64,
                            limit: self.max_bytes,
                        }));
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let mut failure = self.classify(&e);
                    failure.partial = (!body.is_empty()).then(|| body.clone().into());
                    return Err(failure);
                }
            }
        }
        if !status.is_success() {
            return Err(ReadFailure {
                error: ReadError::HttpStatus {
                    status: status.as_u16(),
                },
                partial: (!body.is_empty()).then(|| body.into()),
            });
        }
        Ok(body.into())
    }

    fn classify(&self, err: &reqwest::Error) -> ReadFailure {
        let root = root_cause(err);
        let error = if err.is_timeout() {
            ReadError::Timeout(self.timeout_secs)
        } else if err.is_connect() {
            ReadError::Connect(root)
        } else {
            ReadError::Http(root)
        };
        ReadFailure::new(error)
    }
}

/// The input of `url`, its bytes not read yet (a bad URL's failure until they are).
fn input_of(url: &str) -> RawInput {
    let extension = reqwest::Url::parse(url).ok().and_then(|u| {
        let name = u.path().rsplit('/').next()?.to_string();
        name.rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
    });
    RawInput {
        source: SourceRef::url(url),
        extension,
        url: Some(url.to_string()),
        bytes: Err(ReadFailure::new(ReadError::BadUrl(url.to_string()))),
    }
}

/// What a server said identifies the body it sent: sent back with the next request of the
/// same URL, so that an unchanged page or feed is answered 304 with no body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// What a conditional fetch found.
#[derive(Debug, Clone)]
pub enum Conditional {
    /// The server answered 304: nothing changed since the validators' body.
    Unchanged,
    /// A new body, or a failure (inside the input), with the new body's validators.
    Changed(Box<RawInput>, Validators),
}

/// The innermost error message: "Connection refused (os error 111)" rather than "error sending
/// request".
fn root_cause(err: &reqwest::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        message = inner.to_string();
        source = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_fetched() {
        assert!(is_http_url("https://news.example/a"));
        assert!(is_http_url("http://127.0.0.1:8080/feed.xml"));
        assert!(!is_http_url("file:///etc/passwd"));
        assert!(!is_http_url("ftp://x.example/a"));
        assert!(!is_http_url("not a url"));
    }
}
