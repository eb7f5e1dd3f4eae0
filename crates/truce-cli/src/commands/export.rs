//! `truce export`: incidents in the field's formats, streamed; `truce compare`: truce's record
//! against an ACLED or UCDP file.

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_report::{ExportFormat, ExportMeta, ExportRow, ExternalRecord, RecordRow};
use truce_store::{IncidentRecord, Store};

use super::Context;

/// Arguments of `truce export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `acled-csv`, `ucdp-csv`, `geojson` or `jsonl`.
    #[arg(long)]
    format: String,
    /// Only incidents on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Write here (and the sidecar `FILE.meta.json` beside it) instead of standard output (the
    /// sidecar then goes to standard error).
    #[arg(long)]
    output: Option<PathBuf>,
}

/// Arguments of `truce compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// An ACLED or UCDP GED CSV file.
    file: PathBuf,
    /// `acled` or `ucdp` (default: from the header).
    #[arg(long)]
    format: Option<String>,
    /// One JSON object: matched pairs and the records only one side has.
    #[arg(long)]
    json: bool,
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
}

/// The page after the incident id `after` (in id order: the table's order, the fastest to read),
/// or `None` past the last.
async fn next_page(
    store: &dyn Store,
    since: Option<&str>,
    after: i64,
    size: u32,
) -> anyhow::Result<Option<Page>> {
    let mut records = store.incident_records(since, after, size).await?;
    if records.is_empty() {
        return Ok(None);
    }
    let alerts = records
        .iter_mut()
        .map(|r| {
            truce_pipeline::monitor::standing(std::mem::take(&mut r.alerts))
                .into_iter()
                .map(|a| a.label)
                .collect()
        })
        .collect();
    Ok(Some(Page { records, alerts }))
}

impl Page {
    /// The id of its last incident: where the next page starts.
    fn last_id(&self) -> i64 {
        self.records.last().map_or(0, |r| r.id)
    }

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
                verdict: r.verdict.as_deref(),
                agreement: label(r),
                alerts,
                updated: r.updated_at,
            })
            .collect();
        each(&rows)
    }

    /// Decodes its records and hands each to `each` as an export row.
    fn rows(&self, mut each: impl FnMut(&ExportRow<'_>)) -> anyhow::Result<()> {
        self.record_rows(|rows| {
            for (record, row) in self.records.iter().zip(rows) {
                each(&row.with(&record.incident()?));
            }
            Ok(())
        })
    }
}

/// A formatted page: its bytes and how many incidents they hold.
type Formatted = (Vec<u8>, u64);

/// Writes every incident (dated on or after `since`) to `out` in `format`, in id order; returns
/// how many. The store reads the next page while the last ones are decoded and formatted on
/// blocking threads, and formatted pages are written in order: every core is busy, and memory
/// stays flat (a few pages).
async fn export(
    store: &dyn Store,
    since: Option<&str>,
    format: ExportFormat,
    page_size: u32,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    out.write_all(&format.preamble())?;
    let mut pending: VecDeque<tokio::task::JoinHandle<anyhow::Result<Formatted>>> = VecDeque::new();
    let mut rows = 0;
    let mut write = |done: anyhow::Result<Formatted>| -> anyhow::Result<()> {
        let (bytes, n) = done?;
        out.write_all(&bytes)?;
        rows += n;
        Ok(())
    };
    let (mut after, mut first) = (0, true);
    while let Some(page) = next_page(store, since, after, page_size).await? {
        after = page.last_id();
        pending.push_back(tokio::task::spawn_blocking(move || {
            page.record_rows(|rows| {
                let mut bytes = Vec::with_capacity(rows.len() * 512);
                truce_report::format_records(format, rows, first, &mut bytes)?;
                Ok((bytes, rows.len() as u64))
            })
        }));
        first = false;
        if pending.len() > IN_FLIGHT
            && let Some(job) = pending.pop_front()
        {
            write(job.await?)?;
        }
    }
    for job in pending {
        write(job.await?)?;
    }
    out.write_all(format.epilogue())?;
    out.flush()?;
    Ok(rows)
}

