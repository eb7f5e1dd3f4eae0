//! `truce watch`: fetch the register's sources on their schedules, around the clock, and take
//! in what they bring (stored, extracted, resolved, assessed, alerts raised and announced).

use std::process::ExitCode;
use std::sync::Arc;

use truce_app::ingest::ExtractSummary;
use truce_app::watch::{Poll, WatchConfig, WatchObserver, Watcher};
use truce_model::FetchResult;

use super::Context;

/// Arguments of `truce watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Fetch the sources due now once, take in what they bring, and stop.
    #[arg(long)]
    once: bool,
}

/// The watcher's settings from `truce.toml` (`[watch]`, `[ingest]`, `[monitor]`).
pub fn config(cx: &Context) -> WatchConfig {
    let w = &cx.config.watch;
    WatchConfig {
        ingest: cx.config.ingest.clone(),
        alert_rule: cx.config.monitor.rule(),
        concurrency: w.concurrency.max(1),
        per_host: w.per_host.max(1),
        max_links: w.max_links,
    }
}

/// Prints each fetch that brought something or failed, and announces new alerts.
pub struct Announcer {
    cx: Context,
    store: Arc<dyn truce_store::Store>,
    runtime: tokio::runtime::Handle,
}

impl Announcer {
    /// An announcer printing for `cx`.
    pub fn new(cx: &Context, store: Arc<dyn truce_store::Store>) -> Self {
        Self {
            cx: cx.clone(),
            store,
            runtime: tokio::runtime::Handle::current(),
        }
    }
}

impl WatchObserver for Announcer {
    fn polled(&self, poll: &Poll) {
        let name = &poll.source.name;
        match &poll.result {
            FetchResult::Fetched { new_reports, .. } if *new_reports > 0 => {
                tracing::info!(target: "truce::watch", "{name}: {new_reports} new report(s)");
                if !self.cx.quiet {
                    println!(
                        "{name}: {new_reports} new report{}{}",
                        if *new_reports == 1 { "" } else { "s" },
                        if poll.links_followed > 0 {
                            format!(" ({} articles followed)", poll.links_followed)
                        } else {
                            String::new()
                        }
                    );
                }
            }
            // Failures are logged by the watcher (a warning naming the source).
            _ => {}
        }
    }

    fn extracted(&self, summary: &ExtractSummary) {
        let cx = self.cx.clone();
        let store = self.store.clone();
        let monitor = summary.monitor.clone();
        let (documents, incidents) = (summary.documents, summary.incidents);
        self.runtime.spawn(async move {
            if !cx.quiet && documents > 0 {
                println!("extracted {documents} reports into {incidents} incidents");
            }
            super::assess::announce(&cx, store.as_ref(), &monitor).await;
        });
    }

    fn trouble(&self, error: &truce_app::AppError) {
        eprintln!("warning: {error}");
    }
}

/// Runs `truce watch`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store: Arc<dyn truce_store::Store> = Arc::from(cx.store().await?);
    let engine = Arc::new(super::extract::extractor(cx)?);
    let watcher = Arc::new(Watcher::new(store.clone(), config(cx))?);
    let announcer = Arc::new(Announcer::new(cx, store.clone()));
    if args.once {
        let (polls, extracted) = watcher.run_once(engine, announcer).await?;
        if polls.is_empty() {
            match store.next_due().await? {
                Some(next) => println!(
                    "no source is due; the next is due in {}",
                    truce_model::watched::span((next - chrono::Utc::now()).num_seconds())
                ),
                None => println!("no source is due: add one with `truce sources add URL`"),
            }
        }
        let failed = polls
            .iter()
            .filter(|p| matches!(p.result, FetchResult::Failed(_)))
            .count();
        let new: u32 = polls.iter().map(|p| p.new_reports).sum();
        if !polls.is_empty() {
            println!(
                "fetched {} sources: {new} new reports, {failed} failed",
                polls.len()
            );
        }
        if extracted.documents > 0 || extracted.resolved > 0 {
            super::reextract::report(&extracted);
        }
        super::assess::announce(cx, store.as_ref(), &extracted.monitor).await;
        return Ok(if failed > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let count = store.sources().await?.len();
    println!("watching {count} sources (Ctrl-C stops); `truce sources add URL` adds more");
    watcher
        .run(engine, announcer, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}
