//! The base map's names: the towns, provinces and districts a view of the map labels, read from
//! the engine's gazetteer (the same places the reports are geocoded against), so that a monitor
//! sees where in Idlib a marker is without any tile server.

pub use truce_geo::View;
use truce_geo::{Gazetteer, PlaceKind};

/// The most towns one view may ask for.
pub const MAX_TOWNS: usize = 300;
/// The most provinces and districts one view may ask for.
pub const MAX_AREAS: usize = 100;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// A national capital.
    Capital,
    /// A town or city.
    Town,
    /// A village.
    Village,
    /// A first-order area: a province, a governorate.
    Province,
    /// A second-order area: a district.
    District,
}

impl LabelKind {
    /// The word the API writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Capital => "capital",
            Self::Town => "town",
            Self::Village => "village",
            Self::Province => "province",
            Self::District => "district",
        }
    }

    fn of(kind: PlaceKind) -> Option<Self> {
        Some(match kind {
            PlaceKind::Capital => Self::Capital,
            PlaceKind::City => Self::Town,
            PlaceKind::Village => Self::Village,
            PlaceKind::Admin1 => Self::Province,
            PlaceKind::Admin2 => Self::District,
            _ => return None,
        })
    }
}

/// A name on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabel {
    /// The place's name as the gazetteer prefers it.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// What it names.
    pub kind: LabelKind,
    /// Inhabitants, when known (0 otherwise).
    pub population: u64,
}

/// The labels of a view: at most `towns` towns, the largest first, then at most `areas`
/// provinces and districts (provinces first). Both are capped ([`MAX_TOWNS`], [`MAX_AREAS`]).
pub fn labels(gazetteer: &Gazetteer, view: View, towns: usize, areas: usize) -> Vec<MapLabel> {
    let found = gazetteer
        .labels()
        .within(view, towns.min(MAX_TOWNS), areas.min(MAX_AREAS));
    found
        .towns
        .iter()
        .chain(&found.areas)
        .filter_map(|&id| {
            let p = gazetteer.place(id);
            Some(MapLabel {
                name: p.name.clone(),
                lat: p.lat,
                lon: p.lon,
                kind: LabelKind::of(p.kind)?,
                population: p.population,
            })
        })
        .collect()
}
