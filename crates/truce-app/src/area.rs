//! An area as a person names it ("ariha", "IDLEB", "SY"): every form the record may hold it in,
//! found in the gazetteer the record is geocoded with, so that the incident list's area filter
//! finds "Arīḩā" when asked for "Ariha" or "أريحا", and "Idlib" when asked for "idleb".

use truce_geo::{CountryCode, Gazetteer, NameMatch, PlaceKind};
use truce_store::AreaFilter;

/// The most gazetteer places one name stands for in a filter (a common name has hundreds of
/// namesakes; the first are the closest matches).
const MAX_PLACES: usize = 50;

/// The forms of an area: the words as typed (the record's own spelling), a country code, and
/// the names of the countries, first-order areas and places the gazetteer knows by these words
/// (by their exact name in any case and without diacritics; by their transliteration skeleton
/// only when no name matches exactly).
pub fn filter(gazetteer: &Gazetteer, text: &str) -> AreaFilter {
    let text = text.trim();
    let mut f = as_typed(text);
    if text.is_empty() {
        return f;
    }
    let found = gazetteer.lookup(text);
    let exact = found.iter().any(|(_, m)| *m != NameMatch::Skeleton);
    for (id, _) in found
        .iter()
        .filter(|(_, m)| !exact || *m != NameMatch::Skeleton)
        .take(MAX_PLACES)
    {
        let p = gazetteer.place(*id);
        match p.kind {
            PlaceKind::Country => {
                if let Some(cc) = p.country {
                    add(&mut f.countries, cc.as_str());
                }
            }
            PlaceKind::Admin1 => add(&mut f.admin1, &p.name),
            PlaceKind::Continent | PlaceKind::Region => {}
            _ => add(&mut f.places, &p.name),
        }
    }
    f
}

/// The area as typed, without a gazetteer: a first-area or place name in the record's own
/// spelling, or a country code.
pub fn as_typed(text: &str) -> AreaFilter {
    let text = text.trim();
    let mut f = AreaFilter::default();
    if text.is_empty() {
        return f;
    }
    add(&mut f.admin1, text);
    add(&mut f.places, text);
    if let Some(cc) = CountryCode::parse(text) {
        add(&mut f.countries, cc.as_str());
    }
    f
}

fn add(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_geo::Place;

    fn place(name: &str, alternates: &[&str], kind: PlaceKind, cc: &str) -> Place {
        Place {
            geonameid: None,
            kind,
            name: name.into(),
            lat: 35.8,
            lon: 36.6,
            country: CountryCode::parse(cc),
            admin1: None,
            population: 1,
            alternate_names: alternates.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn an_area_is_found_in_any_spelling() {
        let g = Gazetteer::from_places(vec![
            place("Arīḩā", &["Ariha"], PlaceKind::City, "SY"),
            place("Idlib", &["Idleb"], PlaceKind::Admin1, "SY"),
            place("Syria", &[], PlaceKind::Country, "SY"),
            place("Levant", &[], PlaceKind::Region, "SY"),
        ]);
        let ariha = filter(&g, " ariha ");
        assert!(ariha.places.contains(&"Arīḩā".to_string()), "{ariha:?}");
        assert!(ariha.countries.is_empty(), "{ariha:?}");
        let idleb = filter(&g, "IDLEB");
        assert!(idleb.admin1.contains(&"Idlib".to_string()), "{idleb:?}");
        assert_eq!(filter(&g, "syria").countries, ["SY"]);
        assert_eq!(filter(&g, "sy").countries, ["SY"]);
        // A region has no form in the record; the words as typed stay.
        assert_eq!(
            filter(&g, "Levant"),
            AreaFilter {
                countries: vec![],
                admin1: vec!["Levant".into()],
                places: vec!["Levant".into()],
            }
        );
        assert_eq!(filter(&g, "  "), AreaFilter::default());
        // In Arabic script, by GeoNames' names for the place (Arīḩā is 172994), with or
        // without the hamza.
        let mut ariha = place("Arīḩā", &["Ariha"], PlaceKind::City, "SY");
        ariha.geonameid = Some(172_994);
        let g = Gazetteer::from_places(vec![ariha]);
        for typed in ["أريحا", " اريحا "] {
            assert_eq!(filter(&g, typed).places, [typed.trim(), "Arīḩā"], "{typed}");
        }
        // Without a gazetteer, the words as typed.
        assert_eq!(as_typed("sy").countries, ["SY"]);
        assert_eq!(as_typed(" Idlib ").admin1, ["Idlib"]);
        assert!(as_typed("Idlib").countries.is_empty());
    }
}
