//! Parsers: one raw input in, one or more reports out.
//!
//! Each format has its own module. [`parse_input`] sniffs the format and dispatches; a failure
//! of the whole input (binary, empty, a feed that does not parse) is an `Err`, while one bad
//! record of a JSONL file fails alone and the others go on.

mod email;
mod feed;
mod html;
mod record;
mod text;

use truce_model::{ContentHash, DocumentFormat};

use crate::ReadError;
use crate::decode::decode;
use crate::sniff::{Sniffed, binary_kind, sniff_text};

pub use html::html_to_text;

/// One report read from an input.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReport {
    /// Which part of the input (`item 3`, `line 12`); `None` when the input is one report.
    pub part: Option<String>,
    /// The identity of the report's own bytes.
    pub content_hash: ContentHash,
    /// The identifier the input gave it (record `id`, feed item id, `Message-ID`).
    pub external_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<chrono::NaiveDate>,
    /// Clean text.
    pub text: String,
}

/// A part of an input that failed on its own (one JSONL line, one feed item without text).
#[derive(Debug, Clone, PartialEq)]
pub struct PartFailure {
    /// Which part.
    pub part: String,
    /// The identity of the part's bytes.
    pub content_hash: ContentHash,
    /// Why it failed.
    pub error: ReadError,
}

/// Everything read from one input.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedInput {
    /// The sniffed format.
    pub format: DocumentFormat,
    /// Reports and failed parts, in input order.
    pub reports: Vec<Result<ParsedReport, PartFailure>>,
}

/// A whole input that could not be read, with the format it was recognised as, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFailure {
    /// The format, when it was recognised before the failure.
    pub format: Option<DocumentFormat>,
    /// Why it failed.
    pub error: ReadError,
}

/// Where an input came from, as the parsers need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputHints<'a> {
    /// The lower-case file extension.
    pub extension: Option<&'a str>,
    /// The URL the input was fetched from (resolves relative links in pages).
    pub url: Option<&'a str>,
}

/// Sniffs and parses one raw input whose bytes hash to `raw_hash`.
pub fn parse_input(
    bytes: &[u8],
    raw_hash: ContentHash,
    hints: InputHints<'_>,
) -> Result<ParsedInput, InputFailure> {
    let fail = |format, error| InputFailure { format, error };
    if let Some(kind) = binary_kind(bytes) {
        return Err(fail(None, ReadError::Binary(kind)));
    }
    let decoded = decode(bytes);
    let format = match sniff_text(&decoded.text, hints.extension) {
        Sniffed::Empty => return Err(fail(None, ReadError::Empty)),
        Sniffed::Binary(kind) => return Err(fail(None, ReadError::Binary(kind))),
        Sniffed::Format(format) => format,
    };
    let whole = |report: Result<ParsedReport, ReadError>| {
        report
            .map(|r| vec![Ok(r)])
            .map_err(|e| fail(Some(format), e))
    };
    let reports = match format {
        DocumentFormat::Text => whole(text::parse(&decoded.text, raw_hash))?,
        DocumentFormat::Html => whole(html::parse(&decoded.text, raw_hash, hints.url))?,
        DocumentFormat::Email => whole(email::parse(bytes, raw_hash))?,
        DocumentFormat::Rss | DocumentFormat::Atom | DocumentFormat::JsonFeed => {
            feed::parse(bytes, format).map_err(|e| fail(Some(format), e))?
        }
        DocumentFormat::Json => {
            record::parse_json(&decoded.text).map_err(|e| fail(Some(format), e))?
        }
        DocumentFormat::Jsonl => record::parse_jsonl(&decoded.text),
    };
    Ok(ParsedInput { format, reports })
}

/// Normalises extracted text: Unix line ends, no trailing spaces, at most one blank line in a
/// row, no leading or trailing blank lines.
pub(crate) fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_text_collapses_blank_runs() {
        assert_eq!(tidy_text("\n\n a  \r\n\r\n\r\nb\t\n\n"), " a\n\nb");
    }

    #[test]
    fn binary_and_empty_inputs_fail_whole() {
        let hash = ContentHash::of(b"");
        let err = parse_input(b"\x89PNG\r\n\x1a\n\0\0", hash, InputHints::default()).unwrap_err();
        assert_eq!(err.error, ReadError::Binary("PNG image"));
        let err = parse_input(b"  \n ", hash, InputHints::default()).unwrap_err();
        assert_eq!(err.error, ReadError::Empty);
    }
}
