//! The daily report as a PDF, written directly: A4 pages, the standard Helvetica faces (which
//! every PDF reader has, so nothing is embedded), text wrapped to the page, the health index and
//! the map drawn as vector graphics. No browser, no fonts on disk, no network.
//!
//! Helvetica covers Latin-1 (WinAnsiEncoding); other characters are written in their nearest
//! ASCII spelling (deunicode: Arīḩā as Ariha, Харків as Kharkiv), and `?` when there is none:
//! the HTML report shows them as they are.

use std::fmt::Write;

use crate::daily::DailyReport;

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const MARGIN: f64 = 50.0;

/// Helvetica's advance widths (per 1000 em) for ASCII 32..=126.
const WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

fn width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            let w = match c as u32 {
                32..=126 => WIDTHS[(c as u32 - 32) as usize],
                _ => 556,
            };
            f64::from(w) * size / 1000.0
        })
        .sum()
}

/// Text as a PDF string literal in WinAnsiEncoding (Latin-1 here), escaped.
fn literal(text: &str) -> String {
    let mut s = String::from("(");
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                s.push('\\');
                s.push(c);
            }
            '\u{2018}' | '\u{2019}' => s.push('\''),
            '\u{201C}' | '\u{201D}' => s.push('"'),
            '\u{2013}' | '\u{2014}' => s.push('-'),
            ' '..='~' => s.push(c),
            '\u{a0}'..='\u{ff}' => {
                let _ = write!(s, "\\{:03o}", c as u32);
            }
            // Outside Latin-1: the nearest ASCII spelling (Arīḩā as Ariha), else '?'.
            _ => match deunicode::deunicode_char(c) {
                Some(a) if !a.is_empty() && a.chars().all(|c| (' '..='~').contains(&c)) => {
                    for c in a.chars() {
                        if matches!(c, '(' | ')' | '\\') {
                            s.push('\\');
                        }
                        s.push(c);
                    }
                }
                _ => s.push('?'),
            },
        }
    }
    s.push(')');
    s
}

struct Writer {
    pages: Vec<String>,
    page: String,
    y: f64,
}

impl Writer {
    fn new() -> Self {
        Writer {
            pages: Vec::new(),
            page: String::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn room(&mut self, needed: f64) {
        if self.y - needed < MARGIN {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        let done = std::mem::take(&mut self.page);
        self.pages.push(done);
        self.y = PAGE_H - MARGIN;
    }

    fn text_at(&mut self, x: f64, y: f64, size: f64, bold: bool, text: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.page,
            "BT /{font} {size} Tf {x:.1} {y:.1} Td {} Tj ET",
            literal(text)
        );
    }

    /// Writes a paragraph wrapped to the text width.
    fn paragraph(&mut self, text: &str, size: f64, bold: bool, indent: f64) {
        let max = PAGE_W - 2.0 * MARGIN - indent;
        let mut line = String::new();
        let mut lines = Vec::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size) > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        for l in lines {
            self.room(size * 1.35);
            self.y -= size * 1.35;
            self.text_at(MARGIN + indent, self.y, size, bold, &l);
        }
    }

    fn heading(&mut self, text: &str, size: f64) {
        self.room(size * 3.0);
        self.y -= size * 0.8;
        self.paragraph(text, size, true, 0.0);
        self.y -= size * 0.3;
    }

    /// A table: columns at fixed offsets, text cut to fit.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>], columns: &[f64], size: f64) {
        let draw = |w: &mut Writer, cells: &[String], bold: bool| {
            w.room(size * 1.4);
            w.y -= size * 1.4;
            for (i, cell) in cells.iter().enumerate() {
                let x = MARGIN + columns[i];
                let room = columns
                    .get(i + 1)
                    .map_or(PAGE_W - MARGIN - x, |n| n - columns[i])
                    - 4.0;
                let mut t = cell.clone();
                while width(&t, size) > room && !t.is_empty() {
                    t.pop();
                }
                w.text_at(x, w.y, size, bold, &t);
            }
        };
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        draw(self, &header, true);
        for r in rows {
            draw(self, r, false);
        }
        self.y -= size * 0.5;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.page.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        self.pages
    }
}

