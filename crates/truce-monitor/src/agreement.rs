//! A ceasefire agreement as its parties accepted it, read from a TOML file:
//!
//! ```toml
//! name = "Idlib cessation of hostilities"
//! version = 2                      # raise it when the text changes; assessments carry it
//! start = "2026-03-05"
//! end = "2026-09-05"               # optional: open-ended without it
//! country = "SY"                   # optional: ISO code of the country it covers
//! parties = ["Military Forces of Syria", "Syrian National Army"]
//! excluded = ["Islamic State"]     # groups the agreement does not protect nor bind
//! prohibited = ["Explosions/Remote violence", "Battles", "Violence against civilians"]
//!
//! [[zones]]                        # optional: the whole country without zones
//! name = "North-west de-escalation area"
//! geojson = "zones/north-west.geojson"   # a file next to the TOML, or
//! # polygon = [[36.1, 35.6], [37.2, 35.6], [37.2, 36.7], [36.1, 36.7]]   # [lon, lat] points
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::zone::{Zone, ZoneError};

/// How an agreement and its version are named everywhere (`Aleppo truce v2`).
pub fn label(name: &str, version: i64) -> String {
    format!("{name} v{version}")
}

/// The kinds of act a ceasefire prohibits when the file names none (ACLED event types).
pub const DEFAULT_PROHIBITED: [&str; 3] = [
    "Explosions/Remote violence",
    "Battles",
    "Violence against civilians",
];

/// A ceasefire agreement, zones resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agreement {
    /// Its name.
    pub name: String,
    /// Its version: a new text is a new version, and assessments say which one they used.
    pub version: u32,
    /// First day in force.
    pub start: NaiveDate,
    /// Last day in force, if it has one.
    pub end: Option<NaiveDate>,
    /// ISO 3166 code of the country it covers, if it names one.
    pub country: Option<String>,
    /// Parties that accepted it.
    pub parties: Vec<String>,
    /// Groups excluded from it.
    pub excluded: Vec<String>,
    /// ACLED event or sub-event types that count as violations.
    pub prohibited: Vec<String>,
    /// Covered zones; empty means the whole country.
    pub zones: Vec<Zone>,
}

