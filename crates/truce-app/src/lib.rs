//! The application layer of truce: each use case once, called by the CLI and by the server alike.
//!
//! The CLI parses arguments and prints; the server checks roles and renders; what a use case
//! does to the record (what it checks, what it stores, what it re-assesses) lives here, so that
//! the two cannot drift apart.
//!
//! - [`audit`]: the audit log's signed head, and its whole check.
//! - [`correction`]: correcting a field of an incident's record, or retracting it; the record
//!   keeps the correction over every later merge, a corrected place is found in the gazetteer,
//!   and the incident is assessed again.
//! - [`datasets`]: ACLED and UCDP GED files imported beside the record, and compared with it.
//! - [`decisions`]: incidents merged and events split out by people, kept by the resolver.
//! - [`export`]: the record in the field's formats, streamed, without retracted or discounted
//!   incidents unless asked for, with its sidecar.
//! - [`health`]: the ceasefire health index over days, imported events counted when asked.
//! - [`monitoring`]: agreements and the register of protected sites, added and listed; what they
//!   can change assessed again.
//! - [`recluster`]: every incident resolved again from its events, and assessed again.
//! - [`report`]: the daily situation report gathered from the corrected record.
//! - [`submit`]: a report submitted over the API, stored, extracted, resolved and assessed at
//!   once, with what became of it.

pub mod audit;
pub mod correction;
pub mod datasets;
pub mod decisions;
pub mod error;
pub mod export;
pub mod health;
pub mod monitoring;
pub mod recluster;
pub mod report;
pub mod submit;

pub use correction::{Corrected, CorrectionRequest, correct};
pub use error::AppError;
