//! Covered zones: polygons read from GeoJSON, and whether a point lies in them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A named area an agreement covers: one or more polygons, each an outer ring and its holes,
/// every ring a list of `[lon, lat]` points as GeoJSON writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Zone {
    /// What the agreement calls it ("Idlib de-escalation area").
    pub name: String,
    /// Polygons: `polygons[p][0]` is the outer ring, the others are holes.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// Why a GeoJSON text is not a zone.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    /// Not JSON.
    #[error("not GeoJSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON without a polygon in it.
    #[error("no Polygon or MultiPolygon geometry in it")]
    NoPolygon,
    /// A ring that is not a list of at least three `[lon, lat]` points in range.
    #[error("a ring is not a list of at least three [longitude, latitude] points")]
    BadRing,
}

impl Zone {
    /// Reads every Polygon and MultiPolygon of a GeoJSON text (a geometry, a Feature or a
    /// FeatureCollection) as one zone.
    pub fn from_geojson(name: &str, text: &str) -> Result<Zone, ZoneError> {
        let value: Value = serde_json::from_str(text)?;
        let mut polygons = Vec::new();
        collect(&value, &mut polygons)?;
        if polygons.is_empty() {
            return Err(ZoneError::NoPolygon);
        }
        Ok(Zone {
            name: name.to_string(),
            polygons,
        })
    }

    /// Whether the point lies inside the zone (on an edge counts as inside for the ray's side).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        self.polygons.iter().any(|rings| {
            let mut rings = rings.iter();
            match rings.next() {
                Some(outer) if in_ring(outer, lat, lon) => !rings.any(|h| in_ring(h, lat, lon)),
                _ => false,
            }
        })
    }
}

fn collect(v: &Value, out: &mut Vec<Vec<Vec<[f64; 2]>>>) -> Result<(), ZoneError> {
    match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            for f in v
                .get("features")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect(f, out)?;
            }
        }
        Some("Feature") => {
            if let Some(g) = v.get("geometry") {
                collect(g, out)?;
            }
        }
        Some("GeometryCollection") => {
            for g in v
                .get("geometries")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect(g, out)?;
            }
        }
        Some("Polygon") => out.push(polygon(v.get("coordinates"))?),
        Some("MultiPolygon") => {
            for p in v
                .get("coordinates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push(polygon(Some(p))?);
            }
        }
        _ => {}
    }
    Ok(())
}

fn polygon(v: Option<&Value>) -> Result<Vec<Vec<[f64; 2]>>, ZoneError> {
    let rings = v.and_then(Value::as_array).ok_or(ZoneError::BadRing)?;
    rings
        .iter()
        .map(|ring| {
            let points = ring.as_array().ok_or(ZoneError::BadRing)?;
            let ring: Vec<[f64; 2]> = points
                .iter()
                .map(|p| {
                    let lon = p.get(0).and_then(Value::as_f64).ok_or(ZoneError::BadRing)?;
                    let lat = p.get(1).and_then(Value::as_f64).ok_or(ZoneError::BadRing)?;
                    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                        return Err(ZoneError::BadRing);
                    }
                    Ok([lon, lat])
                })
                .collect::<Result<_, _>>()?;
            if ring.len() < 3 {
                return Err(ZoneError::BadRing);
            }
            Ok(ring)
        })
        .collect()
}

/// Ray casting: counts the ring's edges a ray east of the point crosses.
fn in_ring(ring: &[[f64; 2]], lat: f64, lon: f64) -> bool {
    let mut inside = false;
    let mut j = ring.len() - 1;
    for i in 0..ring.len() {
        let ([xi, yi], [xj, yj]) = (ring[i], ring[j]);
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE_WITH_HOLE: &str = r#"{"type": "Feature", "properties": {}, "geometry":
        {"type": "Polygon", "coordinates": [
            [[36.0, 35.0], [37.0, 35.0], [37.0, 36.0], [36.0, 36.0], [36.0, 35.0]],
            [[36.4, 35.4], [36.6, 35.4], [36.6, 35.6], [36.4, 35.6], [36.4, 35.4]]]}}"#;

    #[test]
    fn points_inside_outside_and_in_holes() {
        let z = Zone::from_geojson("test", SQUARE_WITH_HOLE).unwrap();
        assert!(z.contains(35.2, 36.2));
        assert!(!z.contains(35.5, 36.5), "in the hole");
        assert!(!z.contains(34.9, 36.5), "south of it");
        assert!(!z.contains(35.5, 37.1), "east of it");
    }

    #[test]
    fn multipolygons_and_collections_are_read() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                [[[10, 10], [11, 10], [11, 11], [10, 10]]]]}}]}"#;
        let z = Zone::from_geojson("two", text).unwrap();
        assert_eq!(z.polygons.len(), 2);
        assert!(z.contains(10.2, 10.8));
    }

    #[test]
    fn bad_geojson_is_refused_clearly() {
        assert!(matches!(
            Zone::from_geojson("x", ""),
            Err(ZoneError::Json(_))
        ));
        assert!(matches!(
            Zone::from_geojson("x", r#"{"type": "Point", "coordinates": [1, 2]}"#),
            Err(ZoneError::NoPolygon)
        ));
        assert!(matches!(
            Zone::from_geojson(
                "x",
                r#"{"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}"#
            ),
            Err(ZoneError::BadRing)
        ));
        assert!(matches!(
            Zone::from_geojson(
                "x",
                r#"{"type": "Polygon", "coordinates": [[[1, 2], [3, 400], [5, 6]]]}"#
            ),
            Err(ZoneError::BadRing)
        ));
    }
}