/// Runs `truce export`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let format = ExportFormat::parse(&args.format).ok_or_else(|| {
        anyhow::anyhow!(
            "--format {:?}: use acled-csv, ucdp-csv, geojson or jsonl",
            args.format
        )
    })?;
    if let Some(s) = &args.since {
        anyhow::ensure!(
            truce_pipeline::monitor::day(s).is_some(),
            "--since {s:?} is not a date (YYYY-MM-DD)"
        );
    }
    let store = cx.store().await?;
    // A file is written beside its name and renamed when whole: an export that fails half-way
    // leaves no half file behind to be mistaken for the record.
    let partial = args
        .output
        .as_ref()
        .map(|p| PathBuf::from(format!("{}.partial", p.display())));
    let mut out: Box<dyn Write> = match &partial {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let written = export(
        store.as_ref(),
        args.since.as_deref(),
        format,
        PAGE,
        &mut out,
    )
    .await;
    drop(out);
    let rows = match (written, &partial, &args.output) {
        (Ok(rows), Some(partial), Some(output)) => {
            std::fs::rename(partial, output)
                .with_context(|| format!("cannot write {}", output.display()))?;
            rows
        }
        (Ok(rows), _, _) => rows,
        (Err(e), partial, _) => {
            if let Some(p) = partial {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
    };
    let agreements = truce_pipeline::monitor::agreements(store.as_ref())
        .await?
        .iter()
        .map(|a| a.label())
        .collect();
    let meta = ExportMeta {
        producer: format!("truce {}", env!("CARGO_PKG_VERSION")),
        format: format.as_str().into(),
        agreements,
        health_definition: truce_monitor::HEALTH_DEFINITION.into(),
        since: args.since,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        rows,
    };
    let meta_text = serde_json::to_string_pretty(&meta)?;
    match &args.output {
        Some(p) => {
            let side = PathBuf::from(format!("{}.meta.json", p.display()));
            std::fs::write(&side, meta_text + "\n")
                .with_context(|| format!("cannot write {}", side.display()))?;
            if !cx.quiet {
                eprintln!(
                    "exported {rows} incidents to {} ({})",
                    p.display(),
                    side.display()
                );
            }
        }
        None => {
            if !cx.quiet {
                eprintln!("{meta_text}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An incident in the terms of another dataset.
fn as_record(row: &ExportRow<'_>) -> ExternalRecord {
    let i = row.incident;
    let l = i.location.as_ref();
    ExternalRecord {
        id: row.id.to_string(),
        date: i.date.clone().unwrap_or_default(),
        event_type: i.event_type.clone(),
        sub_event_type: i.sub_event_type.clone(),
        location: l.map(|l| l.name.clone()).unwrap_or_default(),
        admin1: l.and_then(|l| l.admin1.clone()),
        country: l.and_then(|l| l.country.clone()),
        lat: l.and_then(|l| l.lat),
        lon: l.and_then(|l| l.lon),
        fatalities: i.fatalities.and_then(|f| f.low).unwrap_or(0),
        actor: i.perpetrators.first().map(|p| p.name.clone()),
        line: 0,
    }
}

/// Runs `truce compare`.
pub async fn compare(cx: &Context, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut head = String::new();
    {
        use std::io::BufRead;
        std::io::BufReader::new(&file)
            .read_line(&mut head)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
    }
    let format = match args.format.as_deref() {
        Some(f @ ("acled" | "ucdp")) => f.to_string(),
        Some(other) => anyhow::bail!("--format {other:?}: use acled or ucdp"),
        None if head.contains("event_id_cnty") => "acled".into(),
        None if head.contains("type_of_violence") => "ucdp".into(),
        None => anyhow::bail!(
            "{}: neither an ACLED file (no event_id_cnty column) nor a UCDP GED file (no type_of_violence column)",
            args.file.display()
        ),
    };
    let file = std::fs::File::open(&args.file)?;
    let theirs = if format == "acled" {
        truce_report::read_acled(file)
    } else {
        truce_report::read_ucdp(file)
    }
    .with_context(|| format!("{} is not a readable {format} file", args.file.display()))?;
    let since = theirs.iter().map(|r| r.date.clone()).min();
    let store = cx.store().await?;
    let mut ours = Vec::new();
    let mut after = 0;
    while let Some(page) = next_page(store.as_ref(), since.as_deref(), after, PAGE).await? {
        after = page.last_id();
        page.rows(|row| ours.push(as_record(row)))?;
    }
    let c = truce_report::compare(&ours, &theirs);
    if args.json {
        println!("{}", serde_json::to_string(&c)?);
    } else {
        println!(
            "{} in both, {} only in truce, {} only in {} ({} records in the file)",
            c.matched.len(),
            c.only_truce.len(),
            c.only_theirs.len(),
            args.file.display(),
            theirs.len()
        );
        for (a, b) in &c.matched {
            println!(
                "both:   truce {} = {} {}  {} {} ({} / {} killed)",
                a.id, format, b.id, a.date, a.location, a.fatalities, b.fatalities
            );
        }
        for a in &c.only_truce {
            println!(
                "truce:  {} {} {} {}",
                a.id, a.date, a.event_type, a.location
            );
        }
        for b in &c.only_theirs {
            println!(
                "theirs: {} {} {} {} (line {})",
                b.id, b.date, b.event_type, b.location, b.line
            );
        }
    }
    Ok(ExitCode::SUCCESS)
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
                date: Some(format!("2025-05-{:02}", 1 + k % 28)),
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

    /// Pages formatted on blocking threads come out in order, whole, whatever their size: the
    /// same bytes as one page, and as the single-threaded exporter writing the incidents in id
    /// order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pages_are_written_in_order_whatever_their_size() {
        let dir = tempfile::tempdir().unwrap();
        let store = truce_store::open(dir.path().join("t.db").to_str().unwrap())
            .await
            .unwrap();
        let new: Vec<_> = (0..37).map(incident).collect();
        store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
        for format in ["acled-csv", "ucdp-csv", "geojson", "jsonl"] {
            let format = ExportFormat::parse(format).unwrap();
            let mut expected = Vec::new();
            let mut e = truce_report::Exporter::new(format, &mut expected).unwrap();
            let mut after = 0;
            while let Some(page) = next_page(store.as_ref(), None, after, 1000).await.unwrap() {
                after = page.last_id();
                page.rows(|row| e.write(row).unwrap()).unwrap();
            }
            assert_eq!(e.finish().unwrap(), 37);
            for size in [1, 4, 36, 37, 1000] {
                let mut out = Vec::new();
                let n = export(store.as_ref(), None, format, size, &mut out)
                    .await
                    .unwrap();
                assert_eq!(n, 37);
                assert!(out == expected, "{format:?} in pages of {size}");
            }
            let mut out = Vec::new();
            let n = export(store.as_ref(), Some("2025-05-20"), format, 3, &mut out)
                .await
                .unwrap();
            assert_eq!(n, 9, "the 20th to the 28th, {format:?}");
        }
    }
}
