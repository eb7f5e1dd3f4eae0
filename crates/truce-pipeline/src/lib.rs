//! Where reports come from, and how they become stored documents.
//!
//! - [`source`]: files, folders and URLs, read into [`RawInput`]s (bytes or a failure).
//! - [`parse`]: sniffs the format from the content (text, HTML, RSS/Atom/JSON feeds, JSON,
//!   JSONL, e-mail) and reads the reports in it.
//! - [`audit`]: the record's integrity checked: chain, Merkle tree against signed heads, sealed
//!   rows.
//! - [`Ingestor`]: runs sources through the parsers into a [`truce_store::Store`], in batched
//!   transactions, never losing an input: what fails is stored with its error.
//!
//! ```
//! use truce_model::ContentHash;
//! use truce_pipeline::parse::{InputHints, parse_input};
//!
//! let page = b"<html><body><p>Shelling hit Jisr al-Shughur on Monday, residents said.</p></body></html>";
//! let parsed = parse_input(page, ContentHash::of(page), InputHints::default()).unwrap();
//! let report = parsed.reports[0].as_ref().unwrap();
//! assert!(report.text.starts_with("Shelling hit Jisr al-Shughur"));
//! ```

pub mod audit;
mod config;
mod decide;
mod decode;
mod error;
pub mod extract;
mod ingest;
mod language;
pub mod monitor;
pub mod parse;
mod pending;
mod prepare;
pub mod published;
pub mod resolve;
pub mod sniff;
pub mod source;

pub use config::IngestConfig;
pub use decide::{DecisionError, DecisionOutcome, IncidentShape, merge_incidents, split_event};
pub use decode::{Decoded, decode};
pub use error::{IngestError, ReadError};
pub use extract::{ExtractSummary, StageTimes, extract_documents, extract_documents_with};
pub use ingest::{DocumentOutcome, IngestObserver, IngestSummary, Ingestor, OutcomeKind, Quiet};
pub use language::detect_language;
pub use monitor::{MonitorSummary, monitor_incidents};
pub use pending::{finish_pending, finish_pending_observed};
pub use prepare::{PreparedInput, prepare};
pub use resolve::{ResolveSummary, recluster, resolve_and_assess, resolve_documents};
pub use source::RawInput;
