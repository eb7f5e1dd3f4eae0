//! What truce publishes, as pure functions over values handed in by the caller (the CLI reads
//! the store; nothing here does I/O beyond the writer it is given):
//!
//! - [`export`]: incidents streamed out as ACLED CSV, UCDP GED CSV, GeoJSON or JSONL, with a
//!   sidecar naming the truce, agreement and definition versions ([`ExportMeta`]).
//! - [`import`]: ACLED and UCDP CSV files read back as [`ExternalRecord`]s, and [`compare`]:
//!   matched, only in truce, only in theirs.
//! - [`daily`]: the daily situation report in Markdown and HTML, with its [`svg`] charts and map
//!   (over the countries' [`borders`]); [`pdf`]: the same report typeset by Typst, every script
//!   printed as written.

pub mod borders;
pub mod codes;
pub mod compare;
pub mod daily;
pub mod export;
pub mod import;
pub mod pdf;
pub mod svg;
mod view;

pub use compare::{Comparison, compare};
pub use daily::{DailyReport, NotableIncident, ReportStatement};
pub use export::{
    ExportFormat, ExportMeta, ExportRow, Exporter, RecordRow, format_page, format_records,
};
pub use import::{Dataset, ExternalRecord, ImportError, read_acled, read_ucdp};
