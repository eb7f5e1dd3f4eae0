//! The truce gazetteer: places from GeoNames and UCDP, found by any of their spellings.
//!
//! - [`Gazetteer`]: places indexed by normalised name; [`Gazetteer::lookup`] finds candidates
//!   for a name and [`Gazetteer::rank`] orders them with what a document says (countries in
//!   focus, areas mentioned, nearby places).
//! - [`normalize`]: how spellings meet (`Deir ez-Zor` / `Dayr az Zawr`, `Idlib` / `Idleb`).
//! - [`build`]: the builder of the default gazetteer and the GeoNames dump reader.
//! - [`format`]: the compact file format.
//! - [`distance`]: great-circle distances and offsets.
//! - [`labels`]: the towns, provinces and districts a map names in a view, largest first.
//! - [`native`]: place names in Arabic script, for a person who types them (never matched in
//!   English text).
//!
//! ```
//! use truce_geo::{Gazetteer, RankContext};
//!
//! let gazetteer = Gazetteer::embedded().unwrap();
//! let ranked = gazetteer.rank(&gazetteer.lookup("Halab"), &RankContext::default());
//! let best = gazetteer.place(ranked[0].id);
//! assert_eq!(best.name, "Aleppo");
//! assert_eq!(best.country.unwrap().as_str(), "SY");
//! ```

pub mod build;
pub mod distance;
mod error;
pub mod fingerprint;
pub mod format;
mod gazetteer;
pub mod labels;
pub mod native;
pub mod normalize;
mod place;
#[cfg(test)]
mod testing;

pub use error::GeoError;
pub use fingerprint::Fingerprint;
pub use gazetteer::{Candidate, Gazetteer, NameMatch, RankContext};
pub use labels::{LabelIndex, Labels, View};
pub use place::{CountryCode, Place, PlaceId, PlaceKind};
