//! `truce report daily`: the daily situation report, gathered from the store and rendered by
//! `truce-report`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;

use super::Context;

/// Arguments of `truce report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

#[derive(Debug, clap::Subcommand)]
enum Kind {
    /// The daily situation report of one day.
    Daily {
        /// The day (YYYY-MM-DD; default: the latest day with an incident).
        #[arg(long, value_parser = crate::format::day)]
        date: Option<NaiveDate>,
        /// `md` (default), `html` or `pdf`.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs `truce report`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let Kind::Daily {
        date,
        format,
        output,
    } = args.kind;
    if !matches!(format.as_str(), "md" | "html" | "pdf") {
        anyhow::bail!("--format {format:?}: use md, html or pdf");
    }
    let store = cx.store().await?;
    let Some(day) = truce_app::health::day_or_latest(store.as_ref(), date).await? else {
        anyhow::bail!("no dated incidents yet: name the report's day with --date");
    };
    let mut report = truce_app::report::gather(store.as_ref(), day).await?;
    // Each report pins the audit log as it stands: a head anyone can hold it to later.
    if let Some(key) = cx.signing_key()? {
        report.audit_head = Some(
            truce_app::audit::issue_head(store.as_ref(), &key)
                .await?
                .to_string(),
        );
    }
    let bytes: Vec<u8> = match format.as_str() {
        "md" => report.to_markdown().into_bytes(),
        "html" => report.to_html().into_bytes(),
        _ => truce_report::pdf::render(&report)?,
    };
    match output {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
