//! `truce sites`: the register of protected sites.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_app::monitoring::RegisterFormat;

use super::Context;

/// Arguments of `truce sites`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Import sites from a CSV or GeoJSON file (sites of the same name and place are updated);
    /// every incident is checked against the register again.
    Import {
        /// The file.
        file: PathBuf,
        /// `csv` or `geojson` (default: from the content).
        #[arg(long)]
        format: Option<String>,
    },
    /// List the register.
    List {
        /// One JSON object a line.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `truce sites`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    match args.action {
        Action::Import { file, format } => {
            let meta = std::fs::metadata(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            anyhow::ensure!(
                meta.len() <= 64 * 1024 * 1024,
                "{}: {} bytes is above the 64 MiB limit for a register",
                file.display(),
                meta.len()
            );
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", file.display()))?;
            let format = match format.as_deref() {
                Some("geojson") => RegisterFormat::GeoJson,
                Some("csv") => RegisterFormat::Csv,
                Some(other) => anyhow::bail!("--format {other:?}: use csv or geojson"),
                None => RegisterFormat::of(&text),
            };
            let done = truce_app::monitoring::import_sites(
                store.as_ref(),
                &text,
                format,
                &cx.actor(),
                cx.config.monitor.rule(),
            )
            .await
            .with_context(|| format!("{} is not imported", file.display()))?;
            println!(
                "protected sites: {} added, {} updated",
                done.added, done.updated
            );
            super::assess::announce(cx, store.as_ref(), &done.monitor).await;
        }
        Action::List { json } => {
            for (id, site) in truce_app::monitoring::sites(store.as_ref()).await? {
                if json {
                    println!("{}", serde_json::json!({"id": id, "site": site}));
                } else {
                    let notified: Vec<String> = site
                        .notifications
                        .iter()
                        .map(|n| {
                            format!(
                                "{} notified {}{}",
                                n.party,
                                n.notified
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| "?".into()),
                                n.acknowledged
                                    .map(|d| format!(", acknowledged {d}"))
                                    .unwrap_or_default()
                            )
                        })
                        .collect();
                    println!(
                        "{:>3}  {:<36} {:<14} {:.5},{:.5}  {}",
                        id,
                        site.name,
                        site.kind.as_str(),
                        site.lat,
                        site.lon,
                        if notified.is_empty() {
                            "not notified".into()
                        } else {
                            notified.join("; ")
                        }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
