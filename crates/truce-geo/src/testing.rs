//! Places written for the crate's tests.

use crate::{Place, PlaceKind};

/// A place with no alternate name (`admin1` empty for none).
pub(crate) fn place(
    kind: PlaceKind,
    name: &str,
    cc: &str,
    admin1: &str,
    pop: u64,
    lat: f64,
    lon: f64,
) -> Place {
    Place::new(kind, name, cc, admin1, pop, lat, lon)
}
