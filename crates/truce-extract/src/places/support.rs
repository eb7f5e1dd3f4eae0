//! What a report's other names say of one name's places. Namesakes are told apart by their
//! neighbours: "Palestine" beside "Anderson County" and "Tennessee Colony" is the town in Texas,
//! because each of the three names may stand for a place a few kilometres from a place the
//! others may stand for, and nowhere else do they meet. Every name's shortlisted places are
//! filed by where they are; a candidate then asks how near the nearest place another name may
//! be lies, how many other names have one near, and whether another name may be the
//! first-order area it lies in (or, for an area, may be a place inside it).

use rustc_hash::FxHashMap;
use truce_geo::{Candidate as Ranked, CountryCode, Gazetteer, Place, PlaceKind};

/// Side of a filing cell, in degrees of latitude and longitude: at most three rows of cells hold
/// every point within [`NEAR_KM`].
const CELL_DEGREES: f64 = 2.0;

/// Columns of cells around the globe.
const COLUMNS: i32 = (360.0 / CELL_DEGREES) as i32;

/// The distance within which another name's place counts as near.
pub(crate) const NEAR_KM: f64 = 150.0;

/// One place another name may stand for.
struct Point {
    /// The name (its index among the report's names).
    owner: usize,
    /// Whether it is that name's best place by the rules.
    top: bool,
    lat: f64,
    lon: f64,
}

/// The report's names' shortlisted places, filed by cell and by first-order area.
pub(crate) struct Support<'g> {
    cells: FxHashMap<(i32, i32), Vec<Point>>,
    /// The names that may be a first-order area, by area.
    areas: FxHashMap<(CountryCode, &'g str), Vec<usize>>,
    /// The names that may be a place inside a first-order area, by area.
    inside: FxHashMap<(CountryCode, &'g str), Vec<usize>>,
}

/// What the other names say of one candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Said {
    /// Kilometres to the nearest place another name may stand for (infinite: none near).
    pub nearest: f64,
    /// Kilometres to the nearest place another name stands for by the rules' first choice.
    pub nearest_top: f64,
    /// How many other names may stand for a place within [`NEAR_KM`].
    pub names_near: usize,
    /// Another name may be the first-order area the candidate lies in.
    pub in_area: bool,
    /// Another name may be a place inside the candidate (a first-order area).
    pub holds: bool,
}

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (
        (lat / CELL_DEGREES).floor() as i32,
        ((lon / CELL_DEGREES).floor() as i32).rem_euclid(COLUMNS),
    )
}

/// Whether a place of this kind has a point worth measuring from: a town, a district, not a
/// country or a province whose point is one of many.
fn pointlike(kind: PlaceKind) -> bool {
    !matches!(
        kind,
        PlaceKind::Continent | PlaceKind::Region | PlaceKind::Country | PlaceKind::Admin1
    )
}

impl<'g> Support<'g> {
    /// Files the first `shortlist` places of each name's ranking (nothing for a report of one
    /// name: no other name can speak for it).
    pub(crate) fn new(g: &'g Gazetteer, ranked: &[Vec<Ranked>], shortlist: usize) -> Self {
        let mut s = Support {
            cells: FxHashMap::default(),
            areas: FxHashMap::default(),
            inside: FxHashMap::default(),
        };
        if ranked.len() < 2 {
            return s;
        }
        for (owner, list) in ranked.iter().enumerate() {
            for (rank, c) in list.iter().take(shortlist).enumerate() {
                let p = g.place(c.id);
                let area = p.country.zip(p.admin1.as_deref());
                if p.kind == PlaceKind::Admin1 {
                    if let Some(key) = area {
                        s.areas.entry(key).or_default().push(owner);
                    }
                    continue;
                }
                if !pointlike(p.kind) {
                    continue;
                }
                if let Some(key) = area {
                    s.inside.entry(key).or_default().push(owner);
                }
                s.cells.entry(cell(p.lat, p.lon)).or_default().push(Point {
                    owner,
                    top: rank == 0,
                    lat: p.lat,
                    lon: p.lon,
                });
            }
        }
        s
    }

