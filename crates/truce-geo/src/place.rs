//! Places of the gazetteer.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The index of a place in its [`crate::Gazetteer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// An ISO 3166-1 alpha-2 country code, upper case (`SY`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses two ASCII letters (any case); anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
            .then(|| Self([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a country code: {s:?}")))
    }
}

/// What kind of place an entry is, from the widest to the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A continent (Africa).
    Continent,
    /// A region spanning or inside countries, without an admin code (Darfur, the Sahel).
    Region,
    /// A country or territory.
    Country,
    /// A first-order administrative area (a governorate, a US state).
    Admin1,
    /// A second-order administrative area (a district, a US county).
    Admin2,
    /// A national capital.
    Capital,
    /// A populated place: city, town.
    City,
    /// A village or hamlet (UCDP's small places).
    Village,
    /// A neighbourhood or sector of a city.
    Sector,
}

impl PlaceKind {
    /// The stable lower-case name used in gazetteer files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Continent => "continent",
            Self::Region => "region",
            Self::Country => "country",
            Self::Admin1 => "admin1",
            Self::Admin2 => "admin2",
            Self::Capital => "capital",
            Self::City => "city",
            Self::Village => "village",
            Self::Sector => "sector",
        }
    }

    /// Parses a name written by [`PlaceKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "continent" => Self::Continent,
            "region" => Self::Region,
            "country" => Self::Country,
            "admin1" => Self::Admin1,
            "admin2" => Self::Admin2,
            "capital" => Self::Capital,
            "city" => Self::City,
            "village" => Self::Village,
            "sector" => Self::Sector,
            _ => return None,
        })
    }

    /// Whether this is an area rather than a point-like settlement.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            Self::Continent | Self::Region | Self::Country | Self::Admin1 | Self::Admin2
        )
    }

    /// ACLED's geo-precision for an event located at such a place: 1 a town or village, 2 a
    /// part of a region (a district), 3 a region or country.
    pub fn geo_precision(self) -> u8 {
        match self {
            Self::Capital | Self::City | Self::Village | Self::Sector => 1,
            Self::Admin2 => 2,
            Self::Continent | Self::Region | Self::Country | Self::Admin1 => 3,
        }
    }
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The GeoNames id, when the place comes from GeoNames.
    pub geonameid: Option<u32>,
    /// What kind of place.
    pub kind: PlaceKind,
    /// The preferred name.
    pub name: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// The country it is in (none for continents and cross-border regions).
    pub country: Option<CountryCode>,
    /// The GeoNames first-order admin code inside the country (`09` for Aleppo in Syria).
    pub admin1: Option<String>,
    /// Inhabitants, when known (0 otherwise).
    pub population: u64,
    /// Other names: spellings, transliterations, abbreviations.
    pub alternate_names: Vec<String>,
}

impl Place {
    /// A place of no GeoNames id and no other name, as a user or a test writes one: `cc` an ISO
    /// code (none when it is not one), `admin1` empty for none.
    pub fn new(
        kind: PlaceKind,
        name: &str,
        cc: &str,
        admin1: &str,
        population: u64,
        lat: f64,
        lon: f64,
    ) -> Self {
        Place {
            geonameid: None,
            kind,
            name: name.into(),
            lat,
            lon,
            country: CountryCode::parse(cc),
            admin1: Some(admin1.to_string()).filter(|a| !a.is_empty()),
            population,
            alternate_names: Vec::new(),
        }
    }
}
