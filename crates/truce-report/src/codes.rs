//! Country codes and names (GeoNames), ACLED regions and actor categories, UCDP's codes.

use std::collections::HashMap;
use std::sync::OnceLock;

use truce_model::codebook::ActorCategory;

/// A country as the exports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub iso2: String,
    /// ISO 3166-1 alpha-3 (ACLED's event id prefix).
    pub iso3: String,
    /// ISO 3166-1 numeric (ACLED's `iso` column).
    pub numeric: u16,
    /// English short name.
    pub name: String,
}

fn table() -> &'static HashMap<String, Country> {
    static TABLE: OnceLock<HashMap<String, Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let c = Country {
                    iso2: f.first()?.to_string(),
                    iso3: f.get(1)?.to_string(),
                    numeric: f.get(2)?.parse().ok()?,
                    name: f.get(3)?.to_string(),
                };
                Some((c.iso2.clone(), c))
            })
            .collect()
    })
}

/// The country of an ISO alpha-2 code.
pub fn country(iso2: &str) -> Option<&'static Country> {
    // Exports ask once a row: no allocation when the code is already upper case.
    if iso2.bytes().all(|b| b.is_ascii_uppercase()) {
        table().get(iso2)
    } else {
        table().get(&iso2.to_ascii_uppercase())
    }
}

/// The country of an ISO numeric code or an English name (reading files back).
pub fn country_by(numeric: Option<u16>, name: &str) -> Option<&'static Country> {
    table()
        .values()
        .find(|c| Some(c.numeric) == numeric || c.name.eq_ignore_ascii_case(name.trim()))
}

/// ACLED's region of a country (the regions ACLED publishes), where this table knows it.
pub fn acled_region(iso2: &str) -> &'static str {
    match iso2 {
        "SY" | "IQ" | "IR" | "IL" | "PS" | "LB" | "JO" | "YE" | "SA" | "TR" | "KW" | "QA"
        | "BH" | "AE" | "OM" => "Middle East",
        "UA" | "RU" | "BY" | "MD" | "GE" | "AM" | "AZ" => "Europe",
        "SD" | "SS" | "ET" | "SO" | "KE" | "ER" | "DJ" | "UG" | "RW" | "BI" | "TZ" => {
            "Eastern Africa"
        }
        "LY" | "EG" | "TN" | "DZ" | "MA" => "Northern Africa",
        "ML" | "BF" | "NE" | "NG" | "TD" => "Western Africa",
        "CD" | "CF" | "CM" => "Middle Africa",
        "AF" | "PK" | "IN" | "BD" | "LK" | "NP" => "South Asia",
        "MM" | "TH" | "PH" | "ID" => "Southeast Asia",
        _ => "",
    }
}

/// The code of the state forces of `of` ("Syria (2000-)"): 1 at home, 8 (external) in another
/// country's event.
fn state_forces(of: &str, event_country: Option<&str>) -> u8 {
    let of = of.split(" (").next().unwrap_or(of).trim();
    match event_country.and_then(country) {
        Some(home) if !same_name(&home.name, of) => 8,
        _ => 1,
    }
}

/// Whether two names are the same but for case.
fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

/// ACLED's actor category code (`inter1`, `inter2`): 1 state forces, 2 rebel groups,
/// 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external
/// or other forces; 0 when unknown. Read from the actor's name as ACLED writes names
/// ("Military Forces of Syria (2000-)"); state forces of another country than the event's are
/// external (8).
pub fn acled_inter(actor: &str, event_country: Option<&str>) -> u8 {
    if actor.is_empty() {
        return 0;
    }
    // State forces, the common case, are told apart without lower-casing the whole name.
    if let Some(of) = forces_of(actor) {
        return state_forces(of, event_country);
    }
    let a = actor.to_lowercase();
    if a.starts_with("military forces of") || a.starts_with("police forces of") {
        let of = a
            .trim_start_matches("military forces of ")
            .trim_start_matches("police forces of ");
        return state_forces(of, event_country);
    }
    if a.starts_with("civilians") {
        7
    } else if a.starts_with("protesters") {
        6
    } else if a.starts_with("rioters") {
        5
    } else if a.contains("militia") && (a.contains("ethnic") || a.contains("communal")) {
        4
    } else if a.contains("militia") {
        3
    } else if a.contains("united nations") || a.contains("coalition") {
        8
    } else {
        2
    }
}

/// The state whose forces an actor is, as ACLED names them ("Military Forces of Syria
/// (2000-)" is Syria's: "Syria (2000-)"), in any case; `None` for any other actor.
fn forces_of(actor: &str) -> Option<&str> {
    ["military forces of ", "police forces of "]
        .into_iter()
        .find_map(|prefix| {
            let head = actor.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix)
                .then(|| &actor[prefix.len()..])
        })
}

/// Whether an actor is a state's forces (a side UCDP calls a government): state forces at
/// home, or another state's military or police (ACLED's external forces, 8, also count
/// international missions and private firms, which are not a state).
pub fn is_state(actor: &str, category: Option<ActorCategory>) -> bool {
    match category {
        Some(ActorCategory::StateForces) => true,
        Some(ActorCategory::ExternalOrOtherForces) => forces_of(actor).is_some(),
        _ => false,
    }
}

/// ACLED's disorder type of an event type.
pub fn acled_disorder(event_type: &str) -> &'static str {
    match event_type {
        "Protests" | "Riots" => "Demonstrations",
        "Strategic developments" => "Strategic developments",
        _ => "Political violence",
    }
}

/// PRIO-GRID cell id (0.5 degree cells, numbered from the south-west corner row by row).
pub fn priogrid(lat: f64, lon: f64) -> u32 {
    let row = (((lat + 90.0) / 0.5).floor() as i64).clamp(0, 359) as u32;
    let col = (((lon + 180.0) / 0.5).floor() as i64).clamp(0, 719) as u32;
    row * 720 + col + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let sy = country("sy").unwrap();
        assert_eq!(
            (sy.iso3.as_str(), sy.numeric, sy.name.as_str()),
            ("SYR", 760, "Syria")
        );
        assert_eq!(country_by(Some(760), "").unwrap().iso2, "SY");
        assert_eq!(country_by(None, "syria").unwrap().iso2, "SY");
        assert_eq!(acled_region("SY"), "Middle East");
        assert_eq!(
            acled_inter("Military Forces of Syria (2000-)", Some("SY")),
            1
        );
        assert_eq!(
            acled_inter("Military Forces of Russia (2000-)", Some("SY")),
            8
        );
        assert_eq!(acled_inter("Civilians (Syria)", Some("SY")), 7);
        assert_eq!(acled_inter("Hayat Tahrir al-Sham", Some("SY")), 2);
        assert_eq!(acled_inter("", Some("SY")), 0);
        // Row-major from the south-west corner: (0.25, 0.25) is row 180, column 360.
        assert_eq!(priogrid(0.25, 0.25), 129_961);
    }
}
