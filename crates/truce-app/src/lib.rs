//! The application layer of truce: each use case once, called by the CLI and by the server alike.
//!
//! The CLI parses arguments and prints; the server checks roles and renders; what a use case
//! does to the record (what it checks, what it stores, what it re-assesses) lives here, so that
//! the two cannot drift apart.
//!
//! - [`area`]: an area as a person names it, in every form the record may hold it.
//! - [`audit`]: the audit log's signed head, and its whole check.
//! - [`credentials`]: passwords hashed with argon2id, random tokens kept as hashes.
//! - [`correction`]: correcting a field of an incident's record, or retracting it; the record
//!   keeps the correction over every later merge, a corrected place is found in the gazetteer,
//!   and the incident is assessed again.
//! - [`datasets`]: ACLED and UCDP GED files imported beside the record, and compared with it.
//! - [`demo`]: the demonstration built from the bundled sample reports.
//! - [`decisions`]: incidents merged and events split out by people, kept by the resolver.
//! - [`export`]: the record in the field's formats, streamed, without retracted or discounted
//!   incidents unless asked for, with its sidecar.
//! - [`health`]: the ceasefire health index over days, imported events counted when asked.
//! - [`map`]: the base map's names, the towns, provinces and districts of a view.
//! - [`ingest`]: reports read from files, folders, pages, feeds and standard input, then
//!   extracted, resolved and assessed; failed reports tried again; the store read again by a
//!   new engine; work a stopped run left half done finished.
//! - [`monitoring`]: agreements and the register of protected sites, added and listed; what they
//!   can change assessed again.
//! - [`recluster`]: every incident resolved again from its events, and assessed again.
//! - [`report`]: the daily situation report gathered from the corrected record.
//! - [`sources`]: the register of watched sources, kept by people; [`watch`]: the watcher
//!   that fetches them on their schedules and takes in what they bring.
//! - [`submit`]: a report submitted over the API, stored, extracted, resolved and assessed at
//!   once, with what became of it.

pub mod area;
pub mod audit;
pub mod correction;
pub mod credentials;
pub mod datasets;
pub mod decisions;
pub mod demo;
pub mod error;
pub mod export;
pub mod health;
pub mod ingest;
pub mod map;
pub mod monitoring;
pub mod recluster;
pub mod report;
pub mod sources;
pub mod submit;
pub mod watch;

pub use correction::{Corrected, CorrectionRequest, correct};
/// The extraction engine the use cases run: the caller builds it, with its gazetteer.
pub use truce_extract::Extractor;

/// Builds the engine on first need (it takes a second and a few hundred MB): the server holds
/// one and calls it when the first report is submitted.
pub type ExtractorFactory = std::sync::Arc<dyn Fn() -> Result<Extractor, String> + Send + Sync>;
pub use error::AppError;
