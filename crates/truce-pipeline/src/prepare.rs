//! Turning one raw input into the documents to store: parse it, detect languages, and record
//! every failure as a document of its own so that nothing is lost.

use rayon::prelude::*;
use truce_model::{ContentHash, DocumentStatus, NewDocument, SourceRef};
use truce_store::RawBlob;

use truce_ingest::detect_language;
use truce_ingest::parse::{InputHints, ParsedReport, PartFailure, parse_input};
use truce_ingest::source::RawInput;

/// The documents read from one input, ready to be saved together.
#[derive(Debug, Clone)]
pub struct PreparedInput {
    /// Where the input came from.
    pub source: SourceRef,
    /// The raw bytes to keep, when any were read.
    pub raw: Option<RawBlob>,
    /// One document per report, and one per failure.
    pub documents: Vec<NewDocument>,
}

impl PreparedInput {
    /// The format the input was read as, when it was recognised.
    pub fn format(&self) -> Option<truce_model::DocumentFormat> {
        self.documents.iter().find_map(|d| d.format)
    }

    /// The same input refused whole, for `reason` (a feed that sent a page instead): one failed
    /// document keeping the raw bytes and why, none of its reports.
    pub fn refused(self, reason: String) -> Self {
        let raw_hash = self.raw.as_ref().map(|r| r.hash);
        let doc = failed_whole(&self.source, raw_hash, self.format(), reason);
        Self {
            documents: vec![doc],
            ..self
        }
    }
}

/// Parses one raw input into documents. Never fails: an input that cannot be read or parsed
/// becomes one failed document that keeps the error and whatever bytes were read.
pub fn prepare(input: &RawInput) -> PreparedInput {
    let source = input.source.clone();
    let bytes = match &input.bytes {
        Ok(bytes) => bytes,
        Err(failure) => {
            let raw = failure.partial.as_ref().map(|p| RawBlob {
                hash: ContentHash::of(p),
                bytes: p.clone(),
            });
            let doc = failed_whole(
                &source,
                raw.as_ref().map(|r| r.hash),
                None,
                failure.error.to_string(),
            );
            return PreparedInput {
                source,
                raw,
                documents: vec![doc],
            };
        }
    };
    let raw = RawBlob {
        hash: ContentHash::of(bytes),
        bytes: bytes.clone(),
    };
    let hints = InputHints {
        extension: input.extension.as_deref(),
        url: input.url.as_deref(),
    };
    let documents = match parse_input(bytes, raw.hash, hints) {
        // A feed or a JSONL file holds thousands of reports: their languages are told apart on
        // every core (the order of the reports is kept).
        Ok(parsed) => parsed
            .reports
            .into_par_iter()
            .map(|report| match report {
                Ok(report) => parsed_document(&source, raw.hash, parsed.format, report),
                Err(failure) => failed_part(&source, raw.hash, parsed.format, failure),
            })
            .collect(),
        Err(failure) => {
            vec![failed_whole(
                &source,
                Some(raw.hash),
                failure.format,
                failure.error.to_string(),
            )]
        }
    };
    PreparedInput {
        source,
        raw: Some(raw),
        documents,
    }
}

fn parsed_document(
    source: &SourceRef,
    raw_hash: ContentHash,
    format: truce_model::DocumentFormat,
    report: ParsedReport,
) -> NewDocument {
    NewDocument {
        content_hash: report.content_hash,
        raw_hash: Some(raw_hash),
        external_id: report.external_id,
        format: Some(format),
        source: match report.part {
            Some(part) => source.with_part(part),
            None => source.clone(),
        },
        title: report.title,
        url: report.url,
        published: report.published,
        language: detect_language(&report.text),
        text: Some(report.text),
        status: DocumentStatus::Parsed,
        error: None,
    }
}

fn failed_part(
    source: &SourceRef,
    raw_hash: ContentHash,
    format: truce_model::DocumentFormat,
    failure: PartFailure,
) -> NewDocument {
    NewDocument {
        content_hash: failure.content_hash,
        raw_hash: Some(raw_hash),
        external_id: None,
        format: Some(format),
        source: source.with_part(failure.part),
        title: None,
        url: None,
        published: None,
        language: None,
        text: None,
        status: DocumentStatus::Failed,
        error: Some(failure.error.to_string()),
    }
}

/// A failure of a whole input. Its identity is the source and the bytes read, so that the same
/// failing file reported again updates one record, while two different empty files stay two.
fn failed_whole(
    source: &SourceRef,
    raw_hash: Option<ContentHash>,
    format: Option<truce_model::DocumentFormat>,
    error: String,
) -> NewDocument {
    let bytes_hash = raw_hash.map(|h| h.to_hex()).unwrap_or_default();
    NewDocument {
        content_hash: ContentHash::of_parts(&[
            b"failed input",
            source.kind.as_str().as_bytes(),
            source.location.as_bytes(),
            bytes_hash.as_bytes(),
        ]),
        raw_hash,
        external_id: None,
        format,
        source: source.clone(),
        title: None,
        url: None,
        published: None,
        language: None,
        text: None,
        status: DocumentStatus::Failed,
        error: Some(error),
    }
}
