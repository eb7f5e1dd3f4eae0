//! How reports become the record: read by `truce-ingest`, stored, extracted, resolved into
//! incidents and assessed.
//!
//! - [`prepare()`]: an input read by `truce_ingest` made into documents (parsed or failed) and
//!   the raw blob kept unchanged.
//! - [`audit`]: the record's integrity checked: chain, Merkle tree against signed heads, sealed
//!   rows.
//! - [`Ingestor`]: runs sources through the parsers into a [`truce_store::Store`], in batched
//!   transactions, never losing an input: what fails is stored with its error.
//!
pub mod audit;
mod decide;
mod error;
pub mod extract;
mod ingest;
pub mod monitor;
mod pending;
mod prepare;
mod recluster;
pub mod resolve;

pub use decide::{DecisionError, DecisionOutcome, IncidentShape, merge_incidents, split_event};
pub use error::IngestError;
pub use extract::{ExtractSummary, StageTimes, extract_documents, extract_documents_with};
pub use ingest::{DocumentOutcome, IngestObserver, IngestSummary, Ingestor, OutcomeKind, Quiet};
pub use monitor::{MonitorSummary, monitor_incidents};
pub use pending::{finish_pending, finish_pending_observed};
pub use prepare::{PreparedInput, prepare};
pub use recluster::{recluster, recluster_in_units};
pub use resolve::{ResolveSummary, resolve_and_assess, resolve_documents};
pub use truce_ingest::{IngestConfig, RawInput};