/// The health index chart: a framed box with gridlines at 0, 50 and 100 and the index's line.
fn chart(w: &mut Writer, values: &[f64], height: f64) {
    w.room(height + 10.0);
    let (x0, y0) = (MARGIN + 24.0, w.y - height);
    let width = PAGE_W - 2.0 * MARGIN - 24.0;
    let _ = writeln!(w.page, "0.8 G 0.5 w");
    for v in [0.0, 50.0, 100.0] {
        let y = y0 + height * v / 100.0;
        let _ = writeln!(w.page, "{x0:.1} {y:.1} m {:.1} {y:.1} l S", x0 + width);
        let label = format!("{v:.0}");
        w.text_at(MARGIN, y - 3.0, 8.0, false, &label);
    }
    if !values.is_empty() {
        let _ = writeln!(w.page, "0.12 0.44 0.55 RG 1.5 w");
        let n = values.len();
        for (i, v) in values.iter().enumerate() {
            let x = if n == 1 {
                x0 + width / 2.0
            } else {
                x0 + width * i as f64 / (n - 1) as f64
            };
            let y = y0 + height * v.clamp(0.0, 100.0) / 100.0;
            let _ = write!(w.page, "{x:.1} {y:.1} {} ", if i == 0 { "m" } else { "l" });
        }
        let _ = writeln!(w.page, "S 0 G 0 g");
    }
    w.y = y0 - 6.0;
}

/// The map: a box framed around the points, a graticule of whole degrees, one disc a point.
fn map(w: &mut Writer, points: &[crate::svg::MapPoint], height: f64) {
    if points.is_empty() {
        w.paragraph("No incident with a known place.", 10.0, false, 0.0);
        return;
    }
    w.room(height + 10.0);
    let width = PAGE_W - 2.0 * MARGIN;
    let (x0, y0) = (MARGIN, w.y - height);
    let lat = |f: fn(f64, f64) -> f64, start: f64| points.iter().map(|p| p.lat).fold(start, f);
    let lon = |f: fn(f64, f64) -> f64, start: f64| points.iter().map(|p| p.lon).fold(start, f);
    let (mut s, mut n) = (lat(f64::min, 90.0) - 0.25, lat(f64::max, -90.0) + 0.25);
    let (mut west, mut east) = (lon(f64::min, 180.0) - 0.25, lon(f64::max, -180.0) + 0.25);
    let k = ((s + n) / 2.0).to_radians().cos().max(0.2);
    let (span_lon, span_lat) = ((east - west).max(1.0), (n - s).max(1.0));
    let (want_lon, want_lat) = if span_lon * k / span_lat > width / height {
        (span_lon, span_lon * k * height / width)
    } else {
        (span_lat * width / height / k, span_lat)
    };
    let (c_lon, c_lat) = ((west + east) / 2.0, (s + n) / 2.0);
    (west, east) = (c_lon - want_lon / 2.0, c_lon + want_lon / 2.0);
    (s, n) = (c_lat - want_lat / 2.0, c_lat + want_lat / 2.0);
    let x = |v: f64| x0 + (v - west) / (east - west) * width;
    let y = |v: f64| y0 + (v - s) / (n - s) * height;
    let _ = writeln!(
        w.page,
        "0.957 0.945 0.918 rg {x0:.1} {y0:.1} {width:.1} {height:.1} re f 0.8 G 0.5 w"
    );
    let mut g = west.ceil();
    while g <= east {
        let _ = writeln!(
            w.page,
            "{0:.1} {y0:.1} m {0:.1} {1:.1} l S",
            x(g),
            y0 + height
        );
        w.text_at(x(g) + 2.0, y0 + 3.0, 7.0, false, &format!("{g}E"));
        g += 1.0;
    }
    let mut g = s.ceil();
    while g <= n {
        let _ = writeln!(
            w.page,
            "{x0:.1} {0:.1} m {1:.1} {0:.1} l S",
            y(g),
            x0 + width
        );
        w.text_at(x0 + 2.0, y(g) + 2.0, 7.0, false, &format!("{g}N"));
        g += 1.0;
    }
    for p in points {
        let (r, gr, b) = hex(&p.colour);
        let (cx, cy, rad) = (x(p.lon), y(p.lat), p.radius * 0.8);
        // A disc from four Bezier curves.
        let c = rad * 0.552;
        let _ = writeln!(
            w.page,
            "{r:.3} {gr:.3} {b:.3} rg 0.2 G {:.1} {cy:.1} m {:.1} {:.1} {:.1} {:.1} {cx:.1} {:.1} c \
             {:.1} {:.1} {:.1} {:.1} {:.1} {cy:.1} c {:.1} {:.1} {:.1} {:.1} {cx:.1} {:.1} c \
             {:.1} {:.1} {:.1} {:.1} {:.1} {cy:.1} c b",
            cx + rad,
            cx + rad,
            cy + c,
            cx + c,
            cy + rad,
            cy + rad,
            cx - c,
            cy + rad,
            cx - rad,
            cy + c,
            cx - rad,
            cx - rad,
            cy - c,
            cx - c,
            cy - rad,
            cy - rad,
            cx + c,
            cy - rad,
            cx + rad,
            cy - c,
            cx + rad
        );
    }
    let _ = writeln!(w.page, "0 g 0 G");
    for p in points.iter().take(12) {
        w.text_at(
            x(p.lon) + p.radius + 2.0,
            y(p.lat) - 3.0,
            8.0,
            false,
            &p.label,
        );
    }
    w.y = y0 - 6.0;
}

