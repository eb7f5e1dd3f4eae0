//! Small SVG drawings for reports: the health index over time and a map of the day's incidents.
//! Hand-written SVG (no fonts or libraries needed); every text is escaped (`html-escape`).

use std::fmt::Write;

/// Escapes text for XML and HTML, in text and in quoted attributes (`&`, `<`, `>`, `"`, `'`).
pub use html_escape::encode_quoted_attribute as escape;

/// A line chart of values from 0 to 100 over labelled days (the first and last labels shown).
pub fn index_chart(points: &[(String, f64)], width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let (left, right, top, bottom) = (34.0, 8.0, 10.0, 22.0);
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
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" font-family="sans-serif">{v}</text>"##,
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
        let _ = write!(
            s,
            r#"<text x="{left}" y="{:.1}" font-size="10" font-family="sans-serif">{}</text><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" font-family="sans-serif">{}</text>"#,
            h - 6.0,
            escape(&points[0].0),
            left + plot_w,
            h - 6.0,
            escape(&points[n - 1].0)
        );
    }
    s.push_str("</svg>");
    s
}

/// A point on the report's map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapPoint {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Label (a place name), drawn for the first few points.
    pub label: String,
    /// Fill colour (`#b2182b`).
    pub colour: String,
    /// Radius in pixels.
    pub radius: f64,
}

/// A map of points on a graticule (whole degrees), framed around them.
pub fn point_map(points: &[MapPoint], width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Map of the day's incidents">"#
    );
    let _ = write!(
        s,
        r##"<rect width="{width}" height="{height}" fill="#f4f1ea"/>"##
    );
    if points.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" font-family="sans-serif">No incident with a known place</text></svg>"#,
            w / 2.0,
            h / 2.0
        );
        return s;
    }
    let (mut s_lat, mut n_lat, mut w_lon, mut e_lon) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in points {
        s_lat = s_lat.min(p.lat);
        n_lat = n_lat.max(p.lat);
        w_lon = w_lon.min(p.lon);
        e_lon = e_lon.max(p.lon);
    }
    // At least a degree across, with a margin, and the map's aspect ratio.
    let pad = 0.25;
    let (mut s_lat, mut n_lat, mut w_lon, mut e_lon) =
        (s_lat - pad, n_lat + pad, w_lon - pad, e_lon + pad);
    let mid_lat = (s_lat + n_lat) / 2.0;
    let k = mid_lat.to_radians().cos().max(0.2);
    let span_lon = (e_lon - w_lon).max(1.0);
    let span_lat = (n_lat - s_lat).max(1.0);
    let (want_lon, want_lat) = if span_lon * k / span_lat > w / h {
        (span_lon, span_lon * k * h / w)
    } else {
        (span_lat * w / h / k, span_lat)
    };
    let (c_lon, c_lat) = ((w_lon + e_lon) / 2.0, (s_lat + n_lat) / 2.0);
    w_lon = c_lon - want_lon / 2.0;
    e_lon = c_lon + want_lon / 2.0;
    s_lat = c_lat - want_lat / 2.0;
    n_lat = c_lat + want_lat / 2.0;
    let x = |lon: f64| (lon - w_lon) / (e_lon - w_lon) * w;
    let y = |lat: f64| (n_lat - lat) / (n_lat - s_lat) * h;
    let mut lon = w_lon.ceil();
    while lon <= e_lon {
        let _ = write!(
            s,
            r##"<line x1="{0:.1}" y1="0" x2="{0:.1}" y2="{h}" stroke="#ccc"/><text x="{1:.1}" y="{2:.1}" font-size="9" font-family="sans-serif" fill="#777">{3}°E</text>"##,
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
            r##"<line x1="0" y1="{0:.1}" x2="{w}" y2="{0:.1}" stroke="#ccc"/><text x="2" y="{1:.1}" font-size="9" font-family="sans-serif" fill="#777">{2}°N</text>"##,
            y(lat),
            y(lat) - 2.0,
            lat
        );
        lat += 1.0;
    }
    for p in points {
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="{}" fill-opacity="0.8" stroke="#333" stroke-width="0.8"/>"##,
            x(p.lon),
            y(p.lat),
            p.radius,
            escape(&p.colour)
        );
    }
    for p in points.iter().take(12) {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="10" font-family="sans-serif">{}</text>"#,
            x(p.lon) + p.radius + 2.0,
            y(p.lat) + 3.0,
            escape(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawings_escape_text_and_hold_their_points() {
        let chart = index_chart(
            &[("2026-03-01".into(), 50.0), ("<b>".into(), 80.0)],
            300,
            120,
        );
        assert!(chart.contains("&lt;b&gt;") && !chart.contains("<b>"));
        assert!(chart.contains("<polyline"));
        let map = point_map(
            &[MapPoint {
                lat: 35.8,
                lon: 36.6,
                label: "Ariha & <co>".into(),
                colour: "#b2182b".into(),
                radius: 5.0,
            }],
            400,
            300,
        );
        assert!(map.contains("Ariha &amp; &lt;co&gt;"));
        assert_eq!(map.matches("<circle").count(), 1);
        assert!(point_map(&[], 100, 100).contains("No incident"));
    }
}
