//! Places written for the crate's tests.

use crate::{CountryCode, Place, PlaceKind};

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
    Place {
        geonameid: None,
        kind,
        name: name.into(),
        lat,
        lon,
        country: CountryCode::parse(cc),
        admin1: Some(admin1.to_string()).filter(|a| !a.is_empty()),
        population: pop,
        alternate_names: vec![],
    }
}
