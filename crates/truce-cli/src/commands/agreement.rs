//! `truce agreement`: add a ceasefire agreement (a TOML file) and list those on record.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;

/// Arguments of `truce agreement`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Add an agreement (or a new version of one) from a TOML file; every incident is assessed
    /// again.
    Add {
        /// The file (its keys: README, "Watching the ceasefire").
        file: PathBuf,
    },
    /// List agreements on record, every version.
    List {
        /// One JSON object a line, zones included.
        #[arg(long)]
        json: bool,
    },
}

/// Largest agreement file read (its zones' GeoJSON files have their own limit).
const MAX_FILE: u64 = 16 * 1024 * 1024;

fn read_limited(path: &std::path::Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{} bytes is above the limit of {MAX_FILE}",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

/// Runs `truce agreement`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    match args.action {
        Action::Add { file } => {
            let text = read_limited(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let dir = file.parent().map(PathBuf::from).unwrap_or_default();
            let (added, m) = truce_app::monitoring::add_agreement(
                store.as_ref(),
                &text,
                &|p: &str| read_limited(&dir.join(p)),
                &cx.actor(),
                cx.config.monitor.rule(),
            )
            .await
            .with_context(|| format!("{} is not added", file.display()))?;
            let (id, agreement) = (added.id, &added.agreement);
            println!(
                "agreement {id}: {} from {}{} ({} parties, {} excluded, {} zones)",
                agreement.label(),
                agreement.start,
                agreement
                    .end
                    .map(|e| format!(" to {e}"))
                    .unwrap_or_default(),
                agreement.parties.len(),
                agreement.excluded.len(),
                agreement.zones.len()
            );
            super::assess::announce(cx, store.as_ref(), &m).await;
        }
        Action::List { json } => {
            for a in truce_app::monitoring::agreements(store.as_ref()).await? {
                let parsed = &a.agreement;
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"id": a.id, "added_by": a.added_by, "added_at": a.added_at, "agreement": parsed})
                    );
                } else {
                    println!(
                        "{:>3}  {:<40} {}{}  parties: {}  excluded: {}  zones: {}",
                        a.id,
                        parsed.label(),
                        parsed.start,
                        parsed
                            .end
                            .map(|e| format!(" to {e}"))
                            .unwrap_or_else(|| " onwards".into()),
                        parsed.parties.join(", "),
                        if parsed.excluded.is_empty() {
                            "none".into()
                        } else {
                            parsed.excluded.join(", ")
                        },
                        if parsed.zones.is_empty() {
                            "the whole country".into()
                        } else {
                            parsed
                                .zones
                                .iter()
                                .map(|z| z.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
