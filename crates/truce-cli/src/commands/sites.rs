//! `truce sites`: the register of protected sites.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

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
            let geojson = match format.as_deref() {
                Some("geojson") => true,
                Some("csv") => false,
                Some(other) => anyhow::bail!("--format {other:?}: use csv or geojson"),
                None => text.trim_start().starts_with('{'),
            };
            let sites = if geojson {
                truce_monitor::site::from_geojson(&text)
            } else {
                truce_monitor::site::from_csv(&text)
            }
            .with_context(|| format!("{} is not a valid register", file.display()))?;
            let stored: Vec<_> = sites
                .iter()
                .map(truce_pipeline::monitor::stored_site)
                .collect();
            let actor = super::actor();
            let (added, updated) = store.add_sites(&stored, &actor).await?;
            println!("protected sites: {added} added, {updated} updated");
            // Only incidents near the sites imported can raise an alert about them.
            let rule = cx.config.monitor.rule();
            let places: Vec<(f64, f64)> = sites.iter().map(|s| (s.lat, s.lon)).collect();
            let boxes = truce_pipeline::monitor::boxes_around(&places, rule);
            let near = store.incidents_within(&boxes).await?;
            let m = truce_pipeline::monitor_incidents(store.as_ref(), Some(&near), rule).await?;
            super::assess::announce(cx, store.as_ref(), &m).await;
        }
        Action::List { json } => {
            for s in store.sites().await? {
                let site = truce_pipeline::monitor::site_of(&s)?;
                if json {
                    println!("{}", serde_json::json!({"id": s.id, "site": site}));
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
                        s.id,
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