fn hex(colour: &str) -> (f64, f64, f64) {
    let c = colour.trim_start_matches('#');
    let part = |i: usize| {
        c.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.5, |v| f64::from(v) / 255.0)
    };
    (part(0), part(2), part(4))
}

/// Renders the report as PDF bytes.
pub fn render(r: &DailyReport) -> Vec<u8> {
    let mut w = Writer::new();
    w.heading(&format!("Daily situation report: {}", r.date), 18.0);
    let mut by = format!("Produced by {}.", r.producer);
    if let Some(a) = &r.agreement {
        by = format!("Agreement in force: {a}. {by}");
    }
    w.paragraph(&by, 9.0, false, 0.0);
    w.heading("Summary", 13.0);
    w.paragraph(&r.summary(), 10.0, false, 0.0);

    w.heading("Ceasefire health index", 13.0);
    match r.health.last() {
        Some(h) => {
            let values: Vec<f64> = r.health.iter().map(|p| p.index).collect();
            w.y -= 10.0;
            chart(&mut w, &values, 110.0);
            w.paragraph(&crate::daily::health_sentence(h), 9.0, false, 0.0);
            if !r.health_by_area.is_empty() {
                let t = r.area_table();
                w.table(&t.header, &t.rows, &[0.0, 200.0, 260.0], 9.0);
            }
        }
        None => w.paragraph("No agreement was in force on this day.", 10.0, false, 0.0),
    }

    w.heading("Counts", 13.0);
    // The page holds six columns: the changes are left to the HTML and Markdown reports.
    let t = r.counts_table();
    let keep = [0, 1, 2, 3, 4, 6];
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|row| keep.iter().map(|&k| row[k].clone()).collect())
        .collect();
    let header: Vec<&str> = keep.iter().map(|&k| t.header[k]).collect();
    w.table(
        &header,
        &rows,
        &[0.0, 70.0, 290.0, 340.0, 385.0, 440.0],
        8.5,
    );

    w.room(300.0);
    w.heading("Map", 13.0);
    map(&mut w, &r.points, 260.0);

    if !r.alerts.is_empty() {
        w.heading("Alerts", 13.0);
        for a in &r.alerts {
            w.paragraph(&format!("- {a}"), 9.5, true, 0.0);
        }
    }
    w.heading("Notable incidents", 13.0);
    if r.notable.is_empty() {
        w.paragraph("None.", 10.0, false, 0.0);
    }
    for n in &r.notable {
        w.paragraph(
            &format!("Incident {}: {} in {}", n.id, n.event_type, n.place),
            10.5,
            true,
            0.0,
        );
        w.paragraph(
            &format!(
                "Deaths: {}. Alleged perpetrator(s): {}. Assessment: {}. Review: {}.{}",
                n.fatalities,
                if n.perpetrators.is_empty() {
                    "none named".into()
                } else {
                    n.perpetrators.join(", ")
                },
                n.verdict.as_deref().unwrap_or("not assessed"),
                n.status,
                if n.alerts.is_empty() {
                    String::new()
                } else {
                    format!(" {}.", n.alerts.join("; "))
                }
            ),
            9.5,
            false,
            0.0,
        );
        for s in &n.sources {
            let mut line = format!("- {}", s.title);
            if let Some(u) = &s.url {
                line.push_str(&format!(" <{u}>"));
            }
            w.paragraph(&line, 9.0, false, 10.0);
            if let Some(t) = &s.sentence {
                w.paragraph(&format!("\"{t}\""), 8.5, false, 20.0);
            }
        }
        w.y -= 4.0;
    }
    w.heading("Statements", 13.0);
    if r.statements.is_empty() {
        w.paragraph("None recorded.", 10.0, false, 0.0);
    }
    for s in &r.statements {
        w.paragraph(
            &format!("{}: \"{}\" ({})", s.speaker, s.text, s.source),
            9.5,
            false,
            0.0,
        );
    }
    w.heading("Talks", 13.0);
    if r.talks.is_empty() {
        w.paragraph("None mentioned.", 10.0, false, 0.0);
    }
    for t in &r.talks {
        w.paragraph(&format!("- {t}"), 9.5, false, 0.0);
    }
    w.heading("Audit log", 13.0);
    w.paragraph(
        &crate::daily::audit_sentence(r.audit_head.as_deref()),
        10.0,
        false,
        0.0,
    );
    if let Some(h) = &r.audit_head {
        w.paragraph(h, 7.0, false, 0.0);
    }
    document(&w.finish(), &format!("Daily situation report {}", r.date))
}

