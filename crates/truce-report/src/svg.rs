//! Small SVG drawings for reports: the health index over time and a map of the day's incidents
//! over the countries' borders. Hand-drawn SVG (nothing but the bundled borders needed); every
//! text is escaped (`html-escape`).

use std::fmt::Write;

use crate::borders;

/// Escapes text for XML and HTML, in text and in quoted attributes (`&`, `<`, `>`, `"`, `'`).
pub use html_escape::encode_quoted_attribute as escape;

/// The fonts drawings ask for: the PDF's bundled DejaVu Sans, else the reader's sans-serif.
const FONT: &str = "DejaVu Sans, sans-serif";

/// A line chart of values from 0 to 100 over days (labels `YYYY-MM-DD`), dated along its axis:
/// up to five days, the first and the last among them.
pub fn index_chart(points: &[(String, f64)], width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let (left, right, top, bottom) = (34.0, 12.0, 10.0, 26.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Ceasefire health index">"#
    );
    let _ = write!(
        s,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    );
    for v in [0, 25, 50, 75, 100] {
        let y = top + plot_h * (1.0 - f64::from(v) / 100.0);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" font-family="{FONT}">{v}</text>"##,
            left + plot_w,
            left - 4.0,
            y + 3.0
        );
    }
    let n = points.len();
    if n > 0 {
        let x = |i: usize| {
            if n == 1 {
                left + plot_w / 2.0
            } else {
                left + plot_w * i as f64 / (n - 1) as f64
            }
        };
        let y = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#1f6f8b" stroke-width="2"/>"##,
            path.join(" ")
        );
        let (i, (_, v)) = (n - 1, &points[n - 1]);
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="#1f6f8b"/>"##,
            x(i),
            y(*v)
        );
        for (k, i) in date_ticks(n).into_iter().enumerate() {
            let anchor = match (k, i) {
                (0, _) if n > 1 => "start",
                (_, i) if n > 1 && i == n - 1 => "end",
                _ => "middle",
            };
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#999"/><text x="{0:.1}" y="{3:.1}" font-size="9" text-anchor="{anchor}" font-family="{FONT}" fill="#444">{4}</text>"##,
                x(i),
                top + plot_h,
                top + plot_h + 4.0,
                h - 8.0,
                escape(&points[i].0)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The indexes of the days dated on the axis: up to five, evenly spread, the first and last.
fn date_ticks(n: usize) -> Vec<usize> {
    match n {
        0 => Vec::new(),
        1..=5 => (0..n).collect(),
        _ => {
            let mut ticks: Vec<usize> = (0..5).map(|j| (j * (n - 1) + 2) / 4).collect();
            ticks.dedup();
            ticks
        }
    }
}

/// A point on the report's map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapPoint {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Label (a place name); labels are placed in the points' order where they fit.
    pub label: String,
    /// Fill colour (`#b2182b`).
    pub colour: String,
    /// Radius in pixels.
    pub radius: f64,
}

/// The map's frame: west, south, east, north, fitted around the points (a degree across at the
/// least, with a margin) to the drawing's shape.
fn frame(points: &[MapPoint], w: f64, h: f64) -> [f64; 4] {
    let (mut s_lat, mut n_lat, mut w_lon, mut e_lon) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in points {
        s_lat = s_lat.min(p.lat);
        n_lat = n_lat.max(p.lat);
        w_lon = w_lon.min(p.lon);
        e_lon = e_lon.max(p.lon);
    }
    let pad = 0.25;
    let (s_lat, n_lat, w_lon, e_lon) = (s_lat - pad, n_lat + pad, w_lon - pad, e_lon + pad);
    let k = ((s_lat + n_lat) / 2.0).to_radians().cos().max(0.2);
    let span_lon = (e_lon - w_lon).max(1.0);
    let span_lat = (n_lat - s_lat).max(1.0);
    let (want_lon, want_lat) = if span_lon * k / span_lat > w / h {
        (span_lon, span_lon * k * h / w)
    } else {
        (span_lat * w / h / k, span_lat)
    };
    let (c_lon, c_lat) = ((w_lon + e_lon) / 2.0, (s_lat + n_lat) / 2.0);
    [
        c_lon - want_lon / 2.0,
        c_lat - want_lat / 2.0,
        c_lon + want_lon / 2.0,
        c_lat + want_lat / 2.0,
    ]
}