    /// What the names `other` accepts say of place `p`.
    pub(crate) fn of(&self, p: &'g Place, other: impl Fn(usize) -> bool) -> Said {
        let mut said = Said {
            nearest: f64::INFINITY,
            nearest_top: f64::INFINITY,
            names_near: 0,
            in_area: false,
            holds: false,
        };
        if let Some(key) = p.country.zip(p.admin1.as_deref()) {
            let any =
                |names: Option<&Vec<usize>>| names.is_some_and(|v| v.iter().any(|&i| other(i)));
            if p.kind == PlaceKind::Admin1 {
                said.holds = any(self.inside.get(&key));
            } else {
                said.in_area = any(self.areas.get(&key));
            }
        }
        if !pointlike(p.kind) || self.cells.is_empty() {
            return said;
        }
        let shrink = p.lat.to_radians().cos();
        let (row, col) = cell(p.lat, p.lon);
        // Enough cells either way to hold every point within NEAR_KM, at this latitude.
        let rows = (NEAR_KM / (111.0 * CELL_DEGREES)).ceil() as i32;
        let cols =
            ((NEAR_KM / (111.0 * CELL_DEGREES * shrink.max(0.05))).ceil() as i32).min(COLUMNS / 2);
        // The names with a place near (few: a short list beats a set).
        let mut near: Vec<usize> = Vec::new();
        for r in row - rows..=row + rows {
            for c in col - cols..=col + cols {
                let Some(points) = self.cells.get(&(r, c.rem_euclid(COLUMNS))) else {
                    continue;
                };
                for q in points.iter().filter(|q| other(q.owner)) {
                    let km = super::choice::approx_km(shrink, p.lat - q.lat, p.lon - q.lon);
                    said.nearest = said.nearest.min(km);
                    if q.top {
                        said.nearest_top = said.nearest_top.min(km);
                    }
                    if km < NEAR_KM && !near.contains(&q.owner) {
                        near.push(q.owner);
                    }
                }
            }
        }
        said.names_near = near.len();
        said
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_geo::{NameMatch, PlaceId};

    fn place(name: &str, kind: PlaceKind, cc: &str, admin1: &str, lat: f64, lon: f64) -> Place {
        Place::new(kind, name, cc, admin1, 1_000, lat, lon)
    }

    fn ranked(ids: &[usize]) -> Vec<Ranked> {
        ids.iter()
            .enumerate()
            .map(|(rank, &id)| Ranked {
                id: PlaceId(id as u32),
                matched: NameMatch::Preferred,
                score: 10.0 - rank as f64,
                reasons: Vec::new(),
            })
            .collect()
    }

    /// A made-up county town: two namesakes of a town, a county and a province; the other
    /// names of the report meet only one of them.
    #[test]
    fn the_namesake_among_the_other_names_places_is_supported() {
        let g = Gazetteer::from_places(vec![
            place("Qasr", PlaceKind::Country, "PS", "", 31.9, 35.2),
            place("Qasr", PlaceKind::City, "US", "TX", 31.76, -95.63),
            place("Mill County", PlaceKind::Admin2, "US", "TX", 31.81, -95.65),
            place("Mill County", PlaceKind::Admin2, "US", "TN", 36.12, -84.2),
            place("Texas", PlaceKind::Admin1, "US", "TX", 31.25, -99.25),
            place("Stone Ford", PlaceKind::Village, "US", "TX", 31.83, -95.84),
        ]);
        // Names: "Qasr" (its country first), "Mill County", "Texas", "Stone Ford", "Qasr" again.
        let lists = vec![
            ranked(&[0, 1]),
            ranked(&[3, 2]),
            ranked(&[4]),
            ranked(&[5]),
            ranked(&[0, 1]),
        ];
        let support = Support::new(&g, &lists, 8);
        let not_qasr = |i: usize| i != 0 && i != 4;
        let town = support.of(g.place(PlaceId(1)), not_qasr);
        assert_eq!(town.names_near, 2, "{town:?}");
        assert!(town.nearest < 20.0 && town.in_area, "{town:?}");
        // The nearest first choice is Stone Ford's (Mill County's first is in Tennessee).
        assert!(
            town.nearest_top > 15.0 && town.nearest_top < 30.0,
            "{town:?}"
        );
        let country = support.of(g.place(PlaceId(0)), not_qasr);
        assert_eq!(country.names_near, 0);
        assert!(country.nearest.is_infinite() && !country.in_area);
        // Only the names asked count: Stone Ford alone.
        let one = support.of(g.place(PlaceId(1)), |i| i == 3);
        assert_eq!(one.names_near, 1, "{one:?}");
        assert!(!one.in_area);
        // The province holds places other names may be.
        assert!(support.of(g.place(PlaceId(4)), |i| i != 2).holds);
        assert!(!support.of(g.place(PlaceId(4)), |i| i == 2).holds);
    }

    #[test]
    fn cells_reach_every_point_within_the_distance() {
        // At 60 degrees north a degree of longitude is about 55 km: two columns each way.
        let p = (60.0_f64, 10.0_f64);
        let shrink = p.0.to_radians().cos();
        let cols = (NEAR_KM / (111.0 * CELL_DEGREES * shrink)).ceil() as i32;
        assert_eq!(cols, 2);
        let q = (60.0, 10.0 + 2.6);
        let km = super::super::choice::approx_km(shrink, p.0 - q.0, p.1 - q.1);
        assert!(km < NEAR_KM, "{km}");
        assert!((cell(q.0, q.1).1 - cell(p.0, p.1).1).abs() <= cols);
    }

    /// Fiji's towns lie either side of the date line: neighbours all the same.
    #[test]
    fn neighbours_across_the_date_line_are_near() {
        let g = Gazetteer::from_places(vec![
            place("Eastward", PlaceKind::City, "FJ", "01", -16.8, 179.6),
            place("Westward", PlaceKind::City, "FJ", "01", -16.9, -179.7),
        ]);
        let support = Support::new(&g, &[ranked(&[0]), ranked(&[1])], 8);
        let said = support.of(g.place(PlaceId(0)), |i| i == 1);
        assert_eq!(said.names_near, 1, "{said:?}");
        assert!(said.nearest < 100.0, "{said:?}");
    }
}
