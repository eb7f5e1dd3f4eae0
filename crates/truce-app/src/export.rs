//! Exporting the record in the field's formats (ACLED CSV, UCDP CSV, GeoJSON, JSON lines),
//! streamed: the corrected record, without retracted or discounted incidents unless asked for.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

use truce_report::{ExportFormat, ExportMeta, ExportRow, RecordRow};
use truce_store::{IncidentRecord, Store};

use crate::AppError;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// Only incidents dated on or after this day (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Retracted and discounted incidents too (left out, and counted, otherwise).
    pub include_withdrawn: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    /// Incidents written.
    pub rows: u64,
    /// Retracted or discounted incidents left out.
    pub left_out: u64,
    /// Incidents the format has no row for, left out (undated incidents in the CSV formats;
    /// protests, riots and strategic developments in UCDP GED).
    pub outside_format: u64,
}

/// Incidents a page while exporting.
const PAGE: u32 = 4000;

/// Pages formatted at once, on blocking threads, while the next is read.
const IN_FLIGHT: usize = 2;

/// A page of incidents as read for export: their records still JSON text (decoded where the page
/// is formatted), with the labels of the alerts that stand on their record.
struct Page {
    records: Vec<IncidentRecord>,
    /// The labels of each record's standing alerts, in the same order.
    alerts: Vec<Vec<String>>,
    /// The id of the last incident read (where the next page starts), left out or not.
    last: i64,
    /// Incidents read and left out (retracted or discounted).
    left_out: u64,
}

/// The page after the incident id `after` (in id order: the table's order, the fastest to read),
/// or `None` past the last; retracted and discounted incidents are left out (and counted) unless
/// `include_withdrawn`.
async fn next_page(
    store: &dyn Store,
    since: Option<&str>,
    include_withdrawn: bool,
    after: i64,
    size: u32,
) -> Result<Option<Page>, AppError> {
    let mut records = store.incident_records(since, after, size).await?;
    let Some(last) = records.last().map(|r| r.id) else {
        return Ok(None);
    };
    let read = records.len();
    if !include_withdrawn {
        records.retain(IncidentRecord::stands);
    }
    let left_out = (read - records.len()) as u64;
    let alerts = records
        .iter_mut()
        .map(|r| {
            truce_pipeline::monitor::standing(std::mem::take(&mut r.alerts))
                .into_iter()
                .map(|a| a.alert.label)
                .collect()
        })
        .collect();
    Ok(Some(Page {
        records,
        alerts,
        last,
        left_out,
    }))
}

