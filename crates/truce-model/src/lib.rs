//! Domain types of truce, shared by every other crate.
//!
//! The types here are plain data: they validate what they hold when they are built and
//! serialise with serde, but they do no I/O and know nothing of databases or HTTP.
//!
//! - [`document`]: a report as ingested ([`Document`], [`NewDocument`], [`ContentHash`]).
//! - [`source`]: where a report came from ([`SourceRef`]).
//! - [`extraction`]: the extraction record, a public contract ([`Extraction`]).
//! - [`incident`]: one occurrence merged from many reports ([`Incident`]).
//! - [`external`]: events of other datasets, imported to compare ([`ExternalRecord`]).
//! - [`acled`]: ACLED's event and sub-event types; [`target`]: what was hit ([`TargetKind`]);
//!   [`actor_role`]: what an actor is in an event ([`ActorRole`]).
//! - [`calendar`]: month, weekday and number words, once for every crate.
//! - [`codebook`]: ACLED's and UCDP's codes (actor categories, interaction, type of violence,
//!   precisions), once for exports and imports.
//! - [`correction`]: people's corrections and the record as corrected ([`Correction`]).
//! - [`review`]: roles, review statuses, grades and rulings.
//! - [`verdict`], [`site`], [`alert`]: monitoring's vocabulary: an assessment's [`Verdict`],
//!   protected sites ([`SiteKind`], [`ProtectedSite`]) and the [`Alert`]s they raise.
//! - [`audience`]: who may read each item of an incident's workspace ([`Audience`], [`Reader`]).
//! - [`merkle`], [`tree_head`]: the audit log as a Merkle tree and its Ed25519-signed heads.
//! - [`audit`]: the audit log's hash chain ([`verify_chain`]).
//!
//! ```
//! use truce_model::{ContentHash, DocumentFormat};
//!
//! let hash = ContentHash::of(b"ALEPPO, Syria - An airstrike hit a hospital overnight.");
//! assert_eq!(hash.to_hex().len(), 64);
//! assert_eq!("html".parse::<DocumentFormat>().unwrap(), DocumentFormat::Html);
//! ```

#[macro_use]
mod names;

pub mod acled;
pub mod actor_role;
pub mod alert;
pub mod audience;
pub mod audit;
pub mod calendar;
pub mod codebook;
pub mod correction;
pub mod document;
pub mod external;
pub mod extraction;
pub mod hash;
pub mod incident;
pub mod merkle;
pub mod review;
pub mod site;
pub mod source;
pub mod target;
pub mod tree_head;
pub mod verdict;
pub mod watched;

pub use acled::{EventType, SubEvent};
pub use actor_role::ActorRole;
pub use alert::Alert;
pub use audience::{Audience, Reader};
pub use audit::{
    AuditEntry, BrokenLink, Seal, chain_hash, content_hash, seals_in, seals_json, verify_chain,
};
pub use correction::{Correction, CorrectionError, CorrectionKind};
pub use document::{Document, DocumentFormat, DocumentId, DocumentStatus, NewDocument};
pub use external::{Dataset, ExternalRecord};
pub use extraction::{
    Actor, Claim, ClaimKind, Count, Event, Evidence, Extraction, Location, PlaceMention, Statement,
    Talk,
};
pub use hash::{ContentHash, ParseHashError};
pub use incident::{Attribution, ClaimSource, CountSources, EventRef, Incident, PartyClaims};
pub use review::{Grade, ReviewStatus, Role, Ruling};
pub use site::{Notification, ProtectedSite, SiteKind};
pub use source::{SourceKind, SourceRef};
pub use target::TargetKind;
pub use tree_head::{HeadError, PublicKey, SignedTreeHead, SigningKey, TreeHead};
pub use verdict::Verdict;
pub use watched::{FetchResult, FetchStatus, SourceHealth, SourceState, WatchKind, WatchedSource};
