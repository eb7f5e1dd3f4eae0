//! Exports formatted a page at a time (on several threads, written in order), from decoded
//! incidents or from the records' JSON text, are the same bytes as one exporter writing incident
//! after incident, whatever the page size.

use proptest::prelude::*;
use truce_model::{Attribution, Count, EventRef, Incident, Location};
use truce_report::{ExportFormat, ExportRow, Exporter, RecordRow, format_page, format_records};

const FORMATS: [ExportFormat; 4] = [
    ExportFormat::AcledCsv,
    ExportFormat::UcdpCsv,
    ExportFormat::Geojson,
    ExportFormat::Jsonl,
];

/// Incidents with the awkward parts a CSV or JSON writer must get right: commas, quotes and line
/// breaks in names, no place at all, no toll, non-Latin script; with `undated`, no date either.
fn incidents(n: usize, undated: bool) -> Vec<Incident> {
    let names = [
        "Ariha",
        "Kafr \"Nabl\"",
        "Ma'arat, al-Nu'man",
        "حلب",
        "line\nbreak",
    ];
    (0..n)
        .map(|k| Incident {
            event_type: if k % 3 == 0 {
                "Battles".into()
            } else {
                "Explosions/Remote violence".into()
            },
            sub_event_type: (k % 3 != 0).then(|| "Shelling/artillery/missile attack".into()),
            date: (!undated || k % 7 != 6)
                .then(|| format!("2025-05-{:02}", 1 + k % 28).parse().unwrap()),
            date_end: None,
            time_precision: 1,
            location: (k % 5 != 4).then(|| Location {
                name: names[k % names.len()].into(),
                geonameid: None,
                lat: Some(35.0 + k as f64 / 100.0),
                lon: Some(36.5),
                country: Some("SY".into()),
                admin1: Some("Idlib".into()),
                admin2: None,
                geo_precision: Some(1),
            }),
            fatalities: (k % 2 == 0).then_some(Count {
                low: Some(k as u32 % 9),
                best: None,
                high: Some(k as u32 % 9 + 2),
            }),
            fatalities_from: None,
            injured: None,
            perpetrators: vec![Attribution {
                name: "Military Forces of Syria (2024-)".into(),
                sources: 2,
                inter: None,
                named_by: Vec::new(),
            }],
            target: (k % 4 == 1).then(|| "hospital".into()),
            civilian_targeting: Some(k % 4 == 1),
            first_reported: "2025-05-20".parse().ok(),
            last_reported: None,
            sources: vec![EventRef {
                document: k as i64 + 1,
                ordinal: 0,
            }],
            claims: Vec::new(),
        })
        .collect()
}

fn rows<'a>(incidents: &'a [Incident], alerts: &'a [String]) -> Vec<ExportRow<'a>> {
    incidents
        .iter()
        .enumerate()
        .map(|(k, incident)| ExportRow {
            id: k as i64 + 1,
            incident,
            status: "unverified",
            verdict: (k % 2 == 1).then_some("likely violation"),
            agreement: (k % 2 == 1).then_some("Test truce v1"),
            alerts: if k % 4 == 1 { alerts } else { &[] },
            updated: 1_750_000_000,
        })
        .collect()
}

fn whole(format: ExportFormat, rows: &[ExportRow<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Exporter::new(format, &mut out).unwrap();
    for r in rows {
        e.write(r).unwrap();
    }
    let held = rows
        .iter()
        .filter(|r| format.holds(&r.incident.event_type, r.incident.date.is_some()))
        .count();
    assert_eq!(e.finish().unwrap(), held as u64);
    out
}

fn paged(format: ExportFormat, rows: &[ExportRow<'_>], page: usize) -> Vec<u8> {
    let mut out = format.preamble();
    for (k, chunk) in rows.chunks(page).enumerate() {
        format_page(format, chunk, k == 0, &mut out).unwrap();
    }
    out.extend_from_slice(format.epilogue());
    out
}

/// The same pages formatted from the records' JSON text, as `truce export` formats them.
fn paged_records(format: ExportFormat, rows: &[ExportRow<'_>], page: usize) -> Vec<u8> {
    let records: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(r.incident).unwrap())
        .collect();
    let rows: Vec<RecordRow<'_>> = rows
        .iter()
        .zip(&records)
        .map(|(r, record)| RecordRow {
            id: r.id,
            incident: record,
            status: r.status,
            verdict: r.verdict,
            agreement: r.agreement,
            alerts: r.alerts,
            updated: r.updated,
        })
        .collect();
    let mut out = format.preamble();
    for (k, chunk) in rows.chunks(page).enumerate() {
        format_records(format, chunk, k == 0, &mut out).unwrap();
    }
    out.extend_from_slice(format.epilogue());
    out
}

#[test]
fn a_record_that_cannot_be_read_is_an_error_naming_its_incident() {
    for format in FORMATS {
        for bad in [
            "",
            "{",
            "[1, 2]",
            "{\"event_type\": 7}",
            "\u{0}\u{ff}binary",
        ] {
            let row = RecordRow {
                id: 41,
                incident: bad,
                status: "unverified",
                verdict: None,
                agreement: None,
                alerts: &[],
                updated: 0,
            };
            let err = format_records(format, &[row], true, &mut Vec::new()).unwrap_err();
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::InvalidData,
                "{format:?} {bad:?}"
            );
            assert!(err.to_string().starts_with("incident 41: "), "{err}");
        }
    }
}

#[test]
fn pages_join_into_valid_files() {
    let alerts = vec!["strike on a known medical facility".to_string()];
    let incidents = incidents(23, false);
    let rows = rows(&incidents, &alerts);
    let geojson: serde_json::Value =
        serde_json::from_slice(&paged(ExportFormat::Geojson, &rows, 4)).unwrap();
    assert_eq!(geojson["features"].as_array().unwrap().len(), 23);
    let acled = paged(ExportFormat::AcledCsv, &rows, 5);
    let read = truce_report::read_acled(acled.as_slice()).unwrap();
    assert_eq!(read.len(), 23);
    let jsonl = String::from_utf8(paged(ExportFormat::Jsonl, &rows, 6)).unwrap();
    assert_eq!(jsonl.lines().count(), 23);
    // Nothing at all is still a valid file.
    let empty: serde_json::Value =
        serde_json::from_slice(&paged(ExportFormat::Geojson, &[], 4)).unwrap();
    assert_eq!(empty["features"].as_array().unwrap().len(), 0);
    assert_eq!(
        truce_report::read_acled(paged(ExportFormat::AcledCsv, &[], 4).as_slice())
            .unwrap()
            .len(),
        0
    );
}

proptest! {
    #[test]
    fn any_page_size_gives_the_same_bytes(n in 0usize..40, page in 1usize..12) {
        let alerts = vec!["hospital reported hit".to_string(), "a, \"quoted\" label".to_string()];
        let incidents = incidents(n, true);
        let rows = rows(&incidents, &alerts);
        for format in FORMATS {
            let whole = whole(format, &rows);
            prop_assert_eq!(&whole, &paged(format, &rows, page), "{:?}", format);
            prop_assert_eq!(&whole, &paged_records(format, &rows, page), "{:?} from records", format);
        }
    }
}
