//! Reading reports as they arrive, with no storage: what the pipeline stores, this crate reads.
//!
//! - [`source`]: files, folders and URLs, read into [`RawInput`]s (bytes or a failure).
//! - [`sniff`]: the format told from the content, never from a file name alone.
//! - [`decode()`]: bytes to text, whatever their charset.
//! - [`parse`]: the reports in an input: text, HTML (the article, its title and date), RSS and
//!   Atom and JSON feeds, JSON and JSONL records, e-mail.
//! - [`published`]: publication dates as reports write them.
//! - [`detect_language`]: the language of a text.
//!
//! ```
//! use truce_ingest::parse::{InputHints, parse_input};
//! use truce_model::ContentHash;
//!
//! let page = b"<html><body><p>Shelling hit Jisr al-Shughur on Monday, residents said.</p></body></html>";
//! let parsed = parse_input(page, ContentHash::of(page), InputHints::default()).unwrap();
//! let report = parsed.reports[0].as_ref().unwrap();
//! assert!(report.text.starts_with("Shelling hit Jisr al-Shughur"));
//! ```

mod config;
mod decode;
mod error;
mod language;
pub mod parse;
pub mod published;
pub mod sniff;
pub mod source;

pub use config::IngestConfig;
pub use decode::{Decoded, decode};
pub use error::{ClientError, ReadError};
pub use language::detect_language;
pub use source::RawInput;
