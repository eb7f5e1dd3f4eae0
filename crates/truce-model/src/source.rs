//! Where a report came from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of place a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A file on disk (possibly found while walking a folder).
    File,
    /// A page or feed fetched over HTTP(S).
    Url,
    /// Standard input.
    Stdin,
    /// A body posted to the API.
    Api,
}

impl SourceKind {
    /// The stable lower-case name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Url => "url",
            Self::Stdin => "stdin",
            Self::Api => "api",
        }
    }

    /// Parses a name written by [`SourceKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "file" => Self::File,
            "url" => Self::Url,
            "stdin" => Self::Stdin,
            "api" => Self::Api,
            _ => return None,
        })
    }
}

/// The origin of a document: a file path or URL, and which part of it (a feed item, a line of
/// a JSONL file) when one raw input holds many reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    /// File, URL, standard input or API.
    pub kind: SourceKind,
    /// The path or URL as the user gave it (paths made absolute where possible).
    pub location: String,
    /// Which part of the raw input: `item 3` of a feed, `line 12` of a JSONL file.
    pub part: Option<String>,
}

impl SourceRef {
    /// A whole file.
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            kind: SourceKind::File,
            location: path.into(),
            part: None,
        }
    }

    /// A whole URL.
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            kind: SourceKind::Url,
            location: url.into(),
            part: None,
        }
    }

    /// The same origin, narrowed to one part.
    pub fn with_part(&self, part: impl Into<String>) -> Self {
        Self {
            kind: self.kind,
            location: self.location.clone(),
            part: Some(part.into()),
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.part {
            Some(part) => write!(f, "{} ({part})", self.location),
            None => f.write_str(&self.location),
        }
    }
}
