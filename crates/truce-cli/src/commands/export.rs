//! `truce export`: incidents in the field's formats, streamed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_app::export::ExportOptions;
use truce_report::ExportFormat;

use super::Context;

/// Arguments of `truce export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `acled-csv`, `ucdp-csv`, `geojson` or `jsonl`.
    #[arg(long)]
    format: String,
    /// Only incidents on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::format::day)]
    since: Option<chrono::NaiveDate>,
    /// Write here (and the sidecar `FILE.meta.json` beside it) instead of standard output (the
    /// sidecar then goes to standard error).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Retracted and discounted incidents too (left out otherwise; the sidecar says how many).
    #[arg(long)]
    include_discounted: bool,
}

/// Runs `truce export`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let format = ExportFormat::parse(&args.format).ok_or_else(|| {
        anyhow::anyhow!(
            "--format {:?}: use acled-csv, ucdp-csv, geojson or jsonl",
            args.format
        )
    })?;
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
        since: args.since.map(|d| d.to_string()),
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
