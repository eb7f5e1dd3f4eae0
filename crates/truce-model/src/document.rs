//! Documents: reports as ingested, raw bytes kept unchanged.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{ContentHash, SourceRef};

/// The store's identifier of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentId(pub i64);

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The format a raw input was recognised as, sniffed from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    /// Plain text.
    Text,
    /// An HTML page; the main article text is extracted.
    Html,
    /// An RSS 0.9x/1.0/2.0 feed; each item is a document.
    Rss,
    /// An Atom feed; each entry is a document.
    Atom,
    /// A JSON Feed; each item is a document.
    JsonFeed,
    /// A JSON object or array of `{"text", ...}` records.
    Json,
    /// One JSON record a line.
    Jsonl,
    /// An e-mail message (RFC 5322, `.eml`).
    Email,
}

impl DocumentFormat {
    /// Every format, in a stable order.
    pub const ALL: [DocumentFormat; 8] = [
        Self::Text,
        Self::Html,
        Self::Rss,
        Self::Atom,
        Self::JsonFeed,
        Self::Json,
        Self::Jsonl,
        Self::Email,
    ];

    /// The stable lower-case name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
            Self::Rss => "rss",
            Self::Atom => "atom",
            Self::JsonFeed => "jsonfeed",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
            Self::Email => "email",
        }
    }
}

impl fmt::Display for DocumentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the [`DocumentFormat`]s.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "unknown document format {0:?} (expected one of text, html, rss, atom, jsonfeed, json, jsonl, email)"
)]
pub struct UnknownFormat(pub String);

impl FromStr for DocumentFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// Whether a document could be read and turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    /// Text was extracted; the document is ready for the extractor.
    Parsed,
    /// Reading or parsing failed; the error is kept, and the raw bytes when they could be read.
    Failed,
    /// A failed input that a later retry turned into other documents; kept for the record.
    Superseded,
}

impl DocumentStatus {
    /// The stable lower-case name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parsed => "parsed",
            Self::Failed => "failed",
            Self::Superseded => "superseded",
        }
    }

    /// Parses a name written by [`DocumentStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "parsed" => Self::Parsed,
            "failed" => Self::Failed,
            "superseded" => Self::Superseded,
            _ => return None,
        })
    }
}

/// A document about to be stored: everything but the identifier and ingestion time, which the
/// store assigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// The identity of this report: the hash of its own raw bytes (a whole file, or one feed item
    /// or JSONL line). The store keeps one document per hash.
    pub content_hash: ContentHash,
    /// The hash of the raw input it came from, whose bytes are stored unchanged; `None` when the
    /// bytes could not be read at all (a missing or unreadable file, a refused connection).
    pub raw_hash: Option<ContentHash>,
    /// The identifier the input itself gave the report (a JSON record's `id`, a feed item's guid).
    pub external_id: Option<String>,
    /// The sniffed format of the raw input; `None` when it could not be recognised.
    pub format: Option<DocumentFormat>,
    /// Where it came from.
    pub source: SourceRef,
    /// Title, from the page, feed item or record.
    pub title: Option<String>,
    /// Canonical URL, from the page, feed item or record.
    pub url: Option<String>,
    /// Publication date, from the feed, page metadata, record or dateline.
    pub published: Option<NaiveDate>,
    /// Detected language (ISO 639-3, e.g. `eng`), when the detector is confident.
    pub language: Option<String>,
    /// The clean text the extractor reads; `None` for a failed document.
    pub text: Option<String>,
    /// Parsed or failed.
    pub status: DocumentStatus,
    /// What went wrong, for a failed document.
    pub error: Option<String>,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The store's identifier.
    pub id: DocumentId,
    /// When it was first stored.
    pub ingested_at: DateTime<Utc>,
    /// How many times reading or parsing was attempted (1 unless retried).
    pub attempts: u32,
    /// Everything else, as it was stored.
    #[serde(flatten)]
    pub doc: NewDocument,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in DocumentFormat::ALL {
            assert_eq!(format.as_str().parse::<DocumentFormat>().unwrap(), format);
        }
        assert!("pdf".parse::<DocumentFormat>().is_err());
    }

    #[test]
    fn status_names_round_trip() {
        for status in [
            DocumentStatus::Parsed,
            DocumentStatus::Failed,
            DocumentStatus::Superseded,
        ] {
            assert_eq!(DocumentStatus::parse(status.as_str()), Some(status));
        }
    }
}
