//! `truce init`: create the database and a default `truce.toml`.

use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::config::Config;

/// Arguments of `truce init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrite an existing truce.toml with the defaults.
    #[arg(long)]
    force: bool,
}

/// Creates (or migrates) the database and writes the configuration file.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let counts = store.document_counts().await?;
    println!(
        "database {} ready ({} documents)",
        cx.db,
        counts.parsed + counts.failed + counts.superseded
    );
    let path = &cx.config_path;
    if path.exists() && !args.force {
        println!(
            "configuration {} kept (use --force to reset it)",
            path.display()
        );
    } else {
        std::fs::write(path, Config::default_file())
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("configuration written to {}", path.display());
    }
    let key = cx.signing_key_path();
    if cx.ensure_signing_key()? {
        println!(
            "audit signing key written to {} (keep it apart from the database and its backups)",
            key.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
