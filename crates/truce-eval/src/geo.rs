//! Numbers and coordinates read leniently, as `score.py` reads them.

use serde_json::Value;

/// A finite number, from a JSON number or numeric string (booleans are not numbers).
pub fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// `(lat, lon)` of an object, when both are valid.
pub fn coords(d: Option<&Value>) -> Option<(f64, f64)> {
    let d = d?.as_object()?;
    let (lat, lon) = (num(d.get("lat"))?, num(d.get("lon"))?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Great-circle distance in km, with the reference scorer's Earth radius (6,371.0088 km: the
/// mean radius truce-geo measures with).
pub fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    truce_geo::distance::haversine_km(lat1, lon1, lat2, lon2)
}

/// The threshold of "located correctly".
pub const KM_THRESHOLD: f64 = 161.0;
