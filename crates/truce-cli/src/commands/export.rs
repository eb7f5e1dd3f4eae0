//! `truce export`: incidents in the field's formats, streamed; `truce compare`: truce's record
//! against an ACLED or UCDP file.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_report::{ExportFormat, ExportMeta, ExportRow, Exporter, ExternalRecord};
use truce_store::{IncidentQuery, Store};

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
const PAGE: u32 = 2000;

/// Writes every incident (newest first) through `each`, a page at a time, with its assessment
/// and alerts.
async fn each_incident(
    store: &dyn Store,
    since: Option<String>,
    mut each: impl FnMut(ExportRow<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut before = None;
    loop {
        let page = store
            .incidents(&IncidentQuery {
                since: since.clone(),
                newest_first: true,
                before: before.clone(),
                limit: Some(PAGE),
                ..Default::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        before = Some((last.incident.date.clone().unwrap_or_default(), last.id));
        let ids: Vec<i64> = page.iter().map(|i| i.id).collect();
        let assessments: BTreeMap<i64, (String, Option<String>)> = store
            .verdicts(&ids)
            .await?
            .into_iter()
            .map(|(id, verdict, agreement, version)| {
                let agreement =
                    agreement.map(|n| truce_monitor::agreement::label(&n, version.unwrap_or(0)));
                (id, (verdict, agreement))
            })
            .collect();
        let mut alerts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for a in truce_pipeline::monitor::standing(store.alerts_of(&ids).await?) {
            alerts.entry(a.incident_id).or_default().push(a.label);
        }
        for s in &page {
            let a = assessments.get(&s.id);
            each(ExportRow {
                id: s.id,
                incident: &s.incident,
                status: s.status.as_str(),
                verdict: a.map(|a| a.0.as_str()),
                agreement: a.and_then(|a| a.1.as_deref()),
                alerts: alerts.get(&s.id).map_or(&[], |v| v.as_slice()),
                updated: s.updated_at.timestamp(),
            })?;
        }
    }
    Ok(())
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
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut exporter = Exporter::new(format, BufWriter::with_capacity(1 << 16, out))?;
    each_incident(store.as_ref(), args.since.clone(), |row| {
        exporter.write(&row)?;
        Ok(())
    })
    .await?;
    let rows = exporter.finish()?;
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
    each_incident(store.as_ref(), since, |row| {
        ours.push(as_record(&row));
        Ok(())
    })
    .await?;
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