/// A box on the drawing: left, top, right, bottom.
type Box2 = [f64; 4];

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Where each point's label goes (`x`, baseline `y`, text anchor), or `None` where it fits
/// nowhere, or where the same name is already written beside a point within 20 pixels (two
/// incidents in one town): beside its point (right, left, above, below, in that order), inside
/// the drawing, over no other point and no label placed before it. Points come most important
/// first.
fn place_labels(
    at: &[(f64, f64, f64)],
    labels: &[&str],
    w: f64,
    h: f64,
) -> Vec<Option<(f64, f64, &'static str)>> {
    const SIZE: f64 = 10.0;
    let circles: Vec<Box2> = at
        .iter()
        .map(|&(x, y, r)| [x - r, y - r, x + r, y + r])
        .collect();
    // The top right corner is kept for the map's note of labels left out.
    let mut taken: Vec<Box2> = vec![[w - 200.0, 0.0, w, 16.0]];
    let mut named: Vec<(&str, f64, f64)> = Vec::new();
    let mut out = Vec::with_capacity(at.len());
    for (k, (&(x, y, r), label)) in at.iter().zip(labels).enumerate() {
        if named
            .iter()
            .any(|(n, nx, ny)| n == label && (nx - x).hypot(ny - y) < 20.0)
        {
            out.push(None);
            continue;
        }
        // DejaVu Sans runs about 0.6 em a character.
        let width = label.chars().count() as f64 * SIZE * 0.6;
        let tries = [
            (
                x + r + 3.0,
                y + SIZE * 0.35,
                "start",
                [
                    x + r + 3.0,
                    y - SIZE * 0.65,
                    x + r + 3.0 + width,
                    y + SIZE * 0.35,
                ],
            ),
            (
                x - r - 3.0,
                y + SIZE * 0.35,
                "end",
                [
                    x - r - 3.0 - width,
                    y - SIZE * 0.65,
                    x - r - 3.0,
                    y + SIZE * 0.35,
                ],
            ),
            (
                x,
                y - r - 3.0,
                "middle",
                [
                    x - width / 2.0,
                    y - r - 3.0 - SIZE,
                    x + width / 2.0,
                    y - r - 3.0,
                ],
            ),
            (
                x,
                y + r + SIZE + 1.0,
                "middle",
                [
                    x - width / 2.0,
                    y + r + 1.0,
                    x + width / 2.0,
                    y + r + SIZE + 1.0,
                ],
            ),
        ];
        let fits = |b: &Box2| {
            b[0] >= 1.0
                && b[1] >= 1.0
                && b[2] <= w - 1.0
                && b[3] <= h - 1.0
                && !taken.iter().any(|t| overlaps(t, b))
                && !circles
                    .iter()
                    .enumerate()
                    .any(|(j, c)| j != k && overlaps(c, b))
        };
        let place = tries.into_iter().find(|t| !label.is_empty() && fits(&t.3));
        if let Some((_, _, _, b)) = place {
            taken.push(b);
            named.push((label, x, y));
        }
        out.push(place.map(|(x, y, anchor, _)| (x, y, anchor)));
    }
    out
}

/// Appends one part of an outline to a path's data, points closer than half a pixel to the one
/// before left out.
fn outline_path(
    s: &mut String,
    part: &[(f64, f64)],
    project: impl Fn((f64, f64)) -> (f64, f64),
    closed: bool,
) {
    let mut last: Option<(f64, f64)> = None;
    for (k, &point) in part.iter().enumerate() {
        let p = project(point);
        if let Some(q) = last
            && (p.0 - q.0).abs() < 0.5
            && (p.1 - q.1).abs() < 0.5
            && k + 1 < part.len()
        {
            continue;
        }
        let _ = write!(s, "{}{:.1},{:.1}", if k == 0 { 'M' } else { 'L' }, p.0, p.1);
        last = Some(p);
    }
    if closed {
        s.push('Z');
    }
}

