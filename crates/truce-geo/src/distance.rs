//! Distances and offsets on the sphere: the one place truce measures them, with the `geo`
//! crate's haversine and its mean earth radius (6,371.0088 km).

use geo::{Destination, Distance, Haversine, Point};

/// Great-circle distance in kilometres between two WGS84 points (haversine).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0
}

/// [`haversine_km`] between two `(lat, lon)` pairs.
pub fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    haversine_km(lat1, lon1, lat2, lon2)
}

/// Kilometres in a degree of latitude, as the boxes below count them.
const KM_PER_DEGREE: f64 = 111.2;

/// The box (`[south, north, west, east]`, degrees) around a point reaching `km` kilometres each
/// way: what a search by latitude and longitude reads before it measures.
pub fn box_around(lat: f64, lon: f64, km: f64) -> [f64; 4] {
    let dlat = km / KM_PER_DEGREE;
    let dlon = km / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01));
    [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
}

/// The point `km` kilometres from a start point along a compass bearing (degrees, 0 = north).
pub fn offset(lat: f64, lon: f64, bearing_deg: f64, km: f64) -> (f64, f64) {
    let p = Haversine.destination(Point::new(lon, lat), bearing_deg, km * 1000.0);
    let lon2 = (p.x() + 540.0) % 360.0 - 180.0;
    (p.y(), lon2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aleppo_to_damascus_is_about_310_km() {
        let d = haversine_km(36.20124, 37.16117, 33.5102, 36.29128);
        assert!((d - 308.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn a_box_holds_the_points_within_its_reach() {
        let [south, north, west, east] = box_around(36.2, 37.16, 20.0);
        for bearing in [0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0] {
            let (lat, lon) = offset(36.2, 37.16, bearing, 19.9);
            assert!((south..=north).contains(&lat) && (west..=east).contains(&lon));
        }
        assert!(north - south < 0.4 && east - west < 0.5);
    }

    #[test]
    fn offset_then_distance_agree() {
        let (lat, lon) = offset(36.2, 37.16, 180.0, 20.0);
        assert!((haversine_km(36.2, 37.16, lat, lon) - 20.0).abs() < 0.01);
        assert!(lat < 36.2);
    }
}
