//! Export throughput without the database: 200,000 generated incidents (one to five sources,
//! tolls, perpetrators, targets, places in a 6 x 8 degree region) written in each format to a
//! sink that counts bytes. Prints MB/s per format.
//!
//! `cargo bench -p truce-report --bench export`

use std::io::Write;
use std::time::Instant;

use truce_model::{Attribution, Count, EventRef, Incident, Location};
use truce_report::{ExportFormat, ExportRow, Exporter, RecordRow};

struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn incident(n: u64) -> Incident {
    let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let day = 1 + (h % 28);
    Incident {
        event_type: [
            "Explosions/Remote violence",
            "Battles",
            "Violence against civilians",
        ][(h % 3) as usize]
            .into(),
        sub_event_type: Some("Shelling/artillery/missile attack".into()),
        date: format!("2025-05-{day:02}").parse().ok(),
        date_end: None,
        time_precision: 1,
        location: Some(Location {
            name: format!("Town {}", h % 2000),
            geonameid: None,
            lat: Some(32.0 + (h % 6000) as f64 / 1000.0),
            lon: Some(35.5 + (h % 8000) as f64 / 1000.0),
            country: Some("SY".into()),
            admin1: Some("Idlib".into()),
            admin2: Some("Ariha".into()),
            geo_precision: Some(1),
        }),
        fatalities: Some(Count {
            low: Some((h % 20) as u32),
            best: Some((h % 20) as u32),
            high: Some((h % 25) as u32),
        }),
        fatalities_from: None,
        injured: None,
        perpetrators: vec![Attribution {
            name: "Military Forces of Syria (2000-)".into(),
            sources: 2,
            inter: None,
            named_by: Vec::new(),
        }],
        target: Some("medical".into()),
        civilian_targeting: Some(h.is_multiple_of(2)),
        first_reported: format!("2025-05-{day:02}").parse().ok(),
        last_reported: format!("2025-05-{day:02}").parse().ok(),
        sources: (0..1 + h % 5)
            .map(|s| EventRef {
                document: (n * 8 + s) as i64,
                ordinal: 0,
            })
            .collect(),
        claims: Vec::new(),
    }
}

fn report(what: &str, format: ExportFormat, n: u64, bytes: u64, secs: f64) {
    println!(
        "{:<10} {what:<21} {n} incidents, {:.1} MB in {:.2} s: {:.0} MB/s, {:.0} incidents/s",
        format.as_str(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs,
        n as f64 / secs
    );
}

fn row<'a>(i: usize, incident: &'a Incident, alerts: &'a [String]) -> ExportRow<'a> {
    ExportRow {
        id: i as i64,
        incident,
        status: "confirmed",
        verdict: Some("likely violation"),
        agreement: Some("Bench truce v1"),
        alerts,
        updated: 1_700_000_000,
    }
}

fn main() {
    let n = 200_000u64;
    let incidents: Vec<Incident> = (0..n).map(incident).collect();
    // The records as the store holds them: what an export's formatting threads start from.
    let records: Vec<String> = incidents
        .iter()
        .map(|i| serde_json::to_string(i).expect("a record"))
        .collect();
    let alerts = vec!["strike on a known medical facility".to_string()];
    for format in [
        ExportFormat::AcledCsv,
        ExportFormat::UcdpCsv,
        ExportFormat::Geojson,
        ExportFormat::Jsonl,
    ] {
        let started = Instant::now();
        let mut counter = Counter(0);
        {
            let mut e = Exporter::new(format, &mut counter).expect("an exporter");
            for (i, incident) in incidents.iter().enumerate() {
                e.write(&row(i, incident, &alerts)).expect("written");
            }
            e.finish().expect("finished");
        }
        report(
            "formatting",
            format,
            n,
            counter.0,
            started.elapsed().as_secs_f64(),
        );

        // What one formatting thread of `truce export` does: read a page of records (JSON
        // text, as the store holds them) and format it into a buffer.
        let started = Instant::now();
        let mut bytes = 0;
        let mut page = Vec::new();
        for (p, chunk) in records.chunks(4000).enumerate() {
            let rows: Vec<RecordRow<'_>> = chunk
                .iter()
                .enumerate()
                .map(|(i, record)| RecordRow {
                    id: (p * 4000 + i) as i64,
                    incident: record,
                    status: "confirmed",
                    verdict: Some("likely violation"),
                    agreement: Some("Bench truce v1"),
                    alerts: &alerts,
                    updated: 1_700_000_000,
                })
                .collect();
            page.clear();
            truce_report::format_records(format, &rows, p == 0, &mut page).expect("formatted");
            bytes += page.len() as u64;
        }
        report(
            "reading + formatting",
            format,
            n,
            bytes,
            started.elapsed().as_secs_f64(),
        );
    }
}
