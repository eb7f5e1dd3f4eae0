//! `truce import`: an ACLED or UCDP GED file stored beside truce's record; `truce compare`:
//! truce's record against such a file, or against what was imported.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_model::{Dataset, ExternalRecord};
use truce_store::ExternalQuery;

use super::Context;

/// Arguments of `truce import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// ACLED or UCDP GED CSV files, as the datasets ship them.
    files: Vec<PathBuf>,
    /// `acled` or `ucdp` (default: from each file's header).
    #[arg(long)]
    format: Option<String>,
    /// List what is imported (events, days covered, by dataset) instead.
    #[arg(long)]
    list: bool,
}

/// Arguments of `truce compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// An ACLED or UCDP GED CSV file (or `--imported`).
    file: Option<PathBuf>,
    /// `acled` or `ucdp`: the file's dataset (default: from its header), or with `--imported`
    /// the imported dataset to compare with (default: every one).
    #[arg(long)]
    format: Option<String>,
    /// Compare with the events imported by `truce import` instead of a file.
    #[arg(long, conflicts_with = "file")]
    imported: bool,
    /// With `--imported`: only their events on or after this day (YYYY-MM-DD).
    #[arg(long, requires = "imported", value_parser = crate::format::day)]
    since: Option<chrono::NaiveDate>,
    /// With `--imported`: only their events on or before this day.
    #[arg(long, requires = "imported", value_parser = crate::format::day)]
    until: Option<chrono::NaiveDate>,
    /// One JSON object: matched pairs and the records only one side has.
    #[arg(long)]
    json: bool,
}

fn dataset(format: Option<&str>) -> anyhow::Result<Option<Dataset>> {
    format
        .map(|f| {
            Dataset::parse(f).ok_or_else(|| anyhow::anyhow!("--format {f:?}: use acled or ucdp"))
        })
        .transpose()
}

/// Runs `truce import`.
pub async fn import(cx: &Context, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let format = dataset(args.format.as_deref())?;
    let store = cx.store().await?;
    if args.list {
        let held = truce_app::datasets::holdings(store.as_ref()).await?;
        if held.is_empty() {
            println!("nothing imported (truce import FILE stores an ACLED or UCDP GED file)");
        }
        for h in held {
            println!(
                "{:<6} {:>9} events  {} to {}",
                h.dataset.as_str(),
                h.events,
                h.first,
                h.last
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::ensure!(
        !args.files.is_empty(),
        "name the ACLED or UCDP GED files to import (or --list what is imported)"
    );
    let actor = cx.actor();
    for path in &args.files {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let done = truce_app::datasets::import(store.as_ref(), file, format, &name, &actor)
            .await
            .with_context(|| format!("{} was not imported", path.display()))?;
        if !cx.quiet {
            println!(
                "{}: {} {} events ({} new, {} updated){}",
                path.display(),
                done.events,
                done.dataset.as_str(),
                done.added,
                done.updated,
                done.span
                    .map(|(a, b)| format!(", {a} to {b}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `truce compare`.
pub async fn compare(cx: &Context, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let format = dataset(args.format.as_deref())?;
    let store = cx.store().await?;
    let (theirs, label): (Vec<ExternalRecord>, String) = match (&args.file, args.imported) {
        (Some(path), false) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let (_, records, _) = truce_app::datasets::read_file(file, format)
                .with_context(|| format!("{} cannot be compared", path.display()))?;
            (records, path.display().to_string())
        }
        (None, true) => {
            let query = ExternalQuery {
                dataset: format,
                since: args.since.map(|d| d.to_string()),
                until: args.until.map(|d| d.to_string()),
                after: None,
                limit: 10_000,
            };
            let records = truce_app::datasets::imported(store.as_ref(), &query).await?;
            (
                records,
                format.map_or("the imported events".into(), |d| {
                    format!("the imported {} events", d.as_str())
                }),
            )
        }
        _ => anyhow::bail!("name an ACLED or UCDP GED file, or compare --imported"),
    };
    let c = truce_app::datasets::compare(store.as_ref(), &theirs).await?;
    if args.json {
        println!("{}", serde_json::to_string(&c)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} in both, {} only in truce, {} only in {label} ({} records)",
        c.matched.len(),
        c.only_truce.len(),
        c.only_theirs.len(),
        theirs.len()
    );
    for (a, b) in &c.matched {
        println!(
            "both:   truce {} = {}  {} {} ({} / {} killed)",
            a.id, b.id, a.date, a.location, a.fatalities, b.fatalities
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
    Ok(ExitCode::SUCCESS)
}
