//! `truce sources`: the register of watched sources (feeds, pages, JSON endpoints) that `truce
//! watch` fetches on their schedules.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use truce_app::sources::SourceRequest;
use truce_model::watched::span;
use truce_model::{SourceHealth, WatchKind, WatchedSource};

use super::Context;
use crate::format::clip;

/// Arguments of `truce sources`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Add a source to watch; `truce watch` fetches it at once, then on its schedule.
    Add {
        /// The feed, page or JSON endpoint (http or https).
        url: String,
        /// What to call it (default: the URL's host).
        #[arg(long)]
        name: Option<String>,
        /// How often to fetch it: 90s, 15m, 2h, 1d (at least 10 s, at most a week).
        #[arg(long, default_value = truce_app::sources::DEFAULT_EVERY)]
        every: String,
        /// What it serves: feed, page or json (default: guessed from the URL).
        #[arg(long)]
        kind: Option<WatchKind>,
        /// Fetch the full article each feed item links to, and keep it beside the item.
        #[arg(long)]
        follow_links: bool,
    },
    /// List the register: each source's last fetch, status, reports, errors and next fetch.
    List {
        /// One JSON object a line.
        #[arg(long)]
        json: bool,
    },
    /// Stop fetching a source until it is resumed.
    Pause {
        /// The source's id (`truce sources list`).
        id: i64,
    },
    /// Fetch a paused source again, at once.
    Resume {
        /// The source's id.
        id: i64,
    },
    /// Take a source off the register (the reports it brought stay on the record).
    Remove {
        /// The source's id.
        id: i64,
    },
}

/// Runs `truce sources`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let store = store.as_ref();
    match args.action {
        Action::Add {
            url,
            name,
            every,
            kind,
            follow_links,
        } => {
            let request = SourceRequest {
                url,
                name,
                every: Some(every),
                kind,
                follow_links,
            };
            let s = truce_app::sources::add(store, &request, &cx.actor()).await?;
            println!(
                "source {}: {} ({}, every {}{}) {}",
                s.id,
                s.name,
                s.kind,
                span(i64::from(s.every_secs)),
                if s.follow_links {
                    ", links followed"
                } else {
                    ""
                },
                s.url
            );
        }
        Action::List { json } => {
            let now = Utc::now();
            let list = truce_app::sources::list(store, now).await?;
            if json {
                for (s, health) in &list {
                    println!(
                        "{}",
                        serde_json::json!({"source": s, "health": health, "notice": s.notice(now)})
                    );
                }
            } else if list.is_empty() {
                println!("no sources: add one with `truce sources add URL`");
            } else {
                println!(
                    "{:>4}  {:<24} {:<5} {:>6}  {:<13} {:>7}  {:<10} {:<10} url",
                    "id", "name", "kind", "every", "status", "reports", "last", "next"
                );
                for (s, health) in &list {
                    println!("{}", line(s, health, now));
                    if let Some(error) = &s.state.error {
                        println!("      error: {}", clip(error, 200));
                    }
                    if let Some(notice) = s.notice(now)
                        && matches!(health, SourceHealth::Quiet { .. })
                    {
                        println!("      {notice}");
                    }
                }
            }
        }
        Action::Pause { id } => {
            let s = truce_app::sources::set_paused(store, id, true, &cx.actor()).await?;
            println!("source {}: {} paused", s.id, s.name);
        }
        Action::Resume { id } => {
            let s = truce_app::sources::set_paused(store, id, false, &cx.actor()).await?;
            println!("source {}: {} resumed (due now)", s.id, s.name);
        }
        Action::Remove { id } => {
            truce_app::sources::remove(store, id, &cx.actor()).await?;
            println!("source {id} removed (the reports it brought stay on the record)");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line of the list.
fn line(s: &WatchedSource, health: &SourceHealth, now: DateTime<Utc>) -> String {
    let status = match health {
        SourceHealth::Paused => "paused".to_string(),
        SourceHealth::Waiting => "never fetched".to_string(),
        SourceHealth::Failing { failures, .. } => format!("failing ×{failures}"),
        SourceHealth::Quiet { .. } => "quiet".to_string(),
        SourceHealth::Healthy => s.state.status.to_string(),
    };
    let ago = |t: Option<DateTime<Utc>>| {
        t.map_or_else(
            || "-".to_string(),
            |t| format!("{} ago", span((now - t).num_seconds())),
        )
    };
    let next = s.next_fetch_words(now);
    format!(
        "{:>4}  {:<24} {:<5} {:>6}  {:<13} {:>7}  {:<10} {:<10} {}",
        s.id,
        clip(&s.name, 24),
        s.kind.as_str(),
        span(i64::from(s.every_secs)),
        status,
        s.state.reports,
        ago(s.state.last_fetch_at),
        next,
        s.url
    )
}
