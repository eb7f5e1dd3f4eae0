//! `truce export`: incidents in the field's formats, streamed; `truce compare`: truce's record
//! against an ACLED or UCDP file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_app::export::ExportOptions;
use truce_report::{Dataset, ExportFormat, ExportRow, ExternalRecord};

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
    /// Retracted and discounted incidents too (left out otherwise; the sidecar says how many).
    #[arg(long)]
    include_discounted: bool,
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
    let options = ExportOptions {
        format,
        since: args.since.clone(),
        include_withdrawn: args.include_discounted,
    };
    let store: std::sync::Arc<dyn truce_store::Store> = store.into();
    let written = truce_app::export::export(store.clone(), &options, &mut out).await;
    drop(out);
    let exported = match (written, &partial, &args.output) {
        (Ok(done), Some(partial), Some(output)) => {
            std::fs::rename(partial, output)
                .with_context(|| format!("cannot write {}", output.display()))?;
            done
        }
        (Ok(done), _, _) => done,
        (Err(e), partial, _) => {
            if let Some(p) = partial {
                let _ = std::fs::remove_file(p);
            }
            return Err(e.into());
        }
    };
    let rows = exported.rows;
    let meta = truce_app::export::meta(store.as_ref(), &options, exported).await?;
    let meta_text = serde_json::to_string_pretty(&meta)?;
    match &args.output {
        Some(p) => {
            let side = PathBuf::from(format!("{}.meta.json", p.display()));
            std::fs::write(&side, meta_text + "\n")
                .with_context(|| format!("cannot write {}", side.display()))?;
            if !cx.quiet {
                eprintln!(
                    "exported {rows} incidents to {} ({}){}{}",
                    p.display(),
                    side.display(),
                    match meta.left_out {
                        0 => String::new(),
                        n => format!(
                            "; {n} retracted or discounted left out (--include-discounted \
                             exports them)"
                        ),
                    },
                    match meta.outside_format {
                        0 => String::new(),
                        n => format!(
                            "; {n} the format has no row for left out (undated, or in UCDP GED \
                             protests, riots and strategic developments)"
                        ),
                    }
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
        ..Default::default()
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
        Some(f) => {
            Dataset::parse(f).ok_or_else(|| anyhow::anyhow!("--format {f:?}: use acled or ucdp"))?
        }
        None => Dataset::of_header(&head).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: neither an ACLED file (no event_id_cnty column) nor a UCDP GED file (no \
                 type_of_violence column)",
                args.file.display()
            )
        })?,
    };
    let file = std::fs::File::open(&args.file)?;
    let theirs = format.read(file).with_context(|| {
        format!(
            "{} is not a readable {} file",
            args.file.display(),
            format.as_str()
        )
    })?;
    let since = theirs.iter().map(|r| r.date.clone()).min();
    let store = cx.store().await?;
    let mut ours = Vec::new();
    truce_app::export::each_row(store.as_ref(), since.as_deref(), |row| {
        ours.push(as_record(row))
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
                a.id,
                format.as_str(),
                b.id,
                a.date,
                a.location,
                a.fatalities,
                b.fatalities
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
