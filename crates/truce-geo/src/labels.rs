//! The places a map labels in a view: its towns, largest first, and the provinces and districts
//! around them, found by the view's bounding box.
//!
//! The gazetteer's populated places are ordered once by population; a view takes the first ones
//! inside it. A wide view thus names only the large towns and a close one its villages, as a
//! printed map does, and each view costs at most one pass over the ordered places whatever the
//! record holds.

use crate::{Gazetteer, PlaceId, PlaceKind};

/// A view of the map: degrees west, south, east and north. A view across the antimeridian has
/// its west greater than its east.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// The western edge, degrees of longitude.
    pub west: f64,
    /// The southern edge, degrees of latitude.
    pub south: f64,
    /// The eastern edge, degrees of longitude.
    pub east: f64,
    /// The northern edge, degrees of latitude.
    pub north: f64,
}

impl View {
    /// Whether a point lies inside.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let in_lon = if self.west <= self.east {
            (self.west..=self.east).contains(&lon)
        } else {
            lon >= self.west || lon <= self.east
        };
        in_lon && (self.south..=self.north).contains(&lat)
    }
}

/// One place as the index keeps it: its point, to test against a view without reading the place.
#[derive(Debug, Clone, Copy)]
struct Entry {
    lat: f32,
    lon: f32,
    id: PlaceId,
}

/// The gazetteer's places ordered for labelling: populated places by population (the largest
/// first; places of unknown population last, in gazetteer order), and provinces before
/// districts, each by population.
#[derive(Debug, Default)]
pub struct LabelIndex {
    towns: Vec<Entry>,
    areas: Vec<Entry>,
}

impl LabelIndex {
    /// Orders the places of a gazetteer.
    pub fn new(gazetteer: &Gazetteer) -> Self {
        let mut towns = Vec::new();
        let mut areas = Vec::new();
        for (id, p) in gazetteer.places() {
            let entry = Entry {
                lat: p.lat as f32,
                lon: p.lon as f32,
                id,
            };
            match p.kind {
                PlaceKind::Capital | PlaceKind::City | PlaceKind::Village => towns.push(entry),
                PlaceKind::Admin1 | PlaceKind::Admin2 => areas.push(entry),
                _ => {}
            }
        }
        let population = |e: &Entry| gazetteer.place(e.id).population;
        // Stable sorts: equal populations keep the gazetteer's order, so a view's labels are the
        // same from one run to the next.
        towns.sort_by_key(|e| std::cmp::Reverse(population(e)));
        areas.sort_by_key(|e| {
            let admin2 = gazetteer.place(e.id).kind == PlaceKind::Admin2;
            (admin2, std::cmp::Reverse(population(e)))
        });
        Self { towns, areas }
    }

    /// The `towns` largest towns and the first `areas` provinces and districts inside a view.
    pub fn within(&self, view: View, towns: usize, areas: usize) -> Labels {
        let take = |list: &[Entry], n: usize| -> Vec<PlaceId> {
            list.iter()
                .filter(|e| view.contains(f64::from(e.lat), f64::from(e.lon)))
                .take(n)
                .map(|e| e.id)
                .collect()
        };
        Labels {
            towns: take(&self.towns, towns),
            areas: take(&self.areas, areas),
        }
    }
}

/// What a view labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    /// Towns and villages, the largest first.
    pub towns: Vec<PlaceId>,
    /// Provinces, then districts, each the largest first.
    pub areas: Vec<PlaceId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::place;

    fn names(g: &Gazetteer, ids: &[PlaceId]) -> Vec<String> {
        ids.iter().map(|&id| g.place(id).name.clone()).collect()
    }

    #[test]
    fn a_view_names_its_largest_towns_first_and_its_provinces_before_districts() {
        let g = Gazetteer::from_places(vec![
            place(PlaceKind::City, "Ariha", "SY", "", 40_000, 35.81, 36.61),
            place(PlaceKind::City, "Idlib", "SY", "", 165_000, 35.93, 36.63),
            place(PlaceKind::City, "Kafr Nabl", "SY", "", 16_000, 35.61, 36.56),
            place(PlaceKind::City, "Aleppo", "SY", "", 1_600_000, 36.20, 37.16),
            place(
                PlaceKind::Village,
                "Maarat Misrin",
                "SY",
                "",
                0,
                36.01,
                36.67,
            ),
            place(PlaceKind::City, "Jericho", "SY", "", 20_000, 31.87, 35.44),
            place(
                PlaceKind::Admin2,
                "Ariha District",
                "SY",
                "",
                90_000,
                35.80,
                36.60,
            ),
            place(
                PlaceKind::Admin1,
                "Idlib Governorate",
                "SY",
                "",
                0,
                35.80,
                36.60,
            ),
            place(
                PlaceKind::Country,
                "Syria",
                "SY",
                "",
                22_000_000,
                35.0,
                38.0,
            ),
        ]);
        let index = LabelIndex::new(&g);
        let idlib = View {
            west: 36.3,
            south: 35.5,
            east: 36.9,
            north: 36.1,
        };
        let labels = index.within(idlib, 10, 10);
        assert_eq!(
            names(&g, &labels.towns),
            ["Idlib", "Ariha", "Kafr Nabl", "Maarat Misrin"]
        );
        assert_eq!(
            names(&g, &labels.areas),
            ["Idlib Governorate", "Ariha District"]
        );
        // A smaller budget keeps the largest.
        assert_eq!(
            names(&g, &index.within(idlib, 2, 0).towns),
            ["Idlib", "Ariha"]
        );
        assert!(index.within(idlib, 2, 0).areas.is_empty());
        // Nothing outside the view, however large.
        let sea = View {
            west: 20.0,
            south: 33.0,
            east: 25.0,
            north: 34.0,
        };
        assert_eq!(index.within(sea, 10, 10), Labels::default());
    }

    #[test]
    fn a_view_across_the_antimeridian_wraps() {
        let g = Gazetteer::from_places(vec![
            place(PlaceKind::City, "Suva", "FJ", "", 77_000, -18.14, 178.44),
            place(PlaceKind::City, "Apia", "WS", "", 40_000, -13.83, -171.77),
            place(
                PlaceKind::City,
                "Nuku'alofa",
                "TO",
                "",
                23_000,
                -21.14,
                -175.2,
            ),
            place(
                PlaceKind::City,
                "Brisbane",
                "AU",
                "",
                2_000_000,
                -27.47,
                153.03,
            ),
        ]);
        let index = LabelIndex::new(&g);
        let pacific = View {
            west: 170.0,
            south: -25.0,
            east: -170.0,
            north: -10.0,
        };
        assert_eq!(
            names(&g, &index.within(pacific, 10, 0).towns),
            ["Suva", "Apia", "Nuku'alofa"]
        );
    }
}