/// Assembles pages into a PDF file: catalogue, page tree, two fonts, one content stream a page,
/// and the cross-reference table.
fn document(pages: &[String], title: &str) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1 catalogue, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page and content pairs.
    let first_page = 6;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .into(),
    );
    objects.push(format!("<< /Title {} /Producer (truce) >>", literal(title)));
    for (i, content) in pages.iter().enumerate() {
        let content_id = first_page + 2 * i + 1;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(tail, "{o:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_latin1_encoded() {
        assert_eq!(literal("a(b)\\c"), "(a\\(b\\)\\\\c)");
        assert_eq!(literal("café"), "(caf\\351)");
        assert_eq!(literal("Arīḩā"), "(Ariha)");
        assert_eq!(literal("\u{E000}"), "(?)");
    }

    #[test]
    fn a_document_has_a_valid_cross_reference_table() {
        let mut pdf = document(&["BT /F1 12 Tf 50 700 Td (x) Tj ET\n".into()], "t");
        // The header's binary comment, made ASCII byte for byte so that offsets stay true.
        for b in pdf.iter_mut().filter(|b| **b > 127) {
            *b = b'?';
        }
        let text = String::from_utf8(pdf).unwrap();
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(text[startxref..].starts_with("xref"));
        // Every offset in the table points at its object.
        for (n, line) in text[startxref..].lines().skip(3).take(7).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", n + 1)),
                "{line}"
            );
        }
    }
}
