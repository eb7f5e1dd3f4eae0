//! `truce demo`: a fresh database from the bundled sample reports, demo accounts, a few reviews
//! and a case file (built by `truce_app::demo`), then the dashboard.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use super::Context;
use super::serve::{Args as ServeArgs, serve_store};

/// Arguments of `truce demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,

    /// The demo database (made afresh at every run).
    #[arg(long, default_value = "truce-demo.db")]
    db_file: std::path::PathBuf,

    /// Build the database and print the logins, but do not serve.
    #[arg(long)]
    no_serve: bool,
}

/// Builds the demo and serves it.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    remove_old(&args.db_file)?;
    let mut demo_cx = cx.clone();
    demo_cx.db = args.db_file.display().to_string();
    // The public page prints the audit log's signed head: the demo signs as an installation does.
    if demo_cx.ensure_signing_key()? && !cx.quiet {
        println!(
            "audit signing key written to {}",
            demo_cx.signing_key_path().display()
        );
    }
    let store: Arc<dyn truce_store::Store> = Arc::from(demo_cx.store().await?);
    let engine = Arc::new(super::extract::extractor(cx)?);
    let demo = truce_app::demo::seed(
        store.as_ref(),
        engine,
        &cx.config.ingest,
        cx.config.monitor.rule(),
    )
    .await?;
    println!(
        "demo database {}: {} reports ({} failed on purpose: a broken JSONL line and a photo), {} events, {} incidents",
        args.db_file.display(),
        demo.stored,
        demo.failed,
        demo.events,
        demo.incidents
    );
    let verdicts: Vec<String> = demo
        .verdicts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    println!(
        "against {}: {}; {} alerts on protected sites",
        demo.agreement,
        verdicts.join(", "),
        demo.alerts
    );
    let logins: Vec<String> = demo
        .logins
        .iter()
        .map(|l| {
            format!(
                "  {:<12} {}  ({}{})",
                l.username,
                l.password,
                l.role.as_str(),
                l.party
                    .as_deref()
                    .map(|p| format!(" for {p}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let banner = format!(
        "demo logins (made for this run):\n{}\nthe public view needs no login: /public",
        logins.join("\n")
    );
    if args.no_serve {
        println!("{banner}");
        return Ok(ExitCode::SUCCESS);
    }
    serve_store(
        &demo_cx,
        store,
        ServeArgs {
            bind: Some(args.bind),
            secure_cookies: false,
            watch: false,
        },
        Some(banner),
    )
    .await
}

/// Removes the demo database of an earlier run (its write-ahead log and shared memory too).
fn remove_old(db_file: &std::path::Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_file.as_os_str().to_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("cannot remove the old demo database {}", db_file.display())
                });
            }
        }
    }
    Ok(())
}
