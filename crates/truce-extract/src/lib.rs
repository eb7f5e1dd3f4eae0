//! The extraction engine: a report's text (and publication date) in, an [`Extraction`] out.
//!
//! The engine is pure and synchronous: no I/O, no async, no global state. Build one
//! [`Extractor`] (it loads the gazetteer and compiles the lexicons, well under a second) and
//! share it across threads; [`Extractor::extract`] never fails and never panics.
//!
//! ```
//! use truce_extract::{ExtractInput, Extractor};
//!
//! let extractor = Extractor::new().unwrap();
//! let out = extractor.extract(&ExtractInput {
//!     id: "r1".into(),
//!     text: "An air strike hit a hospital in Aleppo overnight.".into(),
//!     published: None,
//! });
//! assert_eq!(out.places[0].name, "Aleppo");
//! assert_eq!(out.places[0].country.as_deref(), Some("SY"));
//! ```
//!
//! See `DESIGN.md` in this crate for how text becomes events, and why.

mod error;
pub mod lexicon;
pub mod places;
pub mod text;

use std::sync::Arc;

use chrono::NaiveDate;
use truce_geo::Gazetteer;
use truce_model::{Extraction, PlaceMention};

pub use error::ExtractError;

use crate::lexicon::Lexicon;
use crate::places::{Geography, MentionRole};

/// One report to read.
#[derive(Debug, Clone, Default)]
pub struct ExtractInput {
    /// The caller's id for it, copied to the output.
    pub id: String,
    /// The text.
    pub text: String,
    /// When it was published: relative dates ("on Thursday") are resolved against it.
    pub published: Option<NaiveDate>,
}

/// The engine, built once and shared.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Arc<Gazetteer>,
    lexicon: Arc<Lexicon>,
}

impl Extractor {
    /// Builds the engine with the embedded gazetteer and lexicons.
    pub fn new() -> Result<Self, ExtractError> {
        Self::with_gazetteer(Arc::new(Gazetteer::embedded()?))
    }

    /// Builds the engine around a gazetteer (the embedded one extended with a user's places).
    pub fn with_gazetteer(gazetteer: Arc<Gazetteer>) -> Result<Self, ExtractError> {
        Ok(Self {
            gazetteer,
            lexicon: Arc::new(Lexicon::embedded()?),
        })
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Reads one report.
    pub fn extract(&self, input: &ExtractInput) -> Extraction {
        let tokens = text::tokenize(&input.text);
        let geo = places::geoparse(&self.gazetteer, &self.lexicon, &input.text, &tokens);
        Extraction {
            id: input.id.clone(),
            places: self.place_mentions(&input.text, &geo),
            ..Extraction::default()
        }
    }

    fn place_mentions(&self, text: &str, geo: &Geography) -> Vec<PlaceMention> {
        geo.hits
            .iter()
            .map(|h| {
                let resolved = h.place.or(h.enclosing).map(|id| self.gazetteer.place(id));
                let precision = match (h.place, h.enclosing) {
                    (Some(_), _) => resolved.map(|p| p.kind.geo_precision()),
                    (None, Some(_)) => resolved.map(|p| if p.kind.is_area() { 3 } else { 2 }),
                    (None, None) => None,
                };
                PlaceMention {
                    name: text[h.bytes.clone()].to_string(),
                    start: h.chars.start,
                    end: h.chars.end,
                    geonameid: h.place.and_then(|id| self.gazetteer.place(id).geonameid),
                    lat: resolved.map(|p| round5(p.lat)),
                    lon: resolved.map(|p| round5(p.lon)),
                    country: resolved.and_then(|p| p.country).map(|c| c.to_string()),
                    geo_precision: precision,
                    role: (h.role == MentionRole::Metonym).then(|| "metonym".to_string()),
                }
            })
            .collect()
    }
}

fn round5(v: f64) -> f64 {
    (v * 100_000.0).round() / 100_000.0
}
