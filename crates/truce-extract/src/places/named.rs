//! A place a person names (a correction's "Ariha, Idlib"), found in the gazetteer.

use truce_geo::{CountryCode, Gazetteer, PlaceId, PlaceKind, RankContext};
use truce_model::Location;

/// A coordinate to five decimals (about a metre), as the extraction record writes them.
pub(crate) fn round5(v: f64) -> f64 {
    (v * 100_000.0).round() / 100_000.0
}

/// The record's location of a gazetteer place: its preferred name, point (to five decimals),
/// country, first-order area and ACLED precision.
pub fn location_of(g: &Gazetteer, id: PlaceId) -> Location {
    let p = g.place(id);
    Location {
        name: p.name.clone(),
        geonameid: p.geonameid,
        lat: Some(round5(p.lat)),
        lon: Some(round5(p.lon)),
        country: p.country.map(|c| c.to_string()),
        admin1: g
            .admin1_name(p)
            .map(str::to_string)
            .filter(|_| p.kind != PlaceKind::Country),
        admin2: (p.kind == PlaceKind::Admin2).then(|| p.name.clone()),
        geo_precision: Some(p.kind.geo_precision()),
    }
}

/// The place a person means by `name`: "Ariha", or tied to a country or first-order area after
/// a comma ("Ariha, Syria", "Ariha, SY", "Ariha, Idlib"). Without a tie, only places in
/// `country` (the incident's, an ISO code) are taken, when it is given: moving an incident to
/// another country is said, never guessed. Ranked as the geoparser ranks a mention; `None` when
/// the gazetteer knows no such place (or the tie names no country or area).
pub fn place_named(g: &Gazetteer, name: &str, country: Option<&str>) -> Option<Location> {
    let (name, tie) = match name.rsplit_once(',') {
        Some((n, t)) if !n.trim().is_empty() => (n.trim(), Some(t.trim())),
        _ => (name.trim(), None),
    };
    let mut cx = RankContext::default();
    match tie {
        Some(tie) => {
            let area = CountryCode::parse(tie)
                .filter(|cc| g.country(*cc).is_some())
                .map(|cc| (cc, None))
                .or_else(|| {
                    g.lookup(tie).into_iter().find_map(|(id, _)| {
                        let p = g.place(id);
                        match p.kind {
                            PlaceKind::Country => p.country.map(|cc| (cc, None)),
                            PlaceKind::Admin1 => Some((p.country?, Some(p.admin1.clone()?))),
                            _ => None,
                        }
                    })
                })?;
            cx.country = Some(area.0);
            cx.focus = vec![(area.0, 1.0)];
            if let Some(code) = area.1 {
                cx.within_admin1 = Some((area.0, code));
            }
        }
        None => {
            if let Some(cc) = country.and_then(CountryCode::parse) {
                cx.focus = vec![(cc, 1.0)];
                cx.country = Some(cc);
            }
        }
    }
    let candidates = g.lookup(name);
    let ranked = g.rank(&candidates, &cx);
    let best = ranked.iter().find(|c| {
        let p = g.place(c.id);
        match cx.country {
            Some(cc) => {
                p.country == Some(cc)
                    && cx
                        .within_admin1
                        .as_ref()
                        .is_none_or(|(_, code)| p.admin1.as_deref() == Some(code.as_str()))
            }
            None => true,
        }
    })?;
    Some(location_of(g, best.id))
}

#[cfg(test)]
mod tests {
    use truce_geo::Place;

    use super::*;

    fn place(id: u32, kind: PlaceKind, name: &str, cc: &str, admin1: &str, pop: u64) -> Place {
        Place {
            geonameid: Some(id),
            kind,
            name: name.into(),
            lat: f64::from(id % 90),
            lon: f64::from(id % 180),
            country: CountryCode::parse(cc),
            admin1: (!admin1.is_empty()).then(|| admin1.to_string()),
            population: pop,
            alternate_names: vec![],
        }
    }

    fn gazetteer() -> Gazetteer {
        Gazetteer::from_places(vec![
            place(1, PlaceKind::Country, "Syria", "SY", "", 17_000_000),
            place(2, PlaceKind::Country, "Palestine", "PS", "", 5_000_000),
            place(3, PlaceKind::Admin1, "Idlib", "SY", "07", 1_500_000),
            place(4, PlaceKind::City, "Ariha", "PS", "", 20_000),
            place(5, PlaceKind::City, "Ariha", "SY", "07", 40_000),
        ])
    }

    #[test]
    fn a_named_place_is_found_in_the_country_or_area_it_is_tied_to() {
        let g = gazetteer();
        for (text, focus, id) in [
            ("Ariha, Syria", None, 5),
            ("Ariha, SY", Some("PS"), 5),
            ("Ariha, Idlib", None, 5),
            ("Ariha", Some("PS"), 4),
            ("Ariha", Some("SY"), 5),
            ("Ariha", None, 5),
            ("Ariha, Palestine", Some("SY"), 4),
        ] {
            let l = place_named(&g, text, focus).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(l.geonameid, Some(id), "{text} with {focus:?}");
            assert_eq!(l.geo_precision, Some(1));
        }
        assert_eq!(
            place_named(&g, "Ariha", Some("SY"))
                .unwrap()
                .admin1
                .as_deref(),
            Some("Idlib")
        );
        assert!(place_named(&g, "Atlantis", None).is_none());
        assert!(
            place_named(&g, "Idlib", Some("PS")).is_none(),
            "another country is said, never guessed"
        );
        assert!(place_named(&g, "Ariha, Narnia", None).is_none());
        assert!(place_named(&g, "", None).is_none());
        assert!(place_named(&g, ",", None).is_none());
    }
}