/// Why an agreement file was refused.
#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    /// Not TOML of the expected shape (unknown keys are refused too).
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    /// A field with a value that cannot be.
    #[error("{field}: {problem}")]
    Invalid {
        /// The field.
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// A zone's GeoJSON file could not be read.
    #[error("zone {zone:?}: cannot read {path}: {problem}")]
    ZoneFile {
        /// The zone.
        zone: String,
        /// The file named.
        path: String,
        /// Why.
        problem: String,
    },
    /// A zone's polygon is not one.
    #[error("zone {zone:?}: {source}")]
    Zone {
        /// The zone.
        zone: String,
        /// Why.
        source: ZoneError,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    version: u32,
    start: String,
    end: Option<String>,
    country: Option<String>,
    parties: Vec<String>,
    #[serde(default)]
    excluded: Vec<String>,
    prohibited: Option<Vec<String>>,
    #[serde(default)]
    zones: Vec<ZoneEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneEntry {
    name: String,
    geojson: Option<String>,
    polygon: Option<Vec<[f64; 2]>>,
}

fn invalid(field: &str, problem: impl Into<String>) -> AgreementError {
    AgreementError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

fn day(field: &str, text: &str) -> Result<NaiveDate, AgreementError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(field, format!("{text:?} is not a date (YYYY-MM-DD)")))
}

impl Agreement {
    /// Reads an agreement from its TOML text; `read_file` reads a zone's GeoJSON file named in
    /// it (relative to the TOML file: the caller decides).
    pub fn from_toml(
        text: &str,
        read_file: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<Agreement, AgreementError> {
        let f: File = toml::from_str(text)?;
        if f.name.trim().is_empty() {
            return Err(invalid("name", "is empty"));
        }
        if f.version == 0 {
            return Err(invalid("version", "starts at 1"));
        }
        let start = day("start", &f.start)?;
        let end = f.end.as_deref().map(|e| day("end", e)).transpose()?;
        if end.is_some_and(|e| e < start) {
            return Err(invalid("end", "is before the start"));
        }
        if f.parties.iter().all(|p| p.trim().is_empty()) {
            return Err(invalid("parties", "names no party"));
        }
        if let Some(c) = &f.country
            && (c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(invalid(
                "country",
                format!("{c:?} is not a two-letter ISO code"),
            ));
        }
        let mut zones = Vec::new();
        for z in f.zones {
            let zone = match (&z.geojson, &z.polygon) {
                (Some(path), None) => {
                    let text = read_file(path).map_err(|problem| AgreementError::ZoneFile {
                        zone: z.name.clone(),
                        path: path.clone(),
                        problem,
                    })?;
                    Zone::from_geojson(&z.name, &text).map_err(|source| AgreementError::Zone {
                        zone: z.name.clone(),
                        source,
                    })?
                }
                (None, Some(points)) => {
                    let mut ring = points.clone();
                    if ring.first() != ring.last() {
                        ring.extend(ring.first().copied());
                    }
                    let geojson = serde_json::json!({"type": "Polygon", "coordinates": [ring]});
                    Zone::from_geojson(&z.name, &geojson.to_string()).map_err(|source| {
                        AgreementError::Zone {
                            zone: z.name.clone(),
                            source,
                        }
                    })?
                }
                _ => {
                    return Err(invalid(
                        &format!("zones.{}", z.name),
                        "give exactly one of geojson (a file) or polygon (points)",
                    ));
                }
            };
            zones.push(zone);
        }
        Ok(Agreement {
            name: f.name.trim().to_string(),
            version: f.version,
            start,
            end,
            country: f.country.map(|c| c.to_ascii_uppercase()),
            parties: f
                .parties
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .collect(),
            excluded: f.excluded,
            prohibited: f
                .prohibited
                .unwrap_or_else(|| DEFAULT_PROHIBITED.iter().map(|s| s.to_string()).collect()),
            zones,
        })
    }

    /// Whether it is in force on a day.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        day >= self.start && self.end.is_none_or(|e| day <= e)
    }

    /// `name v2`: how assessments name it.
    pub fn label(&self) -> String {
        label(&self.name, i64::from(self.version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(_: &str) -> Result<String, String> {
        Err("no files in this test".into())
    }

    const MINIMAL: &str = r#"
        name = "Test truce"
        version = 1
        start = "2026-03-05"
        parties = ["Military Forces of Syria"]
    "#;

    #[test]
    fn a_minimal_agreement_gets_the_defaults() {
        let a = Agreement::from_toml(MINIMAL, &no_files).unwrap();
        assert_eq!(a.prohibited.len(), 3);
        assert!(a.zones.is_empty() && a.end.is_none());
        assert!(a.in_force_on(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()));
        assert!(!a.in_force_on(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()));
        assert_eq!(a.label(), "Test truce v1");
    }

    #[test]
    fn zones_come_inline_or_from_files() {
        let text = format!(
            "{MINIMAL}\n[[zones]]\nname = \"a\"\npolygon = [[36, 35], [37, 35], [37, 36]]\n\
             [[zones]]\nname = \"b\"\ngeojson = \"b.geojson\"\n"
        );
        let read = |p: &str| -> Result<String, String> {
            assert_eq!(p, "b.geojson");
            Ok(r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}"#.into())
        };
        let a = Agreement::from_toml(&text, &read).unwrap();
        assert_eq!(a.zones.len(), 2);
        assert!(a.zones[0].contains(35.2, 36.5));
    }

    #[test]
    fn bad_files_are_refused_with_the_field_named() {
        let cases = [
            ("", "missing field"),
            ("name = 1", "invalid type"),
            (&*format!("{MINIMAL}\ncolour = \"red\""), "unknown field"),
            (
                &*MINIMAL.replace("2026-03-05", "5 March"),
                "start: \"5 March\" is not a date",
            ),
            (
                &*format!("{MINIMAL}\nend = \"2026-01-01\""),
                "end: is before the start",
            ),
            (
                &*MINIMAL.replace("version = 1", "version = 0"),
                "version: starts at 1",
            ),
            (
                &*MINIMAL.replace("\"Military Forces of Syria\"", ""),
                "parties: names no party",
            ),
            (
                &*format!("{MINIMAL}\ncountry = \"Syria\""),
                "not a two-letter ISO code",
            ),
            (
                &*format!("{MINIMAL}\n[[zones]]\nname = \"z\"\n"),
                "give exactly one of geojson",
            ),
            (
                &*format!("{MINIMAL}\n[[zones]]\nname = \"z\"\ngeojson = \"gone.json\"\n"),
                "cannot read gone.json",
            ),
            (
                &*format!("{MINIMAL}\n[[zones]]\nname = \"z\"\npolygon = [[1, 2]]\n"),
                "at least three",
            ),
        ];
        for (text, expected) in cases {
            let e = Agreement::from_toml(text, &no_files)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(expected),
                "{text:?} gave {e:?}, not {expected:?}"
            );
        }
    }
}
