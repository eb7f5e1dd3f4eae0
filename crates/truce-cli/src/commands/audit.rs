//! `truce audit`: the hash-chained log of every human action.

use std::process::ExitCode;

use truce_model::verify_chain;

use super::Context;

/// Arguments of `truce audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check the whole chain; names the first broken link (exit status 1) if it was tampered with.
    Verify,
    /// Print the log (of one subject: `incident:12`, `user:ana`).
    Log {
        /// Only this subject.
        #[arg(long)]
        subject: Option<String>,
    },
}

/// Runs `truce audit`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let mut all = Vec::new();
    let mut after = 0;
    let subject = match &args.action {
        Action::Log { subject } => subject.clone(),
        Action::Verify => None,
    };
    loop {
        let page = store.audit(subject.as_deref(), after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        all.extend(page);
    }
    match args.action {
        Action::Verify => match verify_chain(&all) {
            Ok(n) => {
                println!(
                    "audit log intact: {n} entries, last hash {}",
                    all.last().map_or("-", |e| e.hash.as_str())
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(b) => {
                eprintln!("audit log BROKEN at entry {}: {}", b.seq, b.reason);
                Ok(ExitCode::FAILURE)
            }
        },
        Action::Log { .. } => {
            for e in all {
                println!(
                    "{:>6} {} {:<16} {:<18} {:<14} {}",
                    e.seq, e.at, e.actor, e.action, e.subject, e.detail
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
