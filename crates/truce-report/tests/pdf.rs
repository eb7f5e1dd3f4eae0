//! The PDF report typeset with its text as written: Arabic, Cyrillic and Latin names printed (read
//! back out of the PDF with pdftotext), markup characters in reports set as text, links only for
//! web addresses, and nothing fetched or looked up on the machine.

use std::collections::BTreeMap;
use std::process::Command;

use chrono::NaiveDate;
use truce_monitor::{CountRow, DayCounts};
use truce_report::daily::{DailyReport, NotableIncident, ReportSource, ReportStatement};
use truce_report::svg::MapPoint;

fn report() -> DailyReport {
    let date = NaiveDate::from_ymd_opt(2025, 5, 14).unwrap();
    DailyReport {
        date,
        agreement: Some("Aleppo test truce v1".into()),
        producer: "truce test".into(),
        counts: DayCounts {
            date,
            total: 2,
            fatalities: 5,
            previous_day: 1,
            week_before: 0,
            rows: vec![CountRow {
                dimension: "area".into(),
                key: "إدلب Idlib".into(),
                day: 2,
                fatalities: 5,
                previous_day: 1,
                week_before: 0,
            }],
        },
        verdicts: BTreeMap::new(),
        health: Vec::new(),
        health_by_area: Vec::new(),
        points: vec![
            MapPoint {
                lat: 35.81,
                lon: 36.61,
                label: "أريحا".into(),
                colour: "#b2182b".into(),
                radius: 6.0,
            },
            MapPoint {
                lat: 49.99,
                lon: 36.23,
                label: "Харків".into(),
                colour: "#2166ac".into(),
                radius: 4.0,
            },
        ],
        notable: vec![NotableIncident {
            id: 7,
            place: "أريحا (Ariha)".into(),
            event_type: "Explosions/Remote violence".into(),
            fatalities: "3-5".into(),
            perpetrators: vec!["Military Forces of Syria".into()],
            verdict: Some(truce_model::Verdict::LikelyViolation),
            alerts: vec!["strike on a known medical facility".into()],
            status: "unverified".into(),
            sources: vec![
                ReportSource {
                    title: "قصف على سوق أريحا".into(),
                    url: Some("https://example.org/ariha".into()),
                    sentence: Some("Shells hit the market of Ariha at noon.".into()),
                },
                ReportSource {
                    title: "A field note with *stars*, #hashes, $dollars$ and [brackets]".into(),
                    url: Some("javascript:alert(1)".into()),
                    sentence: None,
                },
            ],
        }],
        alerts: vec!["Incident 7: 0.2 km from Al-Nour Hospital".into()],
        statements: vec![ReportStatement {
            speaker: "Дмитрий Песков, Kremlin spokesman".into(),
            text: "We deny any part in it".into(),
            source: "TASS".into(),
        }],
        talks: Vec::new(),
        audit_head: None,
    }
}

fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn every_script_is_printed_as_written() {
    let pdf = truce_report::pdf::render(&report()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdftotext(&pdf) else {
        eprintln!(
            "SKIPPED reading the PDF back: pdftotext is missing (Debian poppler-utils; .ci/run installs it)"
        );
        return;
    };
    for expected in [
        "Daily situation report: 2025-05-14",
        "Aleppo test truce v1",
        "Харків",
        "Дмитрий Песков",
        "strike on a known medical facility",
        "*stars*, #hashes, $dollars$ and [brackets]",
        "Shells hit the market of Ariha at noon.",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // Arabic comes out in its letters (pdftotext writes right-to-left runs in logical order,
    // with direction marks around them).
    let arabic: String = text
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06ff}').contains(c))
        .collect();
    for word in ["قصف", "سوق", "أريحا", "إدلب"] {
        assert!(
            arabic.contains(&word.replace(' ', "")),
            "{word} not in {arabic}"
        );
    }
    // A web address is a link; anything else is not.
    assert!(text.contains("https://example.org/ariha"));
    assert!(!text.contains("javascript:"), "{text}");
}

#[test]
fn the_fonts_travel_inside_the_file() {
    let pdf = truce_report::pdf::render(&report()).unwrap();
    let out = Command::new("pdffonts").arg("-").output();
    let Ok(_) = out else {
        eprintln!("SKIPPED: pdffonts is missing (Debian poppler-utils)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("DejaVuSans"), "{row}");
        // emb, sub, uni: embedded, subset, with a Unicode map.
        assert!(row.contains("yes yes yes"), "{row}");
    }
}
