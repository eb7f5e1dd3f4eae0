//! Country borders for the report's map: Natural Earth's 1:50m countries (public domain, through
//! the world-atlas package), the TopoJSON file the dashboard serves too, decoded once.
//!
//! TopoJSON keeps each border once, as an arc of quantised, delta-encoded points shared by the
//! two countries it divides; a ring lists its arcs by index, `!i` (i.e. `-i - 1`) for arc `i`
//! walked backwards. The one crate that reads it (`topojson` 0.5) is tied to a `geojson` four
//! major versions old, and decoding is these two rules, so they are written here.

use std::sync::OnceLock;

use serde::Deserialize;

/// The countries as TopoJSON: the file the dashboard serves as `/assets/vendor/countries-50m.json`.
pub const COUNTRIES_TOPOJSON: &[u8] = include_bytes!("../data/countries-50m.json");

/// A country's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Its name (English).
    pub name: String,
    /// Its rings, each a closed list of (longitude, latitude).
    pub rings: Vec<Vec<(f64, f64)>>,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    arcs: serde_json::Value,
    #[serde(default)]
    properties: Option<Properties>,
}

#[derive(Deserialize)]
struct Properties {
    name: Option<String>,
}

/// Every country's outline (decoded the first time it is asked for).
pub fn countries() -> &'static [Outline] {
    static OUTLINES: OnceLock<Vec<Outline>> = OnceLock::new();
    OUTLINES.get_or_init(|| decode(COUNTRIES_TOPOJSON).unwrap_or_default())
}

/// Decodes a TopoJSON file of countries; `None` when it is not one.
fn decode(bytes: &[u8]) -> Option<Vec<Outline>> {
    let topo: Topology = serde_json::from_slice(bytes).ok()?;
    let [sx, sy] = topo.transform.scale;
    let [tx, ty] = topo.transform.translate;
    let arcs: Vec<Vec<(f64, f64)>> = topo
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0i64, 0i64);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    (x as f64 * sx + tx, y as f64 * sy + ty)
                })
                .collect()
        })
        .collect();
    let ring = |indexes: &[serde_json::Value]| -> Option<Vec<(f64, f64)>> {
        let mut points = Vec::new();
        for i in indexes {
            let i = i.as_i64()?;
            let (arc, backwards) = if i < 0 { (!i, true) } else { (i, false) };
            let arc = arcs.get(usize::try_from(arc).ok()?)?;
            let mut part: Vec<(f64, f64)> = arc.clone();
            if backwards {
                part.reverse();
            }
            // Consecutive arcs share their end point.
            let skip = usize::from(!points.is_empty());
            points.extend(part.into_iter().skip(skip));
        }
        Some(points)
    };
    let mut out = Vec::new();
    for g in &topo.objects.countries.geometries {
        let polygons: Vec<&serde_json::Value> = match g.kind.as_str() {
            "Polygon" => vec![&g.arcs],
            "MultiPolygon" => g.arcs.as_array()?.iter().collect(),
            _ => continue,
        };
        let mut rings = Vec::new();
        for polygon in polygons {
            for r in polygon.as_array()? {
                rings.push(ring(r.as_array()?)?);
            }
        }
        let mut bbox = [180.0f64, 90.0f64, -180.0f64, -90.0f64];
        for &(lon, lat) in rings.iter().flatten() {
            bbox = [
                bbox[0].min(lon),
                bbox[1].min(lat),
                bbox[2].max(lon),
                bbox[3].max(lat),
            ];
        }
        out.push(Outline {
            name: g
                .properties
                .as_ref()
                .and_then(|p| p.name.clone())
                .unwrap_or_default(),
            rings,
            bbox,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_countries_decode_where_they_are() {
        let all = countries();
        assert!(all.len() > 200, "{} countries", all.len());
        let syria = all.iter().find(|c| c.name == "Syria").expect("Syria");
        // Syria lies within 35.7-42.4 E, 32.3-37.4 N.
        let [w, s, e, n] = syria.bbox;
        assert!(
            (35.5..36.0).contains(&w) && (42.0..42.5).contains(&e),
            "{:?}",
            syria.bbox
        );
        assert!(
            (32.0..32.5).contains(&s) && (37.0..37.5).contains(&n),
            "{:?}",
            syria.bbox
        );
        assert!(
            syria.rings.iter().all(|r| r.first() == r.last()),
            "closed rings"
        );
    }

    #[test]
    fn a_backward_arc_is_walked_backwards() {
        let topo = br#"{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},
            "arcs":[[[0,0],[2,0]],[[2,0],[0,2]],[[0,0],[2,2]]],
            "objects":{"countries":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,1,-3]],"properties":{"name":"T"}},
              {"type":"Point","coordinates":[0,0]}]}}}"#;
        let t = decode(topo).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(
            t[0].rings[0],
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 0.0)]
        );
        assert!(decode(b"{}").is_none());
        assert!(decode(b"\xff").is_none());
    }
}
