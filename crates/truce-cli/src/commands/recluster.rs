//! `truce recluster`: resolve every stored event into incidents from scratch.

use std::process::ExitCode;

use truce_cluster::ResolverConfig;

use super::Context;
use crate::format::thousands;

/// Arguments of `truce recluster`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Rebuilds every incident (people's decisions and corrections are kept and applied) and
/// assesses them again.
pub async fn run(cx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let (s, m) = truce_app::recluster::recluster(
        store.as_ref(),
        &ResolverConfig::default(),
        cx.config.monitor.rule(),
    )
    .await?;
    println!(
        "resolved {} events into {} incidents in {:.1} s (replacing {})",
        thousands(s.events),
        thousands(s.incidents),
        s.elapsed.as_secs_f64(),
        thousands(s.retired)
    );
    super::assess::announce(cx, store.as_ref(), &m).await;
    Ok(ExitCode::SUCCESS)
}