impl Page {
    /// Hands its rows, records still JSON text, to `each`.
    fn record_rows<T>(&self, each: impl FnOnce(&[RecordRow<'_>]) -> T) -> T {
        // One label per agreement version, not per incident.
        let mut labels: Vec<(&str, i64, String)> = Vec::new();
        for r in &self.records {
            if let Some(name) = &r.agreement {
                let version = r.agreement_version.unwrap_or(0);
                if !labels.iter().any(|(n, v, _)| n == name && *v == version) {
                    let label = truce_monitor::agreement::label(name, version);
                    labels.push((name, version, label));
                }
            }
        }
        let label = |r: &IncidentRecord| {
            let (name, version) = (r.agreement.as_deref()?, r.agreement_version.unwrap_or(0));
            labels
                .iter()
                .find(|(n, v, _)| *n == name && *v == version)
                .map(|(_, _, l)| l.as_str())
        };
        let rows: Vec<RecordRow<'_>> = self
            .records
            .iter()
            .zip(&self.alerts)
            .map(|(r, alerts)| RecordRow {
                id: r.id,
                incident: &r.record,
                status: r.status.as_str(),
                verdict: r.verdict.map(truce_model::Verdict::as_str),
                agreement: label(r),
                alerts,
                updated: r.updated_at,
            })
            .collect();
        each(&rows)
    }

    /// Decodes its records and hands each to `each` as an export row.
    fn rows(&self, mut each: impl FnMut(&ExportRow<'_>)) -> Result<(), AppError> {
        self.record_rows(|rows| {
            for (record, row) in self.records.iter().zip(rows) {
                each(&row.with(&record.incident()?));
            }
            Ok(())
        })
    }
}

/// A formatted page: its bytes, how many incidents they hold, and how many of the page's the
/// format has no row for.
type Formatted = (Vec<u8>, u64, u64);

/// An export as a stream of byte chunks (the preamble, formatted pages in id order, the
/// epilogue): what a file or an HTTP response is written from. The store reads the next page
/// while the last ones are decoded and formatted on blocking threads: every core is busy, and
/// memory stays flat (a few pages), whatever the size of the record.
pub struct ExportStream {
    store: Arc<dyn Store>,
    options: ExportOptions,
    page_size: u32,
    after: i64,
    first: bool,
    reading: bool,
    started: bool,
    ended: bool,
    pending: VecDeque<tokio::task::JoinHandle<std::io::Result<Formatted>>>,
    done: Exported,
}

impl ExportStream {
    /// An export of `store` as the options ask.
    pub fn new(store: Arc<dyn Store>, options: ExportOptions) -> Self {
        Self::with_page_size(store, options, PAGE)
    }

    /// An export read `page_size` incidents at a time.
    fn with_page_size(store: Arc<dyn Store>, options: ExportOptions, page_size: u32) -> Self {
        Self {
            store,
            options,
            page_size,
            after: 0,
            first: true,
            reading: true,
            started: false,
            ended: false,
            pending: VecDeque::new(),
            done: Exported::default(),
        }
    }

    /// The next chunk of bytes, or `None` after the last.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        let format = self.options.format;
        if !self.started {
            self.started = true;
            return Ok(Some(format.preamble()));
        }
        while self.reading && self.pending.len() <= IN_FLIGHT {
            // What the format has no row for is left out where each page is formatted (on
            // every core), not here on the one reading thread.
            let Some(page) = next_page(
                self.store.as_ref(),
                self.options.since.as_deref(),
                self.options.include_withdrawn,
                self.after,
                self.page_size,
            )
            .await?
            else {
                self.reading = false;
                break;
            };
            self.after = page.last;
            self.done.left_out += page.left_out;
            if page.records.is_empty() {
                // Nothing to write (every incident of it left out): the next written page is
                // still the first (a GeoJSON feature list opens without a comma).
                continue;
            }
            let first = self.first;
            self.pending.push_back(tokio::task::spawn_blocking(move || {
                page.record_rows(|rows| {
                    let mut bytes = Vec::with_capacity(rows.len() * 512);
                    let written = truce_report::format_records(format, rows, first, &mut bytes)?;
                    Ok((bytes, written, rows.len() as u64 - written))
                })
            }));
            self.first = false;
        }
        if let Some(job) = self.pending.pop_front() {
            let (bytes, written, outside) = job.await.map_err(std::io::Error::other)??;
            self.done.rows += written;
            self.done.outside_format += outside;
            return Ok(Some(bytes));
        }
        if !self.ended {
            self.ended = true;
            return Ok(Some(format.epilogue().to_vec()));
        }
        Ok(None)
    }

    /// What it has written so far (all of it once [`ExportStream::next_chunk`] said `None`).
    pub fn exported(&self) -> Exported {
        self.done
    }
}

/// Writes every incident the options ask for to `out`, in id order.
pub async fn export(
    store: Arc<dyn Store>,
    options: &ExportOptions,
    out: &mut dyn Write,
) -> Result<Exported, AppError> {
    write_all(ExportStream::new(store, options.clone()), out).await
}

async fn write_all(mut stream: ExportStream, out: &mut dyn Write) -> Result<Exported, AppError> {
    while let Some(chunk) = stream.next_chunk().await? {
        out.write_all(&chunk)?;
    }
    out.flush()?;
    Ok(stream.exported())
}

/// How many incidents an export with these options writes, and how many it leaves out, without
/// formatting them (the sidecar of a streamed export).
pub async fn count(store: &dyn Store, options: &ExportOptions) -> Result<Exported, AppError> {
    let mut after = 0;
    let mut done = Exported::default();
    let since = options.since.as_deref();
    while let Some(page) = next_page(store, since, options.include_withdrawn, after, PAGE).await? {
        after = page.last;
        done.left_out += page.left_out;
        for r in &page.records {
            let held = options
                .format
                .holds_record(&r.record)
                .map_err(|e| r.unreadable(e))?;
            if held {
                done.rows += 1;
            } else {
                done.outside_format += 1;
            }
        }
    }
    Ok(done)
}

/// The sidecar of an export: who wrote it, with which agreements and definitions, how many
/// incidents it holds and how many it left out.
pub async fn meta(
    store: &dyn Store,
    options: &ExportOptions,
    exported: Exported,
) -> Result<ExportMeta, AppError> {
    let agreements = truce_pipeline::monitor::agreements(store)
        .await?
        .iter()
        .map(|a| a.label())
        .collect();
    Ok(ExportMeta {
        producer: format!("truce {}", env!("CARGO_PKG_VERSION")),
        format: options.format.as_str().into(),
        agreements,
        health_definition: truce_monitor::HEALTH_DEFINITION.into(),
        since: options.since.clone(),
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        rows: exported.rows,
        left_out: exported.left_out,
        outside_format: exported.outside_format,
        include_withdrawn: options.include_withdrawn,
    })
}

/// Hands every incident that stands on the record (dated on or after `since`), in id order, to
/// `each` as an export row: what `truce compare` sets against another dataset.
pub async fn each_row(
    store: &dyn Store,
    since: Option<&str>,
    mut each: impl FnMut(&ExportRow<'_>),
) -> Result<Exported, AppError> {
    let mut after = 0;
    let mut done = Exported::default();
    while let Some(page) = next_page(store, since, false, after, PAGE).await? {
        after = page.last;
        done.left_out += page.left_out;
        page.rows(|row| {
            done.rows += 1;
            each(row);
        })?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{Attribution, Count, EventRef, Incident, Location};

    fn incident(k: usize) -> truce_store::NewIncident {
        truce_store::NewIncident {
            id: None,
            incident: Incident {
                event_type: "Explosions/Remote violence".into(),
                sub_event_type: Some("Air/drone strike".into()),
                date: format!("2025-05-{:02}", 1 + k % 28).parse().ok(),
                date_end: None,
                time_precision: 1,
                location: Some(Location {
                    name: format!("Town, \"{k}\""),
                    geonameid: None,
                    lat: Some(35.0 + k as f64 / 1000.0),
                    lon: Some(36.6),
                    country: Some("SY".into()),
                    admin1: Some("Idlib".into()),
                    admin2: None,
                    geo_precision: Some(1),
                }),
                fatalities: Some(Count {
                    low: Some(k as u32 % 4),
                    best: None,
                    high: Some(k as u32 % 7),
                }),
                fatalities_from: None,
                injured: None,
                perpetrators: vec![Attribution {
                    name: "Military Forces of Syria (2024-)".into(),
                    sources: 1,
                    inter: None,
                    named_by: Vec::new(),
                }],
                target: None,
                civilian_targeting: None,
                first_reported: None,
                last_reported: None,
                sources: vec![EventRef {
                    document: k as i64 + 1,
                    ordinal: 0,
                }],
                claims: Vec::new(),
            },
        }
    }

    fn options(format: ExportFormat, since: Option<&str>) -> ExportOptions {
        ExportOptions {
            format,
            since: since.map(str::to_string),
            include_withdrawn: false,
        }
    }

    /// An empty store in a folder of its own (kept as long as the folder).
    async fn fresh_store() -> (tempfile::TempDir, Arc<dyn Store>) {
        let dir = tempfile::tempdir().unwrap();
        let store = truce_store::open(dir.path().join("t.db").to_str().unwrap())
            .await
            .unwrap()
            .into();
        (dir, store)
    }

    /// Pages formatted on blocking threads come out in order, whole, whatever their size: the
    /// same bytes as one page, and as the single-threaded exporter writing the incidents in id
    /// order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_are_written_in_order_whatever_their_size() {
        let (_dir, store) = fresh_store().await;
        let new: Vec<_> = (0..37).map(incident).collect();
        store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
        for format in ["acled-csv", "ucdp-csv", "geojson", "jsonl"] {
            let format = ExportFormat::parse(format).unwrap();
            let mut expected = Vec::new();
            let mut e = truce_report::Exporter::new(format, &mut expected).unwrap();
            let n = each_row(store.as_ref(), None, |row| e.write(row).unwrap())
                .await
                .unwrap();
            assert_eq!(n.rows, 37);
            assert_eq!(e.finish().unwrap(), 37);
            for size in [1, 4, 36, 37, 1000] {
                let mut out = Vec::new();
                let stream =
                    ExportStream::with_page_size(store.clone(), options(format, None), size);
                let n = write_all(stream, &mut out).await.unwrap();
                assert_eq!(n.rows, 37);
                assert!(out == expected, "{format:?} in pages of {size}");
            }
            let mut out = Vec::new();
            let stream =
                ExportStream::with_page_size(store.clone(), options(format, Some("2025-05-20")), 3);
            let n = write_all(stream, &mut out).await.unwrap();
            assert_eq!(n.rows, 9, "the 20th to the 28th, {format:?}");
        }
    }

    /// What the format has no row for (protests in UCDP GED; undated incidents in the CSV
    /// formats) is left out and counted, the same by the stream and by the sidecar's count.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_a_format_has_no_row_for_is_left_out_and_counted() {
        let (_dir, store) = fresh_store().await;
        let new: Vec<_> = (0..12)
            .map(|k| {
                let mut i = incident(k);
                if k % 3 == 0 {
                    i.incident.event_type = "Protests".into();
                    i.incident.sub_event_type = Some("Peaceful protest".into());
                }
                if k == 1 {
                    i.incident.date = None;
                }
                i
            })
            .collect();
        store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
        for (format, rows) in [("ucdp-csv", 7), ("acled-csv", 11), ("geojson", 12)] {
            let format = ExportFormat::parse(format).unwrap();
            let mut out = Vec::new();
            let stream = ExportStream::with_page_size(store.clone(), options(format, None), 5);
            let n = write_all(stream, &mut out).await.unwrap();
            assert_eq!((n.rows, n.outside_format), (rows, 12 - rows), "{format:?}");
            let counted = count(store.as_ref(), &options(format, None)).await.unwrap();
            assert_eq!(counted, n, "{format:?}");
            if format == ExportFormat::UcdpCsv {
                let text = String::from_utf8(out).unwrap();
                assert_eq!(text.lines().count() as u64, 1 + rows);
                assert!(!text.contains("Peaceful protest"));
            }
        }
    }

    /// A page whose every incident is left out writes nothing, and the next written page is
    /// still the first: the GeoJSON stays valid.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn withdrawn_incidents_are_left_out_counted_and_the_output_stays_whole() {
        let (_dir, store) = fresh_store().await;
        let new: Vec<_> = (0..10).map(incident).collect();
        let ids = store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
        for (n, id) in ids.iter().take(3).enumerate() {
            store
                .add_correction(&truce_model::Correction {
                    id: 0,
                    incident_id: *id,
                    kind: truce_model::CorrectionKind::Retraction,
                    field: None,
                    old_value: None,
                    new_value: None,
                    reason: format!("a duplicate ({n})"),
                    corrected_by: "chair".into(),
                    corrected_at: chrono::Utc::now(),
                })
                .await
                .unwrap();
        }
        let format = ExportFormat::parse("geojson").unwrap();
        let mut out = Vec::new();
        let stream = ExportStream::with_page_size(store.clone(), options(format, None), 3);
        let n = write_all(stream, &mut out).await.unwrap();
        assert_eq!((n.rows, n.left_out), (7, 3));
        assert_eq!(
            count(store.as_ref(), &options(format, None)).await.unwrap(),
            n
        );
        let v: serde_json::Value = serde_json::from_slice(&out).expect("valid GeoJSON");
        assert_eq!(v["features"].as_array().unwrap().len(), 7);
        let mut all = options(format, None);
        all.include_withdrawn = true;
        let mut out = Vec::new();
        let n = write_all(
            ExportStream::with_page_size(store.clone(), all, 3),
            &mut out,
        )
        .await
        .unwrap();
        assert_eq!((n.rows, n.left_out), (10, 0));
    }
}