/// A map of points over the countries' borders, first-order areas, lakes and rivers (Natural
/// Earth, [`borders`]) and a graticule (whole degrees), framed around them; each point labelled
/// where its label fits without covering another (the map says how many were left unlabelled).
pub fn point_map(points: &[MapPoint], width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Map of the day's incidents">"#
    );
    if points.is_empty() {
        let _ = write!(
            s,
            r##"<rect width="{width}" height="{height}" fill="#f4f1ea"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" font-family="{FONT}">No incident with a known place</text></svg>"##,
            w / 2.0,
            h / 2.0
        );
        return s;
    }
    let [w_lon, s_lat, e_lon, n_lat] = frame(points, w, h);
    let x = |lon: f64| (lon - w_lon) / (e_lon - w_lon) * w;
    let y = |lat: f64| (n_lat - lat) / (n_lat - s_lat) * h;
    // The sea, then the land.
    let _ = write!(
        s,
        r##"<rect width="{width}" height="{height}" fill="#dfe9ef"/>"##
    );
    let frame = [w_lon, s_lat, e_lon, n_lat];
    let project = |(lon, lat): (f64, f64)| (x(lon), y(lat));
    let base = borders::basemap();
    let layers: [(&[borders::Outline], &str, bool); 4] = [
        (
            borders::countries(),
            r##"fill="#f4f1ea" stroke="#9a9387" stroke-width="0.7" fill-rule="evenodd""##,
            true,
        ),
        (
            &base.provinces,
            r##"fill="none" stroke="#b8ae9f" stroke-width="0.4" stroke-dasharray="3 2""##,
            true,
        ),
        (
            &base.lakes,
            r##"fill="#dfe9ef" stroke="#9cc0d9" stroke-width="0.4""##,
            true,
        ),
        (
            &base.rivers,
            r##"fill="none" stroke="#9cc0d9" stroke-width="0.9""##,
            false,
        ),
    ];
    for (shapes, style, closed) in layers {
        for shape in shapes.iter().filter(|o| o.meets(frame)) {
            let _ = write!(s, r#"<path {style} d=""#);
            for part in &shape.parts {
                outline_path(&mut s, part, project, closed);
            }
            s.push_str(r#""/>"#);
        }
    }
    let mut lon = w_lon.ceil();
    while lon <= e_lon {
        let _ = write!(
            s,
            r##"<line x1="{0:.1}" y1="0" x2="{0:.1}" y2="{h}" stroke="#b9c2c8" stroke-width="0.5" stroke-dasharray="2 3"/><text x="{1:.1}" y="{2:.1}" font-size="8" font-family="{FONT}" fill="#6b7780">{3}°E</text>"##,
            x(lon),
            x(lon) + 2.0,
            h - 3.0,
            lon
        );
        lon += 1.0;
    }
    let mut lat = s_lat.ceil();
    while lat <= n_lat {
        let _ = write!(
            s,
            r##"<line x1="0" y1="{0:.1}" x2="{w}" y2="{0:.1}" stroke="#b9c2c8" stroke-width="0.5" stroke-dasharray="2 3"/><text x="2" y="{1:.1}" font-size="8" font-family="{FONT}" fill="#6b7780">{2}°N</text>"##,
            y(lat),
            y(lat) - 2.0,
            lat
        );
        lat += 1.0;
    }
    let at: Vec<(f64, f64, f64)> = points
        .iter()
        .map(|p| (x(p.lon), y(p.lat), p.radius))
        .collect();
    for (p, (px, py, r)) in points.iter().zip(&at) {
        let _ = write!(
            s,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="{r:.1}" fill="{}" fill-opacity="0.85" stroke="#333" stroke-width="0.8"/>"##,
            escape(&p.colour)
        );
    }
    let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
    let placed = place_labels(&at, &labels, w, h);
    for (label, place) in labels.iter().zip(&placed) {
        if let Some((lx, ly, anchor)) = place {
            let _ = write!(
                s,
                r##"<text x="{lx:.1}" y="{ly:.1}" font-size="10" text-anchor="{anchor}" font-family="{FONT}" fill="#222" stroke="#f4f1ea" stroke-width="2.5" paint-order="stroke">{}</text>"##,
                escape(label)
            );
        }
    }
    // A name left out because it is already written beside the same spot is not missing.
    let written: Vec<(&str, f64, f64)> = labels
        .iter()
        .zip(&placed)
        .zip(&at)
        .filter(|((_, p), _)| p.is_some())
        .map(|((l, _), &(x, y, _))| (*l, x, y))
        .collect();
    let unlabelled = labels
        .iter()
        .zip(&placed)
        .zip(&at)
        .filter(|((l, p), (x, y, _))| {
            !l.is_empty()
                && p.is_none()
                && !written
                    .iter()
                    .any(|(n, nx, ny)| n == *l && (nx - x).hypot(ny - y) < 20.0)
        })
        .count();
    if unlabelled > 0 {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="12" font-size="9" text-anchor="end" font-family="{FONT}" fill="#444">{unlabelled} more not labelled (no room)</text>"##,
            w - 4.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64, label: &str) -> MapPoint {
        MapPoint {
            lat,
            lon,
            label: label.into(),
            colour: "#b2182b".into(),
            radius: 5.0,
        }
    }

    #[test]
    fn drawings_escape_text_and_hold_their_points() {
        let chart = index_chart(
            &[("2026-03-01".into(), 50.0), ("<b>".into(), 80.0)],
            300,
            120,
        );
        assert!(chart.contains("&lt;b&gt;") && !chart.contains("<b>"));
        assert!(chart.contains("<polyline"));
        let map = point_map(&[point(35.8, 36.6, "Ariha & <co>")], 400, 300);
        assert!(map.contains("Ariha &amp; &lt;co&gt;"));
        assert_eq!(map.matches("<circle").count(), 1);
        assert!(point_map(&[], 100, 100).contains("No incident"));
    }

    #[test]
    fn the_map_draws_the_borders_around_its_points() {
        let map = point_map(
            &[
                point(35.8, 36.6, "Ariha"),
                point(36.2, 37.16, "Aleppo"),
                point(35.95, 39.01, "Raqqa"),
            ],
            600,
            400,
        );
        // Syria and its neighbours (Turkey, Lebanon) are drawn; far countries are not.
        let countries = map.matches(r##"fill="#f4f1ea""##).count() - 1;
        assert!((2..30).contains(&countries), "{countries} countries drawn");
        // Their governorates, dashed, and the Euphrates through Raqqa.
        let provinces = map.matches(r#"stroke-dasharray="3 2""#).count();
        assert!((5..80).contains(&provinces), "{provinces} areas drawn");
        assert!(
            map.contains(r##"fill="none" stroke="#9cc0d9""##),
            "no river"
        );
        assert!(map.len() < 400_000, "{} bytes", map.len());
    }

    #[test]
    fn labels_never_overlap_and_those_without_room_are_counted() {
        // Twenty points on one spot: one label fits beside them, the others are counted.
        let crowd: Vec<MapPoint> = (0..20)
            .map(|k| point(35.8, 36.6, &format!("Place {k}")))
            .collect();
        let at: Vec<(f64, f64, f64)> = vec![(100.0, 100.0, 5.0); 20];
        let labels: Vec<&str> = crowd.iter().map(|p| p.label.as_str()).collect();
        let placed = place_labels(&at, &labels, 400.0, 300.0);
        let boxes: Vec<Box2> = placed
            .iter()
            .zip(&labels)
            .filter_map(|(p, l)| {
                let (x, y, anchor) = (*p)?;
                let wdt = l.chars().count() as f64 * 6.0;
                let x0 = match anchor {
                    "start" => x,
                    "end" => x - wdt,
                    _ => x - wdt / 2.0,
                };
                Some([x0, y - 10.0, x0 + wdt, y])
            })
            .collect();
        assert!(
            !boxes.is_empty() && boxes.len() <= 4,
            "{} placed",
            boxes.len()
        );
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} {b:?}");
            }
        }
        let map = point_map(&crowd, 400, 300);
        assert!(map.contains("more not labelled"), "the map says so");
        // Two incidents in one town: the town is named once, and nothing is said missing.
        let twice = place_labels(
            &[(100.0, 100.0, 5.0), (102.0, 101.0, 5.0)],
            &["Aleppo", "Aleppo"],
            400.0,
            300.0,
        );
        assert!(twice[0].is_some() && twice[1].is_none());
        let map = point_map(
            &[point(36.2, 37.16, "Aleppo"), point(36.2, 37.16, "Aleppo")],
            400,
            300,
        );
        assert_eq!(map.matches(">Aleppo<").count(), 1);
        assert!(!map.contains("more not labelled"));
        // A label at the right edge goes to the left of its point.
        let edge = place_labels(&[(395.0, 150.0, 3.0)], &["Edge town"], 400.0, 300.0);
        assert_eq!(edge[0].map(|p| p.2), Some("end"));
    }

    #[test]
    fn the_chart_is_dated_along_its_axis() {
        let days: Vec<(String, f64)> = (1..=30)
            .map(|d| (format!("2025-05-{d:02}"), 50.0))
            .collect();
        let chart = index_chart(&days, 600, 160);
        for d in ["2025-05-01", "2025-05-30"] {
            assert!(chart.contains(d), "{d}");
        }
        assert_eq!(chart.matches("2025-05-").count(), 5);
        assert_eq!(date_ticks(3), vec![0, 1, 2]);
        assert_eq!(date_ticks(9), vec![0, 2, 4, 6, 8]);
    }
}
